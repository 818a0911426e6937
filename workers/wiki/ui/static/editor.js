/*
 * Live preview for the wiki's editor: as you type, the Markdown is rendered
 * by the server (POST /-/preview with the form's CSRF token) and shown beside
 * the text. The editor works without this script (its Preview button).
 * Also: Ctrl/Cmd+S saves.
 */
(() => {
  'use strict';
  const form = document.querySelector('form.editor');
  if (!form) return;
  const textarea = form.querySelector('textarea[name="content"]');
  const pane = form.querySelector('.preview-pane');
  const preview = pane && pane.querySelector(':scope > .preview');
  const tokenField = form.querySelector('input[name="_csrf"]');
  const url = form.getAttribute('data-preview-url');
  if (!textarea || !preview || !url) return;
  const token = tokenField ? tokenField.value : '';

  let timer = 0;
  let latest = 0;
  let shown = textarea.value;

  async function update() {
    const mine = ++latest;
    const text = textarea.value;
    pane.classList.add('is-stale');
    try {
      const res = await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'x-csrf-token': token, accept: 'application/json' },
        body: new URLSearchParams({ content: text }),
      });
      if (mine !== latest) return;
      if (!res.ok) {
        pane.setAttribute('data-preview-error', String(res.status));
        return;
      }
      const data = await res.json();
      // The server's renderer sanitised this HTML, exactly as on the page itself.
      preview.innerHTML = typeof data.html === 'string' ? data.html : '';
      shown = text;
      pane.classList.remove('is-stale');
      pane.removeAttribute('data-preview-error');
      document.dispatchEvent(new CustomEvent('wiki:rendered', { detail: { root: preview } }));
    } catch {
      if (mine === latest) pane.setAttribute('data-preview-error', 'network');
    }
  }

  textarea.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      if (textarea.value !== shown) void update();
    }, 250);
  });

  form.addEventListener('keydown', (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
      event.preventDefault();
      const save = form.querySelector('button[name="action"][value="save"]');
      if (typeof form.requestSubmit === 'function') form.requestSubmit(save || undefined);
      else form.submit();
    }
  });

  // A page opened without a server-rendered preview gets one at once.
  if (preview.querySelector(':scope > p.muted:only-child')) {
    shown = null;
    void update();
  }
})();
