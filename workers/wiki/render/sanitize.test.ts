import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sanitizeHtml, taskCheckboxMarker } from './sanitize.ts';

const NONCE = '0123456789abcdef';

function clean(html: string): string {
  return sanitizeHtml(html, NONCE);
}

it('keeps only inputs that carry this render\'s marker, as disabled checkboxes', () => {
  assert.equal(clean(taskCheckboxMarker(NONCE, true)), '<input class="task-list-item-checkbox" type="checkbox" disabled checked>');
  assert.equal(clean(taskCheckboxMarker(NONCE, false)), '<input class="task-list-item-checkbox" type="checkbox" disabled>');
  assert.equal(clean(taskCheckboxMarker('guessed', true)), '');
  assert.equal(clean('<input type="checkbox" disabled>'), '');
});

it('writes attributes again from their decoded values', () => {
  assert.equal(clean('<a href="/a?x=1&amp;y=2" title="a &quot;b&quot; c=d:e">x</a>'), '<a href="/a?x=1&amp;y=2" title="a &#34;b&#34; c&#61;d&#58;e">x</a>');
  assert.equal(clean('<a href="&#x2F;Page">x</a>'), '<a href="/Page">x</a>');
  assert.equal(clean('<span class="ok also-ok bad&quot;x" id="a b">x</span>'), '<span class="ok also-ok">x</span>');
  assert.equal(clean('<td align="middle" colspan="2x">x</td>'), '<td>x</td>');
});

it('drops the bodies of raw-text and foreign elements, even unclosed ones, without leaving markers', () => {
  assert.equal(clean('a<script>b</script>c<style>d</style>e'), 'ace');
  assert.equal(clean('a<svg><g>b</g>'), 'ab');
  assert.equal(clean('[removed] and [/removed] stay text'), '[removed] and [/removed] stay text');
});

it('adds rel="nofollow noopener" to links that leave the wiki only', () => {
  assert.equal(clean('<a href="https://example.com" rel="opener">x</a>'), '<a href="https://example.com" rel="nofollow noopener">x</a>');
  assert.equal(clean('<a href="/Page" rel="opener">x</a>'), '<a href="/Page">x</a>');
});

it('drops comments', () => {
  assert.equal(clean('a<!-- secret -->b'), 'ab');
});
