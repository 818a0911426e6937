import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeSnippet, SNIPPET_SCAN_CHARS, TermMatcher } from './make-snippet.ts';
import { parseQueryTerms } from './query-terms.ts';
import { SNIPPET_ELLIPSIS as E, snippetToHtml } from './snippet.ts';

/** The snippet for `query` in `body`, as HTML (matches in <mark>). */
function snip(body: string, query: string, size?: number): string {
  return snippetToHtml(makeSnippet(body, new TermMatcher(parseQueryTerms(query)), size));
}

describe('makeSnippet', () => {
  it('marks words with the same stem, case and diacritics folded', () => {
    assert.equal(snip('The Runner kept RUNNING; she runs daily.', 'run'), 'The Runner kept <mark>RUNNING</mark>; she <mark>runs</mark> daily.');
    assert.equal(snip('We met at the Café.', 'cafe'), 'We met at the <mark>Café</mark>.');
    assert.equal(snip('Ligne à Noël', 'noel'), 'Ligne à <mark>Noël</mark>');
    assert.equal(snip('happiness and happy days', 'happy'), '<mark>happiness</mark> and <mark>happy</mark> days');
  });
  it('marks a phrase only where its words are adjacent and in order', () => {
    assert.equal(snip('a fox, brown and quick; the quick brown fox', '"quick brown"'), 'a fox, brown and quick; the <mark>quick</mark> <mark>brown</mark> fox');
  });
  it('marks words a prefix term starts', () => {
    assert.equal(snip('wikifarm and wikis and a wok', 'wiki*'), '<mark>wikifarm</mark> and <mark>wikis</mark> and a wok');
  });
  it('chooses the first window that holds every term, even when a later one holds more matches', () => {
    const filler = (n: number) => Array(n).fill('lorem').join(' ');
    const body = `apple apple apple ${filler(40)} apple banana ${filler(40)} apple banana apple banana apple banana ${filler(40)}`;
    const html = snip(body, 'apple banana', 10);
    assert.equal(html, `${E}lorem lorem lorem lorem <mark>apple</mark> <mark>banana</mark> lorem lorem lorem lorem${E}`);
  });
  it('without a window holding every term, chooses the one with the most different terms, then the most matches', () => {
    const filler = (n: number) => Array(n).fill('lorem').join(' ');
    const body = `apple ${filler(40)} cherry ${filler(40)} apple banana ${filler(40)} banana apple banana apple ${filler(40)} cherry`;
    const html = snip(body, 'apple banana cherry', 10);
    assert.match(html, /<mark>banana<\/mark> <mark>apple<\/mark> <mark>banana<\/mark> <mark>apple<\/mark>/);
    assert.ok(html.startsWith(E) && html.endsWith(E), html);
    assert.equal(html.split(' ').length, 10);
  });
  it('marks every match in the window, also those after the words that completed it', () => {
    assert.equal(snip('x apple banana y apple z banana w', 'apple banana', 8), 'x <mark>apple</mark> <mark>banana</mark> y <mark>apple</mark> z <mark>banana</mark> w');
  });
  it('finds a phrase whose words are read in two parts', () => {
    for (const at of [29, 30, 31, 32]) {
      const words = Array.from({ length: 80 }, (_, i) => `w${i}`);
      words.splice(at, 3, 'quick', 'brown', 'fox');
      const html = snip(words.join(' '), '"quick brown fox" w70', 80);
      assert.match(html, /<mark>quick<\/mark> <mark>brown<\/mark> <mark>fox<\/mark>/, `phrase at word ${at}`);
    }
  });
  it('stops reading a page dense with the query\'s words, and still says there is more', () => {
    const html = snip('apple banana cherry. '.repeat(3_000), 'banana cherry', 6);
    assert.equal(html, `apple <mark>banana</mark> <mark>cherry</mark>. apple <mark>banana</mark> <mark>cherry</mark>${E}`);
  });
  it('centres the matches in the window', () => {
    const words = Array.from({ length: 100 }, (_, i) => `w${i}`);
    words[50] = 'needle';
    assert.equal(snip(words.join(' '), 'needle', 5), `${E}w48 w49 <mark>needle</mark> w51 w52${E}`);
  });
  it('shows a full window when the match is near the end', () => {
    const words = Array.from({ length: 20 }, (_, i) => `w${i}`);
    words[19] = 'needle';
    assert.equal(snip(words.join(' '), 'needle', 5), `${E}w15 w16 w17 w18 <mark>needle</mark>`);
  });
  it('shows the opening words when nothing in the body matches', () => {
    assert.equal(snip('# Notes\n\nNothing here.', 'absent'), '# Notes\n\nNothing here.');
    assert.equal(snip(Array(50).fill('word').join(' '), 'absent', 4), `word word word word${E}`);
    assert.equal(snip('', 'absent'), '');
  });
  it('never lets the page\'s own marker characters pass as highlights', () => {
    const html = snip('\uE000bold\uE001 claim about otters', 'otters');
    assert.equal(html, 'bold  claim about <mark>otters</mark>');
  });
  it('looks through only the first SNIPPET_SCAN_CHARS of a page, and says when there is more', () => {
    const body = `start ${'x '.repeat(SNIPPET_SCAN_CHARS)} target`;
    assert.equal(snip(body, 'target', 3), `start x x${E}`);
    assert.equal(snip(`target ${'y '.repeat(SNIPPET_SCAN_CHARS)}`, 'target', 3), `<mark>target</mark> y y${E}`);
  });
  it('shows a quoted phrase longer than the window from its start', () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const html = snip(words.join(' '), `"${words.slice(0, 33).join(' ')}"`, 32);
    assert.equal(html, `${words.slice(0, 32).map((w) => `<mark>${w}</mark>`).join(' ')}${E}`);
    assert.equal(snip(words.join(' '), words.slice(0, 33).join('-'), 32).split('<mark>').length - 1, 32, 'a hyphenated token is a phrase too');
  });
  it('stays short whatever the page holds', () => {
    assert.equal(snip('─'.repeat(70_000), 'absent').length, 401, 'no words: 400 characters and an ellipsis');
    assert.equal(snip(`${'a'.repeat(70_000)} foo`, 'foo').length, 401, 'one word past the part looked through');
    assert.equal(snip(`${'a'.repeat(5000)} foo`, 'foo'), `${'a'.repeat(100)}${E} <mark>foo</mark>`);
    const gap = snip(`one ${'-'.repeat(5000)} two`, 'two');
    assert.equal(gap, `one ${'-'.repeat(63)}${E}<mark>two</mark>`);
    assert.ok(snip(`${'😀'.repeat(40_000)} target`, 'absent').length <= 402);
  });
  it('takes time linear in the page: 64 KB of one matching word', () => {
    const started = performance.now();
    const html = snip('otter '.repeat(200_000), 'otter');
    assert.ok(performance.now() - started < 500);
    assert.equal(html.split('<mark>').length - 1, 32);
  });
});
