/**
 * The child process behind test/helpers/pds.ts: an in-memory PLC directory and
 * a PDS from `@atproto/dev-env` (SQLite in $TMPDIR, no appview, no Postgres),
 * both bound to 127.0.0.1 on free ports. Talks to its parent over the IPC
 * channel of `child_process.fork`:
 *
 *   child → parent  { type: 'ready', pdsUrl, plcUrl }     once both listen
 *                   { type: 'error', message }             start-up failed (then exits 1)
 *   parent → child  { id, op: 'createAccount', name }      → { id, result: PdsAccount } | { id, error }
 *                   { op: 'stop' }, or the channel closing (parent gone): close both servers, exit 0
 *
 * Everything it writes (the PDS's data directory and blob store, dev-env's port
 * reservations) goes under os.tmpdir(), which the parent points at a directory
 * of its own with TMPDIR; both remove it at the end (this process does so when
 * the parent dies without stopping it).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// PLC and PDS have no bind-address option and listen on every interface; the
// tests use loopback only, so every TCP listen in this process goes to 127.0.0.1.
const LOOPBACK = '127.0.0.1';
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
  const [first] = args;
  const callback = typeof args[args.length - 1] === 'function' ? args[args.length - 1] : undefined;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    const backlog = typeof args[2] === 'number' ? { backlog: args[2] } : {};
    return (listen as (...a: unknown[]) => net.Server).call(this, { port: Number(first), host: LOOPBACK, ...backlog }, ...(callback ? [callback] : []));
  }
  if (first === undefined || typeof first === 'function') {
    return (listen as (...a: unknown[]) => net.Server).call(this, { port: 0, host: LOOPBACK }, ...(callback ? [callback] : []));
  }
  if (typeof first === 'object' && first !== null && !('path' in first) && !('fd' in first) && !('_handle' in first) && !('handle' in first)) {
    return (listen as (...a: unknown[]) => net.Server).call(this, { ...first, host: LOOPBACK }, ...args.slice(1));
  }
  return (listen as (...a: unknown[]) => net.Server).apply(this, args);
} as typeof net.Server.prototype.listen;

export interface PdsAccount {
  did: string;
  handle: string;
  password: string;
  email: string;
}

export type PdsReady = { type: 'ready'; pdsUrl: string; plcUrl: string };
export type PdsRequest = { id: number; op: 'createAccount'; name: string } | { op: 'stop' };
export type PdsMessage = PdsReady | { type: 'error'; message: string } | { id: number; result: PdsAccount } | { id: number; error: string };

function send(message: PdsMessage): void {
  process.send?.(message);
}

/** A free port on loopback (the kernel's pick, released at once for the server to take). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen({ port: 0, host: LOOPBACK }, () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

if (!process.send) {
  console.error('pds-server.ts runs as a child of test/helpers/pds.ts (it needs an IPC channel)');
  process.exit(2);
}

const { TestNetworkNoAppView } = await import('@atproto/dev-env');

let network: Awaited<ReturnType<typeof TestNetworkNoAppView.create>>;
try {
  const [plcPort, pdsPort] = [await freePort(), await freePort()];
  network = await TestNetworkNoAppView.create({ plc: { port: plcPort }, pds: { port: pdsPort, hostname: 'localhost' } });
} catch (err) {
  send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
}
const seed = network.getSeedClient();

/** The temp directory the parent made for this process (removed here too, in case the parent died). */
const ownTmp = path.basename(os.tmpdir()).startsWith('wikifarm-pds-') ? os.tmpdir() : undefined;

let stopping: Promise<void> | undefined;
function stop(): Promise<void> {
  stopping ??= network.close().then(
    () => {
      if (ownTmp) fs.rmSync(ownTmp, { recursive: true, force: true });
      process.exit(0);
    },
    (err: unknown) => {
      console.error('closing the PDS failed:', err);
      process.exit(1);
    },
  );
  return stopping;
}

async function createAccount(name: string): Promise<PdsAccount> {
  if (!/^[a-z][a-z0-9-]{2,17}$/.test(name)) throw new Error(`bad account name "${name}": 3-18 of a-z, 0-9, "-", starting with a letter`);
  const handle = `${name}.test` as const;
  const email = `${name}@example.test`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const account = await seed.createAccount(name, { handle, email, password });
  await network.processAll();
  return { did: account.did, handle: account.handle, email, password };
}

process.on('message', (message: PdsRequest) => {
  if ('id' in message && message.op === 'createAccount') {
    createAccount(message.name).then(
      (result) => send({ id: message.id, result }),
      (err: unknown) => send({ id: message.id, error: err instanceof Error ? err.message : String(err) }),
    );
  } else if (message.op === 'stop') {
    void stop();
  }
});
process.on('disconnect', () => void stop());
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

send({ type: 'ready', pdsUrl: network.pds.url, plcUrl: network.plc.url });
