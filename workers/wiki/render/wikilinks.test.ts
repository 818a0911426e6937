import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMarkdown } from './index.ts';
import type { RenderOptions } from './types.ts';
import { parseWikilinkTarget } from './wikilinks.ts';

const EXISTING = new Set(['Home', 'Page', 'Dir/Sub Page']);
const OPTIONS: RenderOptions = {
  pageExists: (name) => EXISTING.has(name),
  linkHref: (name) => `/${encodeURI(name.replace(/ /g, '_'))}`,
};

function html(markdown: string): string {
  return renderMarkdown(markdown, OPTIONS).html;
}

describe('wikilinks', () => {
  it('links [[Page]] through linkHref, with class wikilink for existing pages', () => {
    assert.equal(html('See [[Page]].'), '<p>See <a href="/Page" class="wikilink">Page</a>.</p>\n');
  });

  it('marks links to missing pages wikilink-missing', () => {
    assert.equal(html('[[Nowhere]]'), '<p><a href="/Nowhere" class="wikilink-missing">Nowhere</a></p>\n');
  });

  it('reads [[Title|Page]] title first, and parses the title as inline Markdown', () => {
    assert.equal(html('[[The *home* page|Home]]'), '<p><a href="/Home" class="wikilink">The <em>home</em> page</a></p>\n');
  });

  it('slugifies the fragment of [[Page#Section]] like heading ids', () => {
    assert.equal(html('[[Page#Install & Setup!]]'), '<p><a href="/Page#install-setup" class="wikilink">Page#Install &amp; Setup!</a></p>\n');
    assert.equal(html('[[Read this|Dir/Sub Page#Part 2]]'), '<p><a href="/Dir/Sub_Page#part-2" class="wikilink">Read this</a></p>\n');
    assert.equal(html('[[#Local Part]]'), '<p><a href="#local-part" class="wikilink">#Local Part</a></p>\n');
  });

  it('drops a leading / from the page name', () => {
    assert.equal(html('[[/Dir/Sub Page]]'), '<p><a href="/Dir/Sub_Page" class="wikilink">/Dir/Sub Page</a></p>\n');
  });

  it('never links inside code spans or fenced code', () => {
    assert.equal(html('`[[Page]]` and `[[A|B]]`'), '<p><code>[[Page]]</code> and <code>[[A|B]]</code></p>\n');
    assert.equal(html('```\n[[Page]] [[A|B]]\n```'), '<pre><code>[[Page]] [[A|B]]\n</code></pre>\n');
    assert.equal(html('    [[Page]]'), '<pre><code>[[Page]]\n</code></pre>\n');
  });

  it('works inside table cells, pipe included', () => {
    assert.equal(
      html('| Link | Note |\n|---|---|\n| [[Go home|Home]] | x |'),
      '<table>\n<thead>\n<tr>\n<th>Link</th>\n<th>Note</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n' +
        '<td><a href="/Home" class="wikilink">Go home</a></td>\n<td>x</td>\n</tr>\n</tbody>\n</table>\n',
    );
  });

  it('leaves malformed ones as text', () => {
    assert.equal(html('[[]] [[|Page]] [[Title|]] [[a]b]] [[ ]]'), '<p>[[]] [[|Page]] [[Title|]] [[a]b]] [[ ]]</p>\n');
  });

  it('reports every linked page once, wikilinks and relative Markdown links alike', () => {
    const result = renderMarkdown(
      '[[Page]] [[x|Home#top]] [[Page]] [[#Here]] [a](Other_Page) [b](/Dir/Deep%20Page#s) [c](https://example.com/X) ' +
        '[d](#anchor) [e](./file.pdf) [f](/Page/a/report.pdf) [g](mailto:x@example.com) `[[Code]]`',
      OPTIONS,
    );
    assert.deepEqual(result.links, ['Page', 'Home', 'Other_Page', 'Dir/Deep Page']);
  });

  it('splits targets into page and slugified fragment', () => {
    assert.deepEqual(parseWikilinkTarget(' /A/B # Some Part '), { page: 'A/B', fragment: 'some-part' });
    assert.deepEqual(parseWikilinkTarget('#x'), { page: null, fragment: 'x' });
    assert.equal(parseWikilinkTarget(' # '), null);
  });
});
