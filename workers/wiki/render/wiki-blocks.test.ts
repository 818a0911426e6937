import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fancyBlockClass } from './fancy-blocks.ts';
import { renderMarkdown } from './index.ts';
import type { RenderOptions } from './types.ts';

const OPTIONS: RenderOptions = { pageExists: () => true, linkHref: (name) => `/${name}` };

function html(markdown: string): string {
  return renderMarkdown(markdown, OPTIONS).html;
}

describe('fancy blocks', () => {
  it('turns ::: name … ::: into div.alert.alert-{name}', () => {
    for (const name of ['info', 'warning', 'danger', 'success']) {
      assert.equal(html(`::: ${name}\nSome **text**.\n:::`), `<div class="alert alert-${name}">\n<p>Some <strong>text</strong>.</p>\n</div>\n`);
    }
    assert.equal(html('::: Custom Thing\nx\n:::'), '<div class="alert alert-custom-thing">\n<p>x</p>\n</div>\n');
    assert.equal(html(':::\nplain\n:::'), '<div class="alert">\n<p>plain</p>\n</div>\n');
  });

  it('makes a first-line # Heading an h4.alert-heading that stays out of the toc', () => {
    const result = renderMarkdown('::: warning\n# Careful now\nBody.\n\n## Real heading\n:::', OPTIONS);
    assert.equal(
      result.html,
      '<div class="alert alert-warning">\n<h4 class="alert-heading">Careful now</h4>\n<p>Body.</p>\n' +
        '<h2 id="real-heading">Real heading</h2>\n</div>\n',
    );
    assert.deepEqual(result.toc, [{ level: 2, text: 'Real heading', id: 'real-heading' }]);
  });

  it('takes longer colon fences, and runs to the end when unclosed', () => {
    assert.equal(html(':::: danger\nx\n::::\nafter'), '<div class="alert alert-danger">\n<p>x</p>\n</div>\n<p>after</p>\n');
    assert.equal(html('::: info\nnever closed'), '<div class="alert alert-info">\n<p>never closed</p>\n</div>\n');
  });

  it('reduces block names to a safe class', () => {
    assert.equal(fancyBlockClass(' INFO '), 'alert alert-info');
    assert.equal(fancyBlockClass('a "b" <c>'), 'alert alert-a-b-c');
    assert.equal(fancyBlockClass(''), 'alert');
  });
});

describe('~~~ fences', () => {
  it('stay code blocks, as in Otterwiki, whose fenced-code rule takes ~~~ before its fancy-block rule sees it', () => {
    assert.equal(html('~~~ info\n# Head\nbody\n~~~'), '<pre><code class="language-info"># Head\nbody\n</code></pre>\n');
    assert.equal(html('~~~\nplain\n~~~'), '<pre><code>plain\n</code></pre>\n');
  });
});

const SPOILER_OPEN = '<details class="spoiler">\n<summary class="spoiler-button">Spoiler</summary>\n<div class="spoiler-content">\n';
const SPOILER_CLOSE = '</div>\n</details>\n';

function fold(summary: string, body: string): string {
  return `<details class="collapse-panel">\n<summary class="collapse-header">${summary}</summary>\n<div class="collapse-content">\n${body}</div>\n</details>\n`;
}

