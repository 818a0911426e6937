import assert from 'node:assert/strict';
import { it } from 'node:test';
import { renderMarkdown } from '../render/index.ts';
import { pageHref, rewritePageLinks } from './link-rewrite.ts';

const on = (page: string) => ({ page });
/** `text` as rename rewrites it on page X, which is neither end of the rename. */
const onX = (text: string, rename: { from: string; to: string }) => rewritePageLinks(text, rename, on('X'));
/** `text` as the renderer reads it (every page exists). */
const rendered = (text: string) => renderMarkdown(text, { pageExists: () => true, linkHref: (n) => `/${n}` });

it('rewrites wikilinks in every form, keeping titles and anchors', () => {
  const text = 'A [[Old Page]], B [[Old_Page#Setup]], C [[the old one|Old Page]], D [[/Old Page]], E [[Older Page]], F [[Folder/Old Page]].';
  assert.equal(
    rewritePageLinks(text, { from: 'Old_Page', to: 'Folder/New_Page' }, on('Other')),
    'A [[Folder/New Page]], B [[Folder/New Page#Setup]], C [[the old one|Folder/New Page]], D [[Folder/New Page]], E [[Older Page]], F [[Folder/Old Page]].',
  );
});

it('rewrites Markdown links and images to the page and its attachments', () => {
  const text = '[t](/Old_Page) [u](/Old%20Page#x) ![m](/Old_Page/map.png "Map") ![n](</Old_Page/a/pic one.png>) [v](/Old_Page_Two) [w](https://example.com/Old_Page) [x](//Old_Page)';
  assert.equal(
    rewritePageLinks(text, { from: 'Old_Page', to: 'New_Page' }, on('Other')),
    '[t](/New_Page) [u](/New_Page#x) ![m](/New_Page/map.png "Map") ![n](</New_Page/a/pic one.png>) [v](/Old_Page_Two) [w](https://example.com/Old_Page) [x](//Old_Page)',
  );
});

it('leaves links to the page\'s subpages alone: they do not move', () => {
  const text = '[child](/Old_Page/Child) [[Old Page/Child]]';
  assert.equal(rewritePageLinks(text, { from: 'Old_Page', to: 'New' }, on('Other')), text);
});

it('rewrites bare paths, reference definitions and ./ paths the way the index reads them', () => {
  const text = [
    '[bare](Folder/Sub) and [ref][1] and [sub](./Sub) and ![pic](./Sub/photo.png) and [up](./../Folder/Sub#top)',
    '',
    '[1]: /Folder/Sub "Title"',
    '[2]: <Folder/Sub>',
    '[^1]: a footnote naming /Folder/Sub stays as it is',
  ].join('\n');
  assert.equal(
    rewritePageLinks(text, { from: 'Folder/Sub', to: 'Moved' }, on('Folder')),
    [
      '[bare](/Moved) and [ref][1] and [sub](/Moved) and ![pic](/Moved/a/photo.png) and [up](/Moved#top)',
      '',
      '[1]: /Moved "Title"',
      '[2]: </Moved>',
      '[^1]: a footnote naming /Folder/Sub stays as it is',
    ].join('\n'),
  );
});

it('on the page that moves: links to itself follow it, ./ links keep leading where they led', () => {
  const text = 'Self [[Folder/Sub#top]] and [me](/Folder/Sub), a child [c](./Child), a file ![p](./photo.png), a sibling [s](./../Other)';
  assert.equal(
    rewritePageLinks(text, { from: 'Folder/Sub', to: 'Moved' }, { page: 'Folder/Sub', after: 'Moved' }),
    'Self [[Moved#top]] and [me](/Moved), a child [c](/Folder/Sub/Child), a file ![p](./photo.png), a sibling [s](/Folder/Other)',
  );
  // Within the same folder, ./ links to siblings' children and its files still lead the same way.
  assert.equal(rewritePageLinks('[f](./photo.png)', { from: 'A/B', to: 'A/C' }, { page: 'A/B', after: 'A/C' }), '[f](./photo.png)');
});

it('writes names with parentheses so the link cannot end early', () => {
  assert.equal(pageHref('a)b'), '/a%29b');
  assert.equal(pageHref('Notes/Plan_(draft)'), '/Notes/Plan_%28draft%29');
  assert.equal(rewritePageLinks('[x](/Old)', { from: 'Old', to: 'a)b' }, on('Other')), '[x](/a%29b)');
  // A link to a name with balanced parentheses is read whole.
  assert.equal(rewritePageLinks('[x](/Plan_(draft))', { from: 'Plan_(draft)', to: 'Plan' }, on('Other')), '[x](/Plan)');
});

