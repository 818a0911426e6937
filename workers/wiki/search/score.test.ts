import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { relativeScore } from './score.ts';

describe('relativeScore', () => {
  it('divides by the best (most negative) bm25', () => {
    assert.equal(relativeScore(-8, -8), 1);
    assert.equal(relativeScore(-4, -8), 0.5);
    assert.equal(relativeScore(-1, -3), 0.333);
  });
  it('stays within 0..1', () => {
    assert.equal(relativeScore(-9, -8), 1);
    assert.equal(relativeScore(1, -8), 0);
    assert.equal(relativeScore(-1, 0), 1);
    assert.equal(relativeScore(Number.NaN, -1), 0);
  });
});
