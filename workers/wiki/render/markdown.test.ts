import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMarkdown } from './index.ts';
import type { RenderOptions } from './types.ts';

const OPTIONS: RenderOptions = { pageExists: () => true, linkHref: (name) => `/${name}` };

function html(markdown: string): string {
  return renderMarkdown(markdown, OPTIONS).html;
}

describe('CommonMark and GFM', () => {
  it('renders paragraphs, soft and hard breaks, emphasis and lists', () => {
    assert.equal(html('a\nb  \nc\\\nd'), '<p>a\nb<br>\nc<br>\nd</p>\n');
    assert.equal(html('*em* **strong** `code`\n\n1. one\n2. two'), '<p><em>em</em> <strong>strong</strong> <code>code</code></p>\n<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n');
  });

  it('renders tables with alignment as align attributes', () => {
    assert.equal(
      html('| L | C | R |\n|:--|:-:|--:|\n| 1 | 2 | `a\\|b` |'),
      '<table>\n<thead>\n<tr>\n<th align="left">L</th>\n<th align="center">C</th>\n<th align="right">R</th>\n</tr>\n</thead>\n' +
        '<tbody>\n<tr>\n<td align="left">1</td>\n<td align="center">2</td>\n<td align="right"><code>a|b</code></td>\n</tr>\n</tbody>\n</table>\n',
    );
  });

  it('renders task lists with disabled checkboxes', () => {
    assert.equal(
      html('- [ ] todo\n- [x] done\n- [X] also done\n- [ ]\n- not a task'),
      '<ul>\n<li class="task-list-item"><input class="task-list-item-checkbox" type="checkbox" disabled> todo</li>\n' +
        '<li class="task-list-item"><input class="task-list-item-checkbox" type="checkbox" disabled checked> done</li>\n' +
        '<li class="task-list-item"><input class="task-list-item-checkbox" type="checkbox" disabled checked> also done</li>\n' +
        '<li>[ ]</li>\n<li>not a task</li>\n</ul>\n',
    );
  });

  it('renders ~~strike~~ and ==mark==', () => {
    assert.equal(html('~~old~~ ==new=='), '<p><s>old</s> <mark>new</mark></p>\n');
  });

  it('renders footnotes with back links', () => {
    assert.equal(
      html('Text[^note] again[^note].\n\n[^note]: The *note*.'),
      '<p>Text<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup> again<sup class="footnote-ref"><a href="#fn1" id="fnref1&#58;1">[1:1]</a></sup>.</p>\n' +
        '<hr class="footnotes-sep">\n<section class="footnotes">\n<ol class="footnotes-list">\n' +
        '<li id="fn1" class="footnote-item"><p>The <em>note</em>. <a href="#fnref1" class="footnote-backref">↩︎</a> <a href="#fnref1&#58;1" class="footnote-backref">↩︎</a></p>\n</li>\n</ol>\n</section>\n',
    );
  });

  it('autolinks http(s) URLs (not bare domains) and marks links to other sites nofollow', () => {
    assert.equal(
      html('See https://example.com/a?b=1 and www.example.com and <https://example.org>.'),
      '<p>See <a href="https://example.com/a?b=1" rel="nofollow noopener">https://example.com/a?b=1</a> and www.example.com and ' +
        '<a href="https://example.org" rel="nofollow noopener">https://example.org</a>.</p>\n',
    );
    assert.equal(html('[in](/Page) [out](//cdn.example.com/x) [mail](mailto:a@example.com)'),
      '<p><a href="/Page">in</a> <a href="//cdn.example.com/x" rel="nofollow noopener">out</a> <a href="mailto:a@example.com">mail</a></p>\n');
  });

  it('renders abbreviations', () => {
    assert.equal(html('*[HTML]: Hyper Text Markup Language\n\nHTML rocks'), '<p><abbr title="Hyper Text Markup Language">HTML</abbr> rocks</p>\n');
  });

  it('gives images Otterwiki\'s img-fluid class', () => {
    assert.equal(html('![A cat](cat.png "Cat")'), '<p><img src="cat.png" alt="A cat" title="Cat" class="img-fluid"></p>\n');
  });
});

