import assert from 'node:assert/strict';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createClient, type Client } from '@libsql/client/web';
import { startSqld } from '../../bin/lib/sqld.ts';
import { tempDir } from '../../test/helpers/temp.ts';
import { answerForClient, StreamPool, type Send } from './sqld-streams.ts';

type Sqld = Awaited<ReturnType<typeof startSqld>>;
/** A sqld of each test's own: kept streams hold connections in it until they expire. */
let sqld: Sqld;
let dir: string;

/** What went to sqld: each pipeline request's path and baton (null: a new stream). */
interface Sent {
  path: string;
  baton: string | null;
  types: string[];
}

/** fetch, recording what reaches sqld in `sent`. */
function recording(sent: Sent[]): Send {
  return async (request) => {
    if (request.method === 'POST') {
      const body = JSON.parse(await request.clone().text()) as { baton?: string | null; requests: { type: string }[] };
      sent.push({ path: new URL(request.url).pathname, baton: body.baton ?? null, types: body.requests.map((r) => r.type) });
    }
    return fetch(request);
  };
}

/** A pool of `size` streams and a client whose requests go through it, recording what reaches sqld in `sent`. */
function pooledClient(size: number, now?: () => number): { pool: StreamPool; client: Client; sent: Sent[] } {
  const sent: Sent[] = [];
  const pool = new StreamPool(size, now);
  return { pool, sent, client: createClient({ url: sqld.url, fetch: pool.wrap(recording(sent)) }) };
}

beforeEach(async () => {
  dir = tempDir('wikifarm-streams-');
  sqld = await startSqld({ dbPath: path.join(dir, 'db'), host: '127.0.0.1', port: 0, log: () => {} });
  const setup = createClient({ url: sqld.url });
  await setup.execute('create table notes (id integer primary key, text text not null unique)');
  setup.close();
});
afterEach(async () => {
  await sqld.child.stop();
});