describe('spoilers', () => {
  it('turn consecutive >! lines into a details.spoiler holding their Markdown', () => {
    assert.equal(
      html('>! Spoiler blocks reveal their\n>! content on *click*.'),
      `${SPOILER_OPEN}<p>Spoiler blocks reveal their\ncontent on <em>click</em>.</p>\n${SPOILER_CLOSE}`,
    );
    assert.equal(html('>!a\n>!\n>! - b\n>! - c'), `${SPOILER_OPEN}<p>a</p>\n<ul>\n<li>b</li>\n<li>c</li>\n</ul>\n${SPOILER_CLOSE}`);
  });

  it('interrupt a paragraph, end at the first line without the marker, and take up to three spaces of indent', () => {
    assert.equal(html('para\n>! hidden\nafter'), `<p>para</p>\n${SPOILER_OPEN}<p>hidden</p>\n${SPOILER_CLOSE}<p>after</p>\n`);
    assert.equal(html('   >! x'), `${SPOILER_OPEN}<p>x</p>\n${SPOILER_CLOSE}`);
    assert.equal(html('    >! x'), '<pre><code>&gt;! x\n</code></pre>\n');
    assert.equal(html('>! a\n> quote'), `${SPOILER_OPEN}<p>a</p>\n${SPOILER_CLOSE}<blockquote>\n<p>quote</p>\n</blockquote>\n`);
  });

  it('work after a list and inside fancy blocks', () => {
    assert.equal(html('1. Test\n2. Test\n\n>! Spoiler content'), `<ol>\n<li>Test</li>\n<li>Test</li>\n</ol>\n${SPOILER_OPEN}<p>Spoiler content</p>\n${SPOILER_CLOSE}`);
    assert.equal(html('::: info\n>! x\n:::'), `<div class="alert alert-info">\n${SPOILER_OPEN}<p>x</p>\n${SPOILER_CLOSE}</div>\n`);
  });

  it('leave a quote that merely contains ! alone', () => {
    assert.equal(html('> quote\n>! more'), '<blockquote>\n<p>quote\n! more</p>\n</blockquote>\n');
  });
});

describe('folds', () => {
  it('use a first # heading as the summary, out of the toc, and the rest as the body', () => {
    const result = renderMarkdown('>| # Headline is used as summary\n>| with the details folded.\n>|\n>| ## Inside\n>| more', OPTIONS);
    assert.equal(result.html, fold('Headline is used as summary', '<p>with the details folded.</p>\n<h2 id="inside">Inside</h2>\n<p>more</p>\n'));
    assert.deepEqual(result.toc, [{ level: 2, text: 'Inside', id: 'inside' }]);
  });

  it('show ... without a heading, skip leading blank lines, and escape the summary as text', () => {
    assert.equal(html('>| body only'), fold('...', '<p>body only</p>\n'));
    assert.equal(html('>|\n>| ### Late\n>| t'), fold('Late', '<p>t</p>\n'));
    assert.equal(html('>| # a <b>&amp; *c*'), fold('a &lt;b&gt;&amp;amp; *c*', ''));
  });

  it('work after a list and inside list items', () => {
    assert.equal(html('1. Test\n\n>| # Summary\n>| Folded content'), `<ol>\n<li>Test</li>\n</ol>\n${fold('Summary', '<p>Folded content</p>\n')}`);
    assert.equal(html('- item\n\n  >| # F\n  >| body'), `<ul>\n<li>\n<p>item</p>\n${fold('F', '<p>body</p>\n')}</li>\n</ul>\n`);
  });

  it('collect the wikilinks inside them', () => {
    assert.deepEqual(renderMarkdown('>| # S\n>| see [[Other Page]]\n\n>! and [[Secret]]', OPTIONS).links, ['Other Page', 'Secret']);
  });
});

describe('GitHub alerts', () => {
  it('renders each kind, whatever the case of the marker', () => {
    for (const kind of ['NOTE', 'tip', 'Important', 'WARNING', 'caution']) {
      const lower = kind.toLowerCase();
      const label = lower.charAt(0).toUpperCase() + lower.slice(1);
      assert.equal(
        html(`> [!${kind}]\n> Be *aware*.`),
        `<div class="quote-alert quote-alert-${lower}"><div class="quote-alert-header">${label}</div>\n<p>Be <em>aware</em>.</p>\n</div>\n`,
      );
    }
  });

  it('keeps text after the marker and further paragraphs', () => {
    assert.equal(
      html('> [!TIP] Same line\n> more\n>\n> Second'),
      '<div class="quote-alert quote-alert-tip"><div class="quote-alert-header">Tip</div>\n<p>Same line\nmore</p>\n<p>Second</p>\n</div>\n',
    );
  });

  it('leaves other blockquotes alone', () => {
    assert.equal(html('> [!UNKNOWN]\n> x'), '<blockquote>\n<p>[!UNKNOWN]\nx</p>\n</blockquote>\n');
    assert.equal(html('> Quote [!NOTE]'), '<blockquote>\n<p>Quote [!NOTE]</p>\n</blockquote>\n');
  });
});

