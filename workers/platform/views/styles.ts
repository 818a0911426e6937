/**
 * The platform's one stylesheet, served at /static/platform.css (the CSP
 * allows no inline style). Light and dark follow the system; one column on
 * phones, never wider than the screen.
 */
export const PLATFORM_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0;
  --surface: #f6f8fa; --surface-2: #eef1f4;
  --accent: #0b5cd5; --accent-hover: #0a4fb8; --accent-fg: #ffffff; --link: #0b5cd5;
  --danger: #c4231c; --danger-hover: #a51d17; --danger-fg: #ffffff;
  --code-bg: #f3f4f6;
  --info-bg: #ddf4ff; --info-border: #54aeff;
  --error-bg: #ffebe9; --error-border: #ff8182;
  --success-bg: #dafbe1; --success-border: #4ac26b;
  --warning-bg: #fff8c5; --warning-border: #d4a72c;
  --focus: #0b5cd5; --radius: 6px;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, Cantarell, "Helvetica Neue", Arial, sans-serif;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1318; --fg: #e3e8ee; --muted: #9aa5b1; --border: #30363d;
    --surface: #161b22; --surface-2: #1d232c;
    --accent: #3d8bfd; --accent-hover: #5c9dff; --accent-fg: #0b0f14; --link: #6cb0ff;
    --danger: #f0625a; --danger-hover: #ff7b72; --danger-fg: #0b0f14;
    --code-bg: #1b2129;
    --info-bg: #0c2d4d; --info-border: #1f6feb;
    --error-bg: #3d1518; --error-border: #da3633;
    --success-bg: #12361f; --success-border: #2ea043;
    --warning-bg: #3a2e05; --warning-border: #9e6a03;
    --focus: #6cb0ff;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.55 var(--font); overflow-wrap: anywhere; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.skip-link { position: absolute; left: -9999px; }
.skip-link:focus { left: 8px; top: 8px; background: var(--bg); padding: 4px 8px; z-index: 10; }
code, pre, kbd { font-family: var(--mono); font-size: 0.9em; }
code { background: var(--code-bg); padding: 0.1em 0.35em; border-radius: 4px; }
pre { background: var(--code-bg); border: 1px solid var(--border); border-radius: var(--radius); padding: 0.75em 1em; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
pre code { background: none; padding: 0; }
.copyable { user-select: all; -webkit-user-select: all; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0.2em 0 0.6em; }
h2 { font-size: 1.3rem; margin: 1.6em 0 0.5em; }
h3 { font-size: 1.05rem; margin: 1.2em 0 0.4em; }
p { margin: 0.5em 0 0.9em; }
.muted { color: var(--muted); }
.small { font-size: 0.875rem; }

.site-header { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5em 1.25em; padding: 0.6em 1rem; border-bottom: 1px solid var(--border); background: var(--surface); }
.brand { font-weight: 700; font-size: 1.1rem; color: var(--fg); text-decoration: none; }
.site-nav { display: flex; flex-wrap: wrap; gap: 0.25em 1em; }
.site-nav a { color: var(--fg); text-decoration: none; padding: 0.2em 0; border-bottom: 2px solid transparent; }
.site-nav a[aria-current="page"] { border-bottom-color: var(--accent); font-weight: 600; }
.who { margin-left: auto; display: flex; flex-wrap: wrap; align-items: center; gap: 0.5em; }
.who .user { color: var(--muted); }
.inline-form { display: inline; margin: 0; }

main { max-width: 60rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
.site-footer { max-width: 60rem; margin: 0 auto; padding: 1rem; border-top: 1px solid var(--border); color: var(--muted); font-size: 0.875rem; }

.notice, .error-box, .warning-box { border: 1px solid; border-radius: var(--radius); padding: 0.6em 0.9em; margin: 0 0 1em; }
.notice { background: var(--success-bg); border-color: var(--success-border); }
.error-box { background: var(--error-bg); border-color: var(--error-border); }
.warning-box { background: var(--warning-bg); border-color: var(--warning-border); }
.info-box { background: var(--info-bg); border: 1px solid var(--info-border); border-radius: var(--radius); padding: 0.6em 0.9em; margin: 0 0 1em; }

form.stack { display: grid; gap: 0.9em; max-width: 36rem; margin: 0.5em 0 1.5em; }
label { font-weight: 600; }
.field { display: grid; gap: 0.3em; }
.field .hint { font-weight: 400; color: var(--muted); font-size: 0.875rem; }
input[type="text"], input[type="search"], input:not([type]), select, textarea {
  width: 100%; max-width: 100%; font: inherit; color: var(--fg); background: var(--bg);
  border: 1px solid var(--border); border-radius: var(--radius); padding: 0.45em 0.6em; min-height: 2.5rem;
}
textarea { min-height: 5rem; resize: vertical; }
fieldset { border: 1px solid var(--border); border-radius: var(--radius); padding: 0.6em 0.9em; margin: 0; }
legend { font-weight: 600; padding: 0 0.3em; }
fieldset .field + .field { margin-top: 0.75em; }
.choice { display: flex; gap: 0.5em; align-items: baseline; font-weight: 400; margin: 0.25em 0; }
.choice input { flex: none; }
.slug-input { display: flex; align-items: center; gap: 0.3em; flex-wrap: wrap; }
.slug-input input { flex: 1 1 10rem; width: auto; }

button, .button { display: inline-flex; align-items: center; justify-content: center; gap: 0.4em; min-height: 2.5rem; padding: 0.4em 1em; font: inherit; font-weight: 600;
  border-radius: var(--radius); border: 1px solid var(--border); background: var(--surface-2); color: var(--fg); cursor: pointer; text-decoration: none; }
button:hover, .button:hover { border-color: var(--muted); }
.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-fg); }
.primary:hover { background: var(--accent-hover); border-color: var(--accent-hover); }
.danger { background: var(--danger); border-color: var(--danger); color: var(--danger-fg); }
.danger:hover { background: var(--danger-hover); border-color: var(--danger-hover); }
.link-button { background: none; border: none; padding: 0; min-height: 0; color: var(--link); font-weight: 400; text-decoration: underline; }
.actions { display: flex; flex-wrap: wrap; gap: 0.5em; align-items: center; }