describe('StreamPool', () => {
  it('sends one client request after another on one kept stream, and the client sees the answers it always did', async () => {
    const { pool, sent, client } = pooledClient(4);
    await client.execute({ sql: 'insert into notes (text) values (?)', args: ['first'] });
    for (let i = 0; i < 5; i++) {
      const rs = await client.execute({ sql: 'select text from notes where text = ?', args: ['first'] });
      assert.deepEqual(rs.rows.map((r) => r.text), ['first']);
    }
    assert.equal(sent.length, 6);
    assert.equal(sent[0]!.baton, null, 'the first request opens the stream');
    assert.ok(sent.slice(1).every((s) => s.baton !== null), 'the others use it');
    assert.ok(sent.every((s) => s.path === '/v3/pipeline' && !s.types.includes('close') && s.types.at(-1) === 'get_autocommit'));
    assert.equal(pool.held, 1);
    client.close();
  });

  it('closes the SQL a batch stored, so the same batch can run again on the same stream', async () => {
    const { client, sent } = pooledClient(4);
    for (let round = 0; round < 3; round++) {
      const results = await client.batch([{ sql: 'insert into notes (text) values (?)', args: [`batch ${round}`] }, { sql: 'select count(*) as n from notes where text like ?', args: ['batch %'] }], 'write');
      assert.equal(Number(results[1]!.rows[0]!.n), round + 1);
    }
    assert.ok(sent.slice(1).every((s) => s.baton !== null), 'every batch after the first ran on the kept stream');
    client.close();
  });

  it('closes a stream after a failed statement, and the failure reaches the client unchanged', async () => {
    const { pool, sent, client } = pooledClient(4);
    await client.execute({ sql: 'insert into notes (text) values (?)', args: ['unique'] });
    await assert.rejects(client.execute({ sql: 'insert into notes (text) values (?)', args: ['unique'] }), /UNIQUE constraint failed/);
    assert.deepEqual(sent.at(-1)!.types, ['close'], 'the stream that saw the failure is closed in sqld');
    assert.equal(pool.held, 0);
    const next = await client.execute({ sql: 'select count(*) as n from notes where text = ?', args: ['unique'] });
    assert.equal(Number(next.rows[0]!.n), 1);
    assert.equal(sent.at(-1)!.baton, null, 'the next request opens a new stream');
    // A batch that fails is rolled back by its own steps: its stream is clean and kept.
    await assert.rejects(client.batch([{ sql: 'insert into notes (text) values (?)', args: ['in batch'] }, { sql: 'insert into notes (text) values (?)', args: ['unique'] }], 'write'), /UNIQUE/);
    const rs = await client.execute({ sql: 'select count(*) as n from notes where text = ?', args: ['in batch'] });
    assert.equal(Number(rs.rows[0]!.n), 0, 'the failed batch changed nothing');
    assert.notEqual(sent.at(-1)!.baton, null);
    assert.equal(pool.held, 1);
    client.close();
  });

  it('passes interactive transactions through, on their own stream', async () => {
    const { pool, sent, client } = pooledClient(4);
    await client.execute('select 1');
    const tx = await client.transaction('write');
    await tx.execute({ sql: 'insert into notes (text) values (?)', args: ['in tx'] });
    // Meanwhile, another query uses the kept stream and does not see the uncommitted row.
    const outside = await client.execute({ sql: 'select count(*) as n from notes where text = ?', args: ['in tx'] });
    assert.equal(Number(outside.rows[0]!.n), 0);
    await tx.commit();
    const rs = await client.execute({ sql: 'select count(*) as n from notes where text = ?', args: ['in tx'] });
    assert.equal(Number(rs.rows[0]!.n), 1);
    assert.ok(sent.some((s) => s.path === '/v2/pipeline' && s.types.includes('close')), 'the transaction closed its own stream');
    assert.equal(pool.held, 1);
    client.close();
  });

  it('keeps at most its size; concurrent requests beyond them go as the client sent them', async () => {
    const { pool, sent, client } = pooledClient(3);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => client.execute({ sql: 'select ? as i', args: [i] })));
    assert.deepEqual(answers.map((a) => Number(a.rows[0]!.i)), Array.from({ length: 12 }, (_, i) => i));
    assert.ok(pool.held <= 3);
    assert.equal(sent.filter((s) => s.path === '/v3/pipeline').length <= 12, true);
    assert.ok(sent.some((s) => s.path === '/v2/pipeline'), 'some went unpooled');
    client.close();
  });

  it('gives back the place of a request that never finished, after the lease', async () => {
    let now = 0;
    const sent: Sent[] = [];
    const pool = new StreamPool(1, () => now);
    let hang = true;
    const send: Send = (request) => (hang ? ((hang = false), new Promise<Response>(() => {})) : recording(sent)(request));
    const client = createClient({ url: sqld.url, fetch: pool.wrap(send) });
    void client.execute('select 1'); // lost: its answer never comes
    await new Promise((r) => setTimeout(r, 50));
    await client.execute('select 2');
    assert.equal(sent.at(-1)!.path, '/v2/pipeline', 'the pool is full: sent as the client made it');
    now = 31_000;
    await client.execute('select 3');
    assert.deepEqual([sent.at(-1)!.path, sent.at(-1)!.baton], ['/v3/pipeline', null], 'the place is free again');
    assert.equal(pool.held, 1);
    client.close();
  });

  it('closes the stream of a request that outlived its lease, so the pool never holds more than its size', async () => {
    let now = 0;
    const sent: Sent[] = [];
    const pool = new StreamPool(1, () => now);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let slow = true;
    const record = recording(sent);
    const send: Send = async (request) => {
      if (slow) {
        slow = false;
        await gate;
      }
      return record(request);
    };
    const client = createClient({ url: sqld.url, fetch: pool.wrap(send) });
    const late = client.execute('select 1');
    await new Promise((r) => setTimeout(r, 20));
    now = 31_000;
    await client.execute('select 2'); // takes the place the slow one lost
    release();
    await late;
    assert.equal(pool.held, 1);
    assert.deepEqual(sent.at(-1)!.types, ['close'], 'the late stream was closed, not kept');
    client.close();
  });

  it('lets go of kept streams unused for 8 s, closing them', async () => {
    let now = 0;
    const { pool, sent, client } = pooledClient(2, () => now);
    await client.execute('select 1');
    now = 9_000;
    await client.execute('select 2');
    await new Promise((r) => setTimeout(r, 50)); // the close goes out beside the request
    assert.ok(sent.some((s) => s.types.length === 1 && s.types[0] === 'close' && s.baton !== null), 'the stale stream was closed');
    assert.equal(sent.filter((s) => s.types.includes('execute')).at(-1)!.baton, null, 'the request opened a new one');
    assert.equal(pool.held, 1);
    client.close();
  });

  it('sends requests that change a connection\'s own state as they were made', async () => {
    const { pool, sent, client } = pooledClient(2);
    await client.execute('pragma foreign_keys = off');
    await client.execute('attach database \':memory:\' as other').catch(() => {}); // refused by sqld, but never on a kept stream
    assert.ok(sent.every((s) => s.path === '/v2/pipeline' && s.types.at(-1) === 'close'));
    assert.equal(pool.held, 0);
    client.close();
  });

  it('closes SQL stored again after being closed in the same request', async () => {
    const pool = new StreamPool(1);
    const send = pool.wrap((request) => fetch(request));
    const pipeline = (requests: object[]) => send(new Request(`${sqld.url}/v2/pipeline`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ baton: null, requests }) }));
    const store = { type: 'store_sql', sql_id: 0, sql: 'select 1' };
    const first = await pipeline([store, { type: 'close_sql', sql_id: 0 }, store, { type: 'execute', stmt: { sql_id: 0 } }, { type: 'close' }]);
    assert.equal(first.status, 200, await first.clone().text());
    assert.equal(((await first.json()) as { results: unknown[] }).results.length, 5);
    const second = await pipeline([store, { type: 'execute', stmt: { sql_id: 0 } }, { type: 'close' }]);
    assert.equal(second.status, 200, 'id 0 was free again on the kept stream');
    assert.equal(pool.held, 1);
  });

  it('sends a request again on a new stream when sqld no longer knows the kept one (sqld restarted)', async () => {
    const restartDir = tempDir('wikifarm-streams-restart-');
    let server = await startSqld({ dbPath: path.join(restartDir, 'db'), host: '127.0.0.1', port: 0, log: () => {} });
    const port = Number(new URL(server.url).port);
    const sent: Sent[] = [];
    const pool = new StreamPool(4);
    const client = createClient({ url: server.url, fetch: pool.wrap(recording(sent)) });
    try {
      await client.execute('create table t (v text)');
      await client.execute("insert into t values ('kept')");
      await server.child.stop();
      server = await startSqld({ dbPath: path.join(restartDir, 'db'), host: '127.0.0.1', port, log: () => {} });
      const rs = await client.execute("insert into t values ('after restart') returning v");
      assert.deepEqual(rs.rows.map((r) => r.v), ['after restart']);
      const all = await client.execute('select v from t order by rowid');
      assert.deepEqual(all.rows.map((r) => r.v), ['kept', 'after restart'], 'the insert ran once');
      assert.deepEqual(sent.slice(-3).map((s) => [s.path, s.baton === null]), [['/v3/pipeline', false], ['/v2/pipeline', true], ['/v3/pipeline', true]]);
    } finally {
      client.close();
      await server.child.stop();
    }
  });
});