describe('math', () => {
  it('keeps $…$ and `$…$` as TeX in span.math-inline and sets needs.math', () => {
    const result = renderMarkdown('Euler: $e^{i\\pi} + 1 = 0$ and `$a<b$`.', OPTIONS);
    assert.equal(result.html, '<p>Euler: <span class="math-inline">e^{i\\pi} + 1 = 0</span> and <span class="math-inline">a&lt;b</span>.</p>\n');
    assert.deepEqual(result.needs, { math: true, mermaid: false });
  });

  it('renders $$…$$ blocks and inline display math', () => {
    assert.equal(html('$$\n\\int_0^1 x\\,dx\n$$'), '<div class="math-display">\\int_0^1 x\\,dx</div>\n');
    assert.equal(html('$$ a^2 + b^2 = c^2 $$'), '<div class="math-display">a^2 + b^2 = c^2</div>\n');
    assert.equal(html('- item $$x^2$$'), '<ul>\n<li>item <span class="math-display">x^2</span></li>\n</ul>\n');
  });

  it('renders ```math fences one equation per line', () => {
    assert.equal(html('```math\na = b\n\nc = d\n```'), '<div class="math-display">a = b</div>\n<div class="math-display">c = d</div>\n');
  });

  it('does not take prices or escaped dollars for math', () => {
    const result = renderMarkdown('It costs $5 and $10, or \\$x\\$, or $ x $.', OPTIONS);
    assert.equal(result.html, '<p>It costs $5 and $10, or $x$, or $ x $.</p>\n');
    assert.deepEqual(result.needs, { math: false, mermaid: false });
  });
});

describe('code blocks', () => {
  it('highlights fenced code server-side with highlight.js classes', () => {
    assert.equal(
      html('```python\ndef f(x):\n    return "[[x]]"\n```'),
      '<pre><code class="hljs language-python"><span class="hljs-keyword">def</span> <span class="hljs-title function_">f</span>' +
        '(<span class="hljs-params">x</span>):\n    <span class="hljs-keyword">return</span> <span class="hljs-string">&quot;[[x]]&quot;</span>\n</code></pre>\n',
    );
  });

  it('accepts aliases and Otterwiki\'s trailing = (line numbers)', () => {
    assert.equal(html('```js=\nlet a = 1;\n```'), '<pre><code class="hljs language-js"><span class="hljs-keyword">let</span> a = <span class="hljs-number">1</span>;\n</code></pre>\n');
  });

  it('escapes code in unknown or missing languages', () => {
    assert.equal(html('```klingon\n<b>qapla\'</b>\n```'), '<pre><code class="language-klingon">&lt;b&gt;qapla&#39;&lt;/b&gt;\n</code></pre>\n');
    assert.equal(html('```\n<b>x</b>\n```'), '<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n');
  });

  it('renders ```mermaid as pre.mermaid with the source escaped and sets needs.mermaid', () => {
    const result = renderMarkdown('```mermaid\ngraph TD\n  A["a & b"] --> B[two\\nlines]\n```', OPTIONS);
    assert.equal(result.html, '<pre class="mermaid">graph TD\n  A[&quot;a &amp; b&quot;] --&gt; B[two&lt;br/&gt;lines]</pre>\n');
    assert.deepEqual(result.needs, { math: false, mermaid: true });
  });
});
