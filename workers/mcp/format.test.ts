import assert from 'node:assert/strict';
import { it } from 'node:test';
import { clip, formatBroken, formatError, formatPage, frontmatterLine, MAX_OUTPUT_CHARS, sectionPaths, type PageLike } from './format.ts';

const page = (over: Partial<PageLike> = {}): PageLike => ({
  path: 'Projects/Plan', name: 'Plan', category: null, tags: [], revision: 'a'.repeat(40), updated_at: '2026-03-08T10:11:12.000Z', updated_by: 'Alice',
  content: '# Plan\n', frontmatter: null, links_to: ['Home'], linked_from: [], ...over,
});

it('summarises frontmatter without the title, keys title-cased, lists joined', () => {
  assert.equal(frontmatterLine({ title: 'X', category: 'actor', tags: ['a', 'b'], last_updated: '2026-03-08', empty: '', no: false }), 'Category: actor | Tags: a, b | Last Updated: 2026-03-08');
  assert.equal(frontmatterLine({ title: 'only' }), null);
  assert.equal(frontmatterLine(null), null);
});

it('lists section paths outside code fences', () => {
  assert.deepEqual(sectionPaths('# A\n## B\n```\n# not\n```\n### C ###\n## D\n# E\n'), ['A', 'A > B', 'A > B > C', 'A > D', 'E']);
});

it('shows a page with its revision, and an old one with the current revision too', () => {
  const now = formatPage(page());
  assert.match(now, /^# Plan\nPath: Projects\/Plan\nRevision: a{40}\nLast change: 2026-03-08 10:11 UTC by Alice\nLinks to: Home\n\n---\n# Plan\n$/);
  const old = formatPage(page({ revision: 'b'.repeat(40) }), { asked: 'bbbbbbb', currentRevision: 'c'.repeat(40) });
  assert.match(old, /^Revision: b{40} \(the page as of revision bbbbbbb/m);
  assert.match(old, /^Current revision: c{40}/m);
  assert.doesNotMatch(old, /Last change/);
  assert.doesNotMatch(formatPage(page({ section: 'Goals' })), /Links to/);
});

it('clips long pages within the budget and says how to read the rest', () => {
  const content = `# Big\n${'word '.repeat(30_000)}\n## Tail\nend\n`;
  const out = formatPage(page({ content }));
  assert.ok(out.length <= MAX_OUTPUT_CHARS + 1000, String(out.length));
  assert.match(out, /clipped: showing [\d,]+ of [\d,]+ characters\. The page is too long for one answer\. Read the rest one section at a time/);
  assert.match(out, /\n {2}- Big > Tail/);
  assert.equal(clip('short', 'x'), 'short');
});

it('turns conflicts into the current revision and the next step', () => {
  const text = formatError({ code: 'conflict', status: 409, message: 'The page has changed since you read it.', details: { current_revision: 'f'.repeat(40) } }, { path: 'Plan' });
  assert.match(text, /^Conflict: The page has changed since you read it\.\nCurrent revision of Plan: f{40}\n.*revision="f{40}"/s);
  assert.match(formatError({ code: 'not_found', status: 404, message: 'Page not found: X' }, { hint: 'page' }), /^Page not found: X\nUse list_notes/);
  assert.match(formatError({ code: 'not_found', status: 404, message: 'No attachment "a" on page X.' }, { hint: 'attachment' }), /^Not found: No attachment.*\nUse list_attachments/);
  assert.match(formatError({ code: 'rate_limited', status: 429, message: 'Too many writes.', details: { retry_after: 12 } }), /Try again in 12 seconds/);
  assert.match(formatError({ code: 'unavailable', status: 503, message: 'The database is unavailable.' }), /^Wiki error \(503\)/);
});

it('groups broken links by missing page', () => {
  assert.match(formatBroken([{ src: 'A', dst: 'Gone' }, { src: 'B', dst: 'Gone' }]), /Found 2 links to 1 pages that do not exist:\n\n- Gone \(linked from A, B\)/);
  assert.match(formatBroken([]), /^No broken links/);
});
