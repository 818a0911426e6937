/**
 * The name of the MCP client making a request, for commit messages
 * ("… (via Claude Code)"). A stateless server sees the client's `clientInfo`
 * only on the `initialize` request, never beside a tool call, so tool calls
 * name their client by its User-Agent (protocols.md §4.1: Claude Code sends
 * `claude-code/<version> (cli)`, Claude.ai `Claude-User`).
 */

const MAX_NAME = 60;

/** Well-known clients, by their clientInfo name or User-Agent product. */
const KNOWN: { test: RegExp; name: string }[] = [
  { test: /^claude[-_ ]?code\b/i, name: 'Claude Code' },
  { test: /^(claude-user|anthropic\/claudeai|claudeai|anthropic)\b/i, name: 'Claude.ai' },
  { test: /^claude\b/i, name: 'Claude' },
];

/** Printable text only, one line, clipped: a name goes into commit messages. */
function clean(s: string): string {
  const printable = s
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7e\u00a0-\uffff]|[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .trim();
  return printable.length > MAX_NAME ? `${printable.slice(0, MAX_NAME - 1)}…` : printable;
}

/** A readable client name from an `initialize` clientInfo name or a User-Agent; null when there is nothing to show. */
export function clientName(input: { clientInfoName?: string | null | undefined; userAgent?: string | null | undefined }): string | null {
  const info = input.clientInfoName ? clean(input.clientInfoName) : '';
  if (info) return KNOWN.find((k) => k.test.test(info))?.name ?? info;
  const ua = input.userAgent ? clean(input.userAgent) : '';
  if (!ua) return null;
  const known = KNOWN.find((k) => k.test.test(ua));
  if (known) return known.name;
  // The first product token (`name/version`), without its version.
  const product = ua.split(' ')[0]!.split('/')[0]!;
  return product || null;
}

/** `message` with the client named at its end, within `max` characters. */
export function withClient(message: string, client: string | null, max = 2000): string {
  const suffix = client ? ` (via ${client})` : '';
  const room = max - suffix.length;
  const base = message.length > room ? `${message.slice(0, room - 1)}…` : message;
  return `${base}${suffix}`;
}