describe('answerForClient', () => {
  const ok = (type: string) => ({ type: 'ok', response: { type } });
  const execute = { type: 'ok', response: { type: 'execute', result: { cols: [], rows: [[{ type: 'text', value: '{"type":"error"' }]] } } };
  const autocommit = { type: 'ok', response: { type: 'get_autocommit', is_autocommit: true } };

  it('hands the client its own results and a close, and keeps the stream when all is clean', () => {
    const answer = JSON.stringify({ baton: 'b1', base_url: null, results: [execute, ok('close_sql'), autocommit] });
    const { baton, clean, forClient } = answerForClient(answer, 1, 1);
    assert.equal(baton, 'b1');
    assert.equal(clean, true, 'a value that looks like an error result is only a value');
    assert.deepEqual(JSON.parse(forClient), { baton: null, base_url: null, results: [execute, ok('close')] });
  });

  it('does not keep the stream after an error result or with a transaction open', () => {
    const error = { type: 'error', error: { message: 'no such table: x', code: 'SQLITE_ERROR' } };
    const failed = answerForClient(JSON.stringify({ baton: 'b2', base_url: null, results: [error, autocommit] }), 1, 0);
    assert.deepEqual([failed.baton, failed.clean], ['b2', false]);
    assert.deepEqual(JSON.parse(failed.forClient).results, [error, ok('close')]);
    const open = answerForClient(JSON.stringify({ baton: 'b3', base_url: null, results: [execute, { type: 'ok', response: { type: 'get_autocommit', is_autocommit: false } }] }), 1, 0);
    assert.deepEqual([open.baton, open.clean], ['b3', false]);
    assert.deepEqual(JSON.parse(open.forClient).results, [execute, ok('close')]);
  });
});
