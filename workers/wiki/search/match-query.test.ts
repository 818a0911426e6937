import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../lib/errors.ts';
import { buildMatchQuery, ftsString } from './match-query.ts';
import { wikiWordPrefix } from './wiki-words.ts';

const W = 'wk_abc123';
/** W's word prefix. */
const P = wikiWordPrefix(W);

describe('buildMatchQuery', () => {
  it('confines to the wiki and ANDs quoted terms of the wiki\'s words, restricted to title and body', () => {
    assert.equal(buildMatchQuery(W, 'hello'), `wiki : "wkabc123" AND {title body} : "${P}hello"`);
    assert.equal(
      buildMatchQuery(W, '"quick brown" fox*'),
      `wiki : "wkabc123" AND {title body} : "${P}quick ${P}brown" AND {title body} : "${P}fox" *`,
    );
  });
  it('keeps only words, so FTS5 syntax is only text', () => {
    assert.equal(buildMatchQuery(W, 'wiki:x NEAR( OR'), `wiki : "wkabc123" AND {title body} : "${P}wiki ${P}x" AND {title body} : "${P}NEAR" AND {title body} : "${P}OR"`);
    assert.equal(buildMatchQuery(W, '^a:bc*'), `wiki : "wkabc123" AND {title body} : "${P}a ${P}bc" *`);
  });
  it('always yields well-formed expressions, whatever is typed', () => {
    const alphabet = ['"', '*', '^', ':', '(', ')', '{', '}', '-', '+', ' ', '\t', 'NEAR', 'AND', 'OR', 'NOT', 'wiki', 'title', 'ab', 'é', '日', '\u0000', ',', "'"];
    const word = `${P}[\\p{L}\\p{N}\\p{Co}]+`;
    const shape = new RegExp(`^wiki : "wkabc123"( AND \\{title body\\} : "${word}( ${word})*"( \\*)?)+$`, 'u');
    let seed = 42;
    let wellFormed = 0;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 3000; n++) {
      let q = '';
      for (let k = next() % 12; k >= 0; k--) q += alphabet[next() % alphabet.length];
      try {
        assert.match(buildMatchQuery(W, q), shape, JSON.stringify(q));
        wellFormed++;
      } catch (e) {
        if (!(e instanceof AppError && e.code === 'invalid')) throw e;
      }
    }
    assert.ok(wellFormed > 1000, `${wellFormed} of 3000 random queries were usable`);
  });
  it('refuses a malformed wiki id', () => {
    for (const id of ['', 'wk"x', 'wk x', 'a'.repeat(101), 'wk\u0000']) {
      assert.throws(() => buildMatchQuery(id, 'hello'), (e: unknown) => e instanceof AppError && e.code === 'invalid', JSON.stringify(id));
    }
  });
});

describe('ftsString', () => {
  it('doubles inner quotes', () => {
    assert.equal(ftsString('say "hi"'), '"say ""hi"""');
  });
});
