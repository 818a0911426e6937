/*
 * Math (KaTeX) and diagrams (mermaid), rendered in the browser only when the
 * page has them (`.math-inline`, `.math-display`, `pre.mermaid`). Both are
 * loaded from /-/static/vendor/ and run safely: KaTeX with trust off and
 * errors shown inline, mermaid at securityLevel "strict". The page's CSP
 * allows no inline styles, so KaTeX builds its DOM with katex.render (CSSOM
 * styles) and mermaid's SVG is inserted with its <style> turned into a
 * constructed stylesheet and its style attributes set through CSSOM.
 * Also re-renders the editor's live preview (event `wiki:rendered`).
 */
(() => {
  'use strict';
  const script = document.currentScript;
  const base = script && script.src ? new URL('.', script.src).href : '/-/static/';
  const pending = new Map();
  let mermaidReady = null;
  let diagramCount = 0;

  function loadScript(src) {
    if (!pending.has(src)) {
      pending.set(src, new Promise((resolve, reject) => {
        const el = document.createElement('script');
        el.src = src;
        el.async = true;
        el.onload = () => resolve();
        el.onerror = () => reject(new Error(`could not load ${src}`));
        document.head.appendChild(el);
      }));
    }
    return pending.get(src);
  }

  function loadStylesheet(href) {
    if (document.querySelector(`link[rel="stylesheet"][href="${href}"]`)) return;
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    document.head.appendChild(link);
  }

  async function renderMath(root) {
    const nodes = Array.from(root.querySelectorAll('.math-inline, .math-display')).filter((n) => !n.hasAttribute('data-rendered'));
    if (nodes.length === 0) return;
    loadStylesheet(`${base}vendor/katex/katex.min.css`);
    await loadScript(`${base}vendor/katex/katex.min.js`);
    const katex = window.katex;
    if (!katex) return;
    for (const node of nodes) {
      const tex = node.textContent || '';
      try {
        katex.render(tex, node, {
          displayMode: node.classList.contains('math-display'),
          throwOnError: false,
          trust: false,
          strict: 'ignore',
          maxExpand: 1000,
          maxSize: 50,
        });
        node.setAttribute('data-rendered', 'katex');
      } catch {
        node.textContent = tex;
        node.setAttribute('data-rendered', 'error');
      }
    }
  }

  /** The diagram's source: the text, with the renderer's <br> line breaks back as newlines. */
  function diagramSource(pre) {
    let out = '';
    for (const child of pre.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) out += child.nodeValue;
      else if (child.nodeName === 'BR') out += '\n';
      else out += child.textContent || '';
    }
    return out;
  }

  /** Adds mermaid's CSS without an inline <style> element (which the CSP would refuse). */
  function adoptCss(css) {
    if (!css || typeof CSSStyleSheet !== 'function' || !('adoptedStyleSheets' in document)) return;
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    } catch {
      // unstyled diagrams still show
    }
  }

  /** Puts mermaid's SVG markup into `pre`, moving inline styles to CSSOM. */
  function insertSvg(pre, markup) {
    const doc = new DOMParser().parseFromString(markup, 'text/html');
    const svg = doc.querySelector('svg');
    if (!svg) throw new Error('mermaid gave no SVG');
    for (const style of Array.from(svg.querySelectorAll('style'))) {
      adoptCss(style.textContent || '');
      style.remove();
    }
    for (const bad of Array.from(svg.querySelectorAll('script, foreignObject iframe, foreignObject object, foreignObject embed'))) bad.remove();
    const styled = [svg, ...svg.querySelectorAll('[style]')].filter((el) => el.hasAttribute('style'));
    const saved = styled.map((el, i) => {
      el.setAttribute('data-css-index', String(i));
      const css = el.getAttribute('style') || '';
      el.removeAttribute('style');
      return css;
    });
    const live = document.importNode(svg, true);
    const targets = [live, ...live.querySelectorAll('[data-css-index]')].filter((el) => el.hasAttribute('data-css-index'));
    for (const el of targets) {
      const css = saved[Number(el.getAttribute('data-css-index'))];
      el.removeAttribute('data-css-index');
      if (css) el.style.cssText = css;
    }
    pre.replaceChildren(live);
  }

  function initMermaid() {
    if (!mermaidReady) {
      mermaidReady = loadScript(`${base}vendor/mermaid/mermaid.min.js`).then(() => {
        const mermaid = window.mermaid;
        if (!mermaid) throw new Error('mermaid did not load');
        const dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
        // SVG text labels: HTML labels are measured with inline styles, which the CSP refuses.
        mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: dark ? 'dark' : 'default', htmlLabels: false, flowchart: { htmlLabels: false } });
        return mermaid;
      });
    }
    return mermaidReady;
  }

  async function renderDiagrams(root) {
    const nodes = Array.from(root.querySelectorAll('pre.mermaid')).filter((n) => !n.hasAttribute('data-rendered'));
    if (nodes.length === 0) return;
    const mermaid = await initMermaid();
    for (const pre of nodes) {
      const source = diagramSource(pre);
      try {
        const { svg } = await mermaid.render(`wiki-diagram-${++diagramCount}`, source);
        insertSvg(pre, svg);
        pre.setAttribute('data-rendered', 'mermaid');
      } catch {
        pre.textContent = source;
        pre.classList.add('mermaid-error');
        pre.setAttribute('data-rendered', 'error');
      }
    }
  }

  function renderAll(root) {
    void renderMath(root).catch(() => {});
    void renderDiagrams(root).catch(() => {});
  }

  const start = () => {
    const root = document.querySelector('main') || document.body;
    renderAll(root);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
  document.addEventListener('wiki:rendered', (event) => {
    const root = event.detail && event.detail.root;
    if (root instanceof Element) renderAll(root);
  });
})();
