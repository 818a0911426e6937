import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../lib/errors.ts';
import { MAX_QUERY_LENGTH, MAX_QUERY_TERMS, parseQueryTerms, termWords } from './query-terms.ts';

function invalid(message: RegExp) {
  return (e: unknown) => e instanceof AppError && e.code === 'invalid' && message.test(e.message);
}

describe('parseQueryTerms', () => {
  it('splits words on white space', () => {
    assert.deepEqual(parseQueryTerms('  running\tcafé \n wiki '), [
      { text: 'running', prefix: false },
      { text: 'café', prefix: false },
      { text: 'wiki', prefix: false },
    ]);
  });
  it('keeps quoted phrases whole; an unclosed quote runs to the end', () => {
    assert.deepEqual(parseQueryTerms('"quick brown" fox "lazy dog'), [
      { text: 'quick brown', prefix: false },
      { text: 'fox', prefix: false },
      { text: 'lazy dog', prefix: false },
    ]);
    assert.deepEqual(parseQueryTerms('say"hello world"now'), [
      { text: 'say', prefix: false },
      { text: 'hello world', prefix: false },
      { text: 'now', prefix: false },
    ]);
    assert.deepEqual(parseQueryTerms('“quick brown” „lazy dog“'), [
      { text: 'quick brown', prefix: false },
      { text: 'lazy dog', prefix: false },
    ]);
  });
  it('reads a trailing * as a prefix, after a word or a closing quote', () => {
    assert.deepEqual(parseQueryTerms('run* "brown fo"* wiki** a*b'), [
      { text: 'run', prefix: true },
      { text: 'brown fo', prefix: true },
      { text: 'wiki', prefix: true },
      { text: 'a*b', prefix: false },
    ]);
  });
  it('treats operators and column filters as plain text', () => {
    assert.deepEqual(parseQueryTerms('NEAR(a b) AND title:x ^y {wiki}:z').map((t) => t.text), ['NEAR(a', 'b)', 'AND', 'title:x', '^y', '{wiki}:z']);
  });
  it('drops terms without word characters', () => {
    assert.deepEqual(parseQueryTerms('* )( "" - running " "').map((t) => t.text), ['running']);
  });
  it('replaces control characters and lone surrogates', () => {
    assert.deepEqual(parseQueryTerms('a\u0000b \uD800c').map((t) => t.text), ['a', 'b', 'c']);
  });
  it('refuses empty, word-less, over-long and over-many queries', () => {
    assert.throws(() => parseQueryTerms(''), invalid(/empty/));
    assert.throws(() => parseQueryTerms(' \t\n\u0000'), invalid(/empty/));
    assert.throws(() => parseQueryTerms('* ) "'), invalid(/at least one word/));
    assert.throws(() => parseQueryTerms('x'.repeat(MAX_QUERY_LENGTH + 1)), invalid(/at most 500 characters/));
    assert.equal(parseQueryTerms('x'.repeat(MAX_QUERY_LENGTH)).length, 1);
    assert.throws(() => parseQueryTerms('a '.repeat(MAX_QUERY_TERMS + 1)), invalid(/at most 32/));
    assert.equal(parseQueryTerms('a '.repeat(MAX_QUERY_TERMS)).length, MAX_QUERY_TERMS);
  });
  it('refuses a prefix with fewer than two characters', () => {
    assert.throws(() => parseQueryTerms('a*'), invalid(/prefix/));
    assert.throws(() => parseQueryTerms('"brown f"*'), invalid(/prefix/));
    assert.deepEqual(parseQueryTerms('日本*'), [{ text: '日本', prefix: true }]);
  });
});

describe('termWords', () => {
  it('finds the words the tokenizer sees', () => {
    assert.deepEqual(termWords('wk_abc NEAR(x) café-au-lait 日本語'), ['wk', 'abc', 'NEAR', 'x', 'café', 'au', 'lait', '日本語']);
    assert.deepEqual(termWords('*:^()"'), []);
  });
});
