/**
 * Which tenant a request is for, from its Host header. Every worker derives the
 * host the same way: lowercase, strip the port, then compare with the apex.
 * Raw Host values are never echoed or trusted beyond this.
 */
import { isValidSlugShape } from './slugs.ts';

export type HostTarget =
  | { kind: 'apex' }
  | { kind: 'wiki'; slug: string }
  /** 127.0.0.1 or [::1]: where the ATProto loopback client's callback lands (local default). */
  | { kind: 'loopback' }
  | { kind: 'unknown' };

/** Strips the port and lowercases; `null` when the header is not a plausible host. */
export function hostName(hostHeader: string | null | undefined): string | null {
  if (!hostHeader) return null;
  const h = hostHeader.trim().toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(h);
  if (!m || !m[1]) return null;
  return m[1].replace(/\.$/, '');
}

/** Classifies a Host header against the configured apex (a host name, no port). */
export function classifyHost(hostHeader: string | null | undefined, apex: string): HostTarget {
  const name = hostName(hostHeader);
  if (!name) return { kind: 'unknown' };
  if (name === apex) return { kind: 'apex' };
  if (name === '127.0.0.1' || name === '[::1]') return { kind: 'loopback' };
  const suffix = `.${apex}`;
  if (name.endsWith(suffix)) {
    const label = name.slice(0, -suffix.length);
    // One DNS label only: a wildcard certificate covers exactly one.
    if (isValidSlugShape(label)) return { kind: 'wiki', slug: label };
  }
  return { kind: 'unknown' };
}