it('leaves code alone', () => {
  const text = 'Use `[[Old Page]]` literally.\n\n```\n[[Old Page]] and [x](/Old_Page)\n```\n\nBut [[Old Page]] here.\n';
  assert.equal(rewritePageLinks(text, { from: 'Old_Page', to: 'New' }, on('Other')), 'Use `[[Old Page]]` literally.\n\n```\n[[Old Page]] and [x](/Old_Page)\n```\n\nBut [[New]] here.\n');
});

it('leaves every block the renderer does not read for links: indented code, raw HTML, math, frontmatter', () => {
  const rename = { from: 'Old_Page', to: 'New' };
  const text = [
    '---',
    'see: "[[Old Page]]"',
    '---',
    'Intro [[Old Page]].',
    '',
    '    indented code: [[Old Page]] and [x](/Old_Page)',
    '    [1]: /Old_Page',
    '',
    '<div>',
    '[[Old Page]] in raw HTML',
    '</div>',
    '',
    '$$',
    '[[Old Page]]',
    '$$',
    '',
    '> quoted [[Old Page]]',
    '',
    '- item',
    '',
    '      code in a list item: [[Old Page]]',
    '',
  ].join('\n');
  const expected = text
    .replace('Intro [[Old Page]]', 'Intro [[New]]')
    .replace('quoted [[Old Page]]', 'quoted [[New]]');
  assert.equal(rewritePageLinks(text, rename, on('Other')), expected);
});

it('changes nothing when nothing links to the page', () => {
  const text = '# Title\n\nNo links [[Other]], [a](https://x.test/Old_Page), [b](#Old_Page), [c](./Old_Page) from the root.\n';
  assert.equal(rewritePageLinks(text, { from: 'Old_Page', to: 'New' }, on('Home')), text, './Old_Page on Home is Home/Old_Page');
});

it('reads links as the index does: spaces inside the parentheses, titles in parentheses, definitions in quotes and lists', () => {
  const rename = { from: 'Old', to: 'New' };
  assert.equal(onX('[a]( /Old ) [b](/Old (title)) [c](/Old \'t\')', rename), '[a]( /New ) [b](/New (title)) [c](/New \'t\')');
  assert.equal(onX('> [1]: /Old\n\n- [2]: /Old\n1. [3]: </Old>\n', rename), '> [1]: /New\n\n- [2]: /New\n1. [3]: </New>\n');
  // After a code span the line does not start: this is text, not a definition.
  assert.equal(onX('`c` [1]: /Old\n', rename), '`c` [1]: /Old\n');
  assert.equal(onX('```\n[1]: /Old\n```\n', rename), '```\n[1]: /Old\n```\n');
});

it('reads a line break inside a link, and stays linear on a long run of spaces', () => {
  const rename = { from: 'Old', to: 'New' };
  assert.equal(onX('[a](/Old\n"title") [b](/Old\n)', rename), '[a](/New\n"title") [b](/New\n)');
  assert.equal(onX('\t[1]: /Old\n', rename), '\t[1]: /Old\n', 'a tab makes an indented code block, not a definition');
  const spaces = `See [[Old]] and [x](${' '.repeat(200_000)}y`;
  const started = performance.now();
  assert.equal(onX(spaces, rename), spaces.replace('[[Old]]', '[[New]]'));
  assert.ok(performance.now() - started < 1000, `${Math.round(performance.now() - started)} ms for 200,000 spaces`);
});

it('counts lines as the parser does (a lone CR ends one) and finds code in footnotes, which the parser moves to the end', () => {
  const rename = { from: 'Old_Page', to: 'New' };
  assert.equal(onX('a\rb\rc\n\n    indented code [[Old Page]]\n\nprose [[Old Page]]\n', rename), 'a\rb\rc\n\n    indented code [[Old Page]]\n\nprose [[New]]\n');
  const footnote = 'Text[^1] and [[Old Page]]\n\n[^1]: A note with code:\n\n    ~~~\n    [[Old Page]] in footnote code\n    ~~~\n\n```\nlater code\n```\n';
  assert.equal(onX(footnote, rename), footnote.replace('Text[^1] and [[Old Page]]', 'Text[^1] and [[New]]'));
});