.table-wrap { overflow-x: auto; margin: 0.5em 0 1.25em; border: 1px solid var(--border); border-radius: var(--radius); }
table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
th, td { text-align: left; padding: 0.5em 0.75em; border-bottom: 1px solid var(--border); vertical-align: middle; }
tr:last-child td { border-bottom: none; }
th { background: var(--surface); font-weight: 600; white-space: nowrap; }
td form { margin: 0; }
td form button { white-space: nowrap; }
/* A long identifier under a name (a client id URL) wraps within this width instead of squeezing the other columns. */
td .detail { display: block; max-width: 16rem; }
td .row-form { display: flex; flex-wrap: wrap; gap: 0.4em; align-items: center; }
td select { width: auto; min-height: 2.25rem; }

.badge { display: inline-block; padding: 0.05em 0.5em; border-radius: 999px; font-size: 0.8rem; font-weight: 600; border: 1px solid var(--border); background: var(--surface); white-space: nowrap; }
.badge.owner { border-color: var(--accent); }
.badge.revoked, .badge.expired { color: var(--muted); }

.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 0.9em; margin: 0.5em 0 1.5em; padding: 0; list-style: none; }
.card { border: 1px solid var(--border); border-radius: var(--radius); padding: 0.9em 1em; background: var(--surface); display: grid; gap: 0.3em; align-content: start; }
.card h3 { margin: 0; font-size: 1.1rem; }
.card p { margin: 0; }
.stats { display: flex; flex-wrap: wrap; gap: 0.9em; margin: 0.5em 0 1.5em; padding: 0; list-style: none; }
.stats li { border: 1px solid var(--border); border-radius: var(--radius); padding: 0.6em 1em; min-width: 8rem; background: var(--surface); }
.stats strong { display: block; font-size: 1.5rem; }

.tabs { display: flex; flex-wrap: wrap; gap: 0.25em 1.25em; border-bottom: 1px solid var(--border); margin: 0 0 1.25em; padding: 0; list-style: none; }
.tabs a { display: inline-block; padding: 0.4em 0; color: var(--fg); text-decoration: none; border-bottom: 2px solid transparent; margin-bottom: -1px; }
.tabs a[aria-current="page"] { border-bottom-color: var(--accent); font-weight: 600; }

.hero { padding: 1.5rem 0 0.5rem; }
.hero h1 { font-size: 2.1rem; }
.hero .lead { font-size: 1.15rem; color: var(--muted); max-width: 42rem; }
.steps { padding-left: 1.25em; }
.steps li { margin: 0.35em 0; }
.danger-zone { border: 1px solid var(--error-border); border-radius: var(--radius); padding: 0.2em 1em 0.6em; margin-top: 2em; }
.secret { font-size: 1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3em 1em; margin: 0.5em 0 1em; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
@media (max-width: 40rem) {
  .who { margin-left: 0; width: 100%; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: 0.5em; }
  h1 { font-size: 1.5rem; }
  .hero h1 { font-size: 1.75rem; }
}
`;

/** A short content hash for the stylesheet's URL, so browsers may cache it for long. */
export const PLATFORM_CSS_VERSION = ((): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < PLATFORM_CSS.length; i++) h = Math.imul(h ^ PLATFORM_CSS.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
})();

export const PLATFORM_CSS_PATH = '/static/platform.css';
