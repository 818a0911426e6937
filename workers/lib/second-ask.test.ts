import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SecondAsk } from './second-ask.ts';

it('admits a key on its second ask, and forgets keys asked once beyond its capacity', () => {
  const admission = new SecondAsk(2);
  assert.equal(admission.admit('a'), false);
  assert.equal(admission.admit('a'), true);
  assert.equal(admission.admit('a'), false, 'admitted keys start over (their value is cached now)');
  admission.admit('b');
  admission.admit('c');
  admission.admit('d');
  assert.equal(admission.admit('b'), false, 'b was pushed out by c and d');
  assert.equal(admission.admit('d'), true);
});