it('rewrites a definition indented inside a list item, and a link between two lone backticks in other paragraphs', () => {
  const rename = { from: 'Old_Page', to: 'New' };
  assert.equal(onX('- item\n\n    [r]: /Old_Page\n\n[ref][r]\n', rename), '- item\n\n    [r]: /New\n\n[ref][r]\n');
  assert.equal(onX('a ` b\n\nc [[Old Page]]\n\nd ` e\n', rename), 'a ` b\n\nc [[New]]\n\nd ` e\n');
});

it('leaves inline math alone as the renderer reads it, and rewrites links beside dollars that open no math', () => {
  const rename = { from: 'Old_Page', to: 'New' };
  assert.equal(onX('In math $x [[Old Page]]$ and $$[[Old Page]]$$, out [[Old Page]].\n', rename), 'In math $x [[Old Page]]$ and $$[[Old Page]]$$, out [[New]].\n');
  // `$5 and … $` has a space before its closing dollar: no math, so the link is one.
  assert.equal(onX('It costs $5 and [[Old Page]] $10.\n', rename), 'It costs $5 and [[New]] $10.\n');
  assert.equal(onX('Escaped \\$[[Old Page]]$ is text.\n', rename), 'Escaped \\$[[New]]$ is text.\n');
  // A dollar inside a wikilink opens no math that would swallow the next link.
  assert.equal(onX('[[Cost $5]] and [[Old Page]]$x$\n', rename), '[[Cost $5]] and [[New]]$x$\n');
  assert.deepEqual(rendered('In math $x [[Old Page]]$, out [[o|Old Page]].').links, ['Old Page'], 'the renderer reads the link outside the math only');
});

it('reads code spans as the parser does: closed by a run of the same length, a longer run inside is text', () => {
  const rename = { from: 'Old', to: 'New' };
  assert.equal(onX('`a``[[Old]]` [[Old]]\n', rename), '`a``[[Old]]` [[New]]\n');
  assert.equal(onX('``x ` [[Old]]`` [[Old]]\n', rename), '``x ` [[Old]]`` [[New]]\n');
  assert.equal(onX('``` [[Old]] ` [[Old]]\n', rename), '``` [[New]] ` [[New]]\n', 'unclosed runs are text');
});

it('stays fast on many unclosed backtick runs and dollars that open no math', () => {
  const rename = { from: 'Old', to: 'New' };
  // 400 runs of different lengths, none closed: each is looked for once, not once per backtick.
  const runs = Array.from({ length: 400 }, (_, i) => `${'`'.repeat(i + 1)} a`).join(' ');
  const text = `${runs}${' $5 and $ b'.repeat(10_000)} [[Old]]${' c'.repeat(50_000)}`;
  const started = performance.now();
  assert.equal(onX(text, rename), text.replace('[[Old]]', '[[New]]'));
  assert.ok(performance.now() - started < 1000, `${Math.round(performance.now() - started)} ms`);
});

it('leaves what escapes make text: an escaped wikilink or link text, and a link text never opened', () => {
  const rename = { from: 'Old', to: 'New' };
  const text = 'A \\[[Old]], B \\[b](/Old), C c](/Old), D [d\n\ne](/Old), E [e\\](/Old), F \\\\[[Old]], G [g [h] i](/Old), H ![h](/Old/a/p.png), I [[Old\\]]';
  const expected = 'A \\[[Old]], B \\[b](/Old), C c](/Old), D [d\n\ne](/Old), E [e\\](/Old), F \\\\[[New]], G [g [h] i](/New), H ![h](/New/a/p.png), I [[Old\\]]';
  assert.equal(onX(text, rename), expected);
  // As the renderer reads them: F's backslash is escaped, so its wikilink is one; I's wikilink names `Old\`, not `Old`.
  assert.deepEqual(rendered('A \\[[Old]] B \\[b](/Old) C c](/Old) E [e\\](/Old)').links, []);
  assert.deepEqual(rendered('F \\\\[[Old]]').links, ['Old']);
  assert.doesNotMatch(rendered('D [d\n\ne](/Old)').html, /<a /);
  assert.match(rendered('G [g [h] i](/Old)').html, /<a href="\/Old">g \[h\] i<\/a>/);
});
