import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bestPossibleScore, capPerGroup, reciprocalRankFusion } from './rank-fusion.ts';

describe('reciprocalRankFusion', () => {
  it('sums 1/(k + rank) over the lists; agreement wins', () => {
    const fused = reciprocalRankFusion([{ ids: ['a', 'b', 'c'] }, { ids: ['c', 'a', 'd'] }], 60);
    assert.deepEqual(fused.map((f) => f.id), ['a', 'c', 'b', 'd']);
    assert.equal(fused[0]!.score, 1 / 61 + 1 / 62);
    assert.deepEqual(fused[0]!.ranks, [1, 2]);
    assert.deepEqual(fused[3]!.ranks, [null, 3]);
  });

  it('weighs lists, counts an id once per list, and keeps first-met order on ties', () => {
    const fused = reciprocalRankFusion([{ ids: ['x', 'x', 'y'], weight: 2 }, { ids: ['z'], weight: 2 }]);
    assert.deepEqual(fused.map((f) => [f.id, f.ranks]), [['x', [1, null]], ['z', [null, 1]], ['y', [3, null]]]);
    assert.equal(bestPossibleScore([{ ids: [], weight: 2 }, { ids: [] }], 60), 3 / 61);
  });

  it('gives nothing for nothing', () => {
    assert.deepEqual(reciprocalRankFusion([]), []);
    assert.deepEqual(reciprocalRankFusion([{ ids: [] }]), []);
  });
});

describe('capPerGroup', () => {
  it('keeps the best few per group, then the first `limit`', () => {
    const items = ['A1', 'A2', 'B1', 'A3', 'C1', 'B2', 'B3'];
    assert.deepEqual(capPerGroup(items, (s) => s[0]!, 2, 10), ['A1', 'A2', 'B1', 'C1', 'B2']);
    assert.deepEqual(capPerGroup(items, (s) => s[0]!, 1, 2), ['A1', 'B1']);
  });
});
