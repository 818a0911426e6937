import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AppError } from '../../lib/errors.ts';
import { parsePagePath } from './page-path.ts';

it('reads the action from the end of the path', () => {
  assert.deepEqual(parsePagePath('/api/v1/pages/A/B', 'GET'), { action: 'page', key: 'A/B' });
  assert.deepEqual(parsePagePath('/api/v1/pages/A/B/history', 'GET'), { action: 'history', key: 'A/B' });
  assert.deepEqual(parsePagePath('/api/v1/pages/A/history', 'PUT'), { action: 'page', key: 'A/history' });
  assert.deepEqual(parsePagePath('/api/v1/pages/A/B/blame', 'GET'), { action: 'blame', key: 'A/B' });
  assert.deepEqual(parsePagePath('/api/v1/pages/A/blame', 'PUT'), { action: 'page', key: 'A/blame' });
  assert.deepEqual(parsePagePath('/api/v1/pages/A%20B/rename', 'POST'), { action: 'rename', key: 'A_B' });
  assert.deepEqual(parsePagePath('/api/v1/pages/A/attachments', 'POST'), { action: 'attachments', key: 'A' });
  assert.deepEqual(parsePagePath('/api/v1/pages/A/B/attachments/map.png', 'GET'), { action: 'attachment', key: 'A/B', name: 'map.png' });
  assert.deepEqual(parsePagePath('/api/v1/pages/A/attachments/x.txt', 'DELETE'), { action: 'attachment', key: 'A', name: 'x.txt' });
});

it('refuses malformed and hostile paths', () => {
  for (const bad of ['/api/v1/pages/%E0%A4%A', '/api/v1/pages/../x', '/api/v1/pages/.git/config', '/api/v1/pages/']) {
    assert.throws(() => parsePagePath(bad, 'GET'), (e: unknown) => e instanceof AppError && e.status === 400, bad);
  }
});