describe('raw HTML', () => {
  it('keeps allowed formatting, tables, details and links', () => {
    assert.equal(
      html('<details><summary>More</summary>\n\n*hidden*\n\n</details>\n\nPress <kbd>Ctrl</kbd>+<kbd>C</kbd>, H<sub>2</sub>O, <u>u</u>'),
      '<details><summary>More</summary>\n<p><em>hidden</em></p>\n</details>\n<p>Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, H<sub>2</sub>O, <u>u</u></p>\n',
    );
    assert.equal(html('<table><tr><td colspan="2">x</td></tr></table>'), '<table><tr><td colspan="2">x</td></tr></table>');
    assert.equal(html('<a href="https://example.com" target="_blank" rel="opener">x</a>'), '<p><a href="https://example.com" rel="nofollow noopener">x</a></p>\n');
    assert.equal(html('<img src="/files/a.png" alt="a" width="20" style="x" loading="lazy">'), '<img src="/files/a.png" alt="a" width="20">');
  });

  it('removes what is not allowed', () => {
    assert.equal(html('<p style="color:red" onclick="x()">text</p>'), '<p>text</p>');
    assert.equal(html('a <iframe src="https://example.com"></iframe> b'), '<p>a  b</p>\n');
    assert.equal(html('<form><input type="checkbox" disabled class="task-list-item-checkbox"></form>'), '');
    assert.equal(html('<a href="ftp://example.com/x">ftp</a>'), '<p><a>ftp</a></p>\n');
  });
});

describe('headings, toc and title', () => {
  it('gives headings Otterwiki ids and lists them in the toc', () => {
    const result = renderMarkdown('# Guide\n## Install & Setup\n## Install & Setup\nSetext\n---\n### `code` *em*', OPTIONS);
    assert.equal(
      result.html,
      '<h1 id="guide">Guide</h1>\n<h2 id="install-setup">Install &amp; Setup</h2>\n<h2 id="install-setup-1">Install &amp; Setup</h2>\n' +
        '<h2 id="setext">Setext</h2>\n<h3 id="code-em"><code>code</code> <em>em</em></h3>\n',
    );
    assert.deepEqual(result.toc, [
      { level: 1, text: 'Guide', id: 'guide' },
      { level: 2, text: 'Install & Setup', id: 'install-setup' },
      { level: 2, text: 'Install & Setup', id: 'install-setup-1' },
      { level: 2, text: 'Setext', id: 'setext' },
      { level: 3, text: 'code em', id: 'code-em' },
    ]);
    assert.equal(result.title, 'Guide');
  });

  it('takes the title from frontmatter when there is no H1, and inserts it as one', () => {
    const result = renderMarkdown('---\ntitle: From YAML\ntags: [a]\n---\n## Section\n', OPTIONS);
    assert.equal(
      result.html,
      '<details class="frontmatter"><summary>Properties</summary><pre>title: From YAML\ntags: [a]</pre></details>\n' +
        '<h1>From YAML</h1>\n<h2 id="section">Section</h2>\n',
    );
    assert.equal(result.title, 'From YAML');
    assert.deepEqual(result.toc, [{ level: 2, text: 'Section', id: 'section' }]);
  });

  it('prefers the first H1 over the frontmatter title', () => {
    const result = renderMarkdown('---\ntitle: YAML\n---\nIntro\n\n# Real *Title*\n# Second', OPTIONS);
    assert.equal(result.title, 'Real Title');
    assert.equal(result.html.includes('<h1>YAML</h1>'), false);
  });

  it('has no title without an H1 or frontmatter title', () => {
    assert.equal(renderMarkdown('## Only h2', OPTIONS).title, null);
    assert.equal(renderMarkdown('', OPTIONS).html, '');
  });

  it('shows frontmatter that is not a mapping as text, never as body', () => {
    assert.equal(html('---\n- a\n---\nBody'), '<details class="frontmatter"><summary>Properties</summary><pre>- a</pre></details>\n<p>Body</p>\n');
  });
});

describe('text fidelity', () => {
  it('keeps tabs and other whitespace in code', () => {
    assert.equal(html('```make\nall:\n\tgo build\n```'), '<pre><code class="hljs language-make"><span class="hljs-section">all:</span>\n\tgo build\n</code></pre>\n');
    assert.equal(html('\tindented\tcode'), '<pre><code>indented\tcode\n</code></pre>\n');
  });

  it('reads CRLF pages', () => {
    const result = renderMarkdown('---\r\ntitle: T\r\n---\r\n# Head\r\n\r\n- [x] done\r\n', OPTIONS);
    assert.equal(
      result.html,
      '<details class="frontmatter"><summary>Properties</summary><pre>title: T</pre></details>\n<h1 id="head">Head</h1>\n' +
        '<ul>\n<li class="task-list-item"><input class="task-list-item-checkbox" type="checkbox" disabled checked> done</li>\n</ul>\n',
    );
  });

  it('keeps characters from the private use area that stand in for wikilink pipes', () => {
    assert.equal(html('\ue000 [[a|Page]] `[[b|c]]`'), '<p>\ue000 <a href="/Page" class="wikilink">a</a> <code>[[b|c]]</code></p>\n');
  });
});
