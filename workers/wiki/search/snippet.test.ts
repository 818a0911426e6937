import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SNIPPET_CLOSE as C, SNIPPET_OPEN as O, snippetToHtml, snippetToText } from './snippet.ts';

describe('snippetToHtml', () => {
  it('escapes text and turns markers into <mark>', () => {
    assert.equal(snippetToHtml(`a <b>&"'${O}x<y${C} z…`), 'a &lt;b&gt;&amp;&quot;&#39;<mark>x&lt;y</mark> z…');
  });
  it('stays well-formed with stray markers from page text', () => {
    assert.equal(snippetToHtml(`${C}a${O}b${O}c${C}d${C}e${O}f`), 'a<mark>bc</mark>de<mark>f</mark>');
  });
  it('leaves plain text alone apart from escaping', () => {
    assert.equal(snippetToHtml(''), '');
    assert.equal(snippetToHtml('plain'), 'plain');
  });
});

describe('snippetToText', () => {
  it('drops the markers and escapes nothing', () => {
    assert.equal(snippetToText(`a <b> ${O}x${C} ${O}y${C}`), 'a <b> x y');
  });
});
