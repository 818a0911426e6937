/**
 * GitHub alerts in Otterwiki's markup: a blockquote whose first line is `[!NOTE]`, `[!TIP]`,
 * `[!IMPORTANT]`, `[!WARNING]` or `[!CAUTION]` (any case) becomes
 * `<div class="quote-alert quote-alert-note"><div class="quote-alert-header">Note</div>…</div>`.
 * Text after the marker on its line stays part of the body.
 */
import type { MarkdownIt, StateCore, Token } from 'markdown-it';

const MARKER = /^\[!(note|tip|important|warning|caution)\][ \t]*\n?/i;

function closingIndex(tokens: Token[], open: number): number {
  const level = tokens[open]!.level;
  for (let i = open + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'blockquote_close' && t.level === level) return i;
  }
  return -1;
}

function githubAlerts(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i]!;
    const inline = tokens[i + 2];
    if (open.type !== 'blockquote_open' || tokens[i + 1]?.type !== 'paragraph_open' || inline?.type !== 'inline') continue;
    const m = MARKER.exec(inline.content);
    if (!m) continue;
    const close = closingIndex(tokens, i);
    if (close < 0) continue;
    const kind = (m[1] ?? 'note').toLowerCase();
    open.type = 'github_alert_open';
    open.tag = 'div';
    open.info = kind;
    tokens[close]!.type = 'github_alert_close';
    tokens[close]!.tag = 'div';
    inline.content = inline.content.slice(m[0].length);
    // A marker alone on its paragraph leaves nothing to render there.
    if (inline.content.trim() === '') tokens.splice(i + 1, 3);
  }
}

function renderOpen(tokens: Token[], idx: number): string {
  const kind = tokens[idx]!.info;
  const label = kind.charAt(0).toUpperCase() + kind.slice(1);
  return `<div class="quote-alert quote-alert-${kind}"><div class="quote-alert-header">${label}</div>\n`;
}

/** Turns marked blockquotes into alerts (a core rule between block and inline parsing). */
export function githubAlertBlocks(md: MarkdownIt): void {
  md.core.ruler.after('block', 'github_alerts', githubAlerts);
  md.renderer.rules['github_alert_open'] = renderOpen;
  md.renderer.rules['github_alert_close'] = (): string => '</div>\n';
}
