import assert from 'node:assert/strict';
import { it } from 'node:test';
import { slugProblem } from './slugs.ts';

it('accepts 3–30 lowercase letters, digits and inner hyphens', () => {
  for (const ok of ['abc', 'my-wiki', 'a1b2', 'x'.repeat(30), '123']) assert.equal(slugProblem(ok), null, ok);
});

it('explains what is wrong with a bad slug', () => {
  assert.match(slugProblem('ab')!, /3–30/);
  assert.match(slugProblem('x'.repeat(31))!, /3–30/);
  assert.match(slugProblem('My-Wiki')!, /lowercase/);
  assert.match(slugProblem('-abc')!, /start and end/);
  assert.match(slugProblem('abc-')!, /start and end/);
  assert.match(slugProblem('a_b_c')!, /lowercase/);
  assert.match(slugProblem('a--b')!, /two hyphens/);
  assert.match(slugProblem('../x')!, /lowercase/);
  for (const reserved of ['www', 'api', 'mcp', 'auth', 'admin', 'app', 'static', 'mail']) {
    assert.match(slugProblem(reserved)!, /reserved/, reserved);
  }
});
