/**
 * A real local ATProto PDS for tests: `@atproto/dev-env`'s in-memory PLC
 * directory and a PDS (SQLite, no appview, no Postgres) in a child Node process
 * (test/helpers/pds-server.ts), so its heavy module graph never loads into the
 * test process. Both listen on 127.0.0.1 on free ports; accounts get `.test`
 * handles (`alice.test`), which exist in no DNS and resolve only through the PDS.
 *
 *   const pds = await startLocalPds();
 *   const alice = await pds.createAccount('alice');   // { did, handle: 'alice.test', password, email }
 *   …
 *   await pds.stop();                                  // no process and no temp directory left
 *
 * How the auth worker's Bluesky sign-in tests will use it: the ATProto OAuth
 * client in the auth worker is configured with `plcDirectoryUrl = pds.plcUrl`
 * (DIDs resolve at this PLC, not plc.directory) and `handleResolver = pds.pdsUrl`
 * (`alice.test` resolves with the PDS's com.atproto.identity.resolveHandle), and
 * `allowHttp: true`, as the loopback public client
 * `http://localhost?redirect_uri=<the wiki's http://127.0.0.1:<port>/… callback>&scope=atproto`
 * (no client metadata document to serve; the redirect URI must use the IP
 * 127.0.0.1, the PDS refuses `localhost` there). The worker needs an outbound `network` service allowing `local` to reach
 * 127.0.0.1. The PDS's issuer is `pds.pdsUrl` (`http://localhost:<port>`).
 *
 * The browser part (Playwright, checked against this PDS): the worker's redirect
 * lands on `<pdsUrl>/oauth/authorize?client_id=…&request_uri=urn:ietf:params:oauth:request_uri:req-…`,
 * a React page. With `login_hint` (what the client sends when the user typed a
 * handle) it opens on "Sign in" with `input[name="username"]` read-only and
 * filled in; without one it opens on a welcome card, where
 * `getByRole('button', { name: 'Sign in', exact: true })` leads to the form.
 * Fill `input[name="password"]` (and the username when editable), click
 * `form button[type="submit"]` ("Sign in"), then on the consent card click
 * `getByRole('button', { name: 'Authorize', exact: true })` (beside "Deny
 * access"). About 0.5 s later the page navigates to
 * `<redirect_uri>?state=…&iss=<pdsUrl>&code=cod-…`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../bin/lib/build.ts';
import type { PdsAccount, PdsMessage, PdsReady, PdsRequest } from './pds-server.ts';
import { tempDir } from './temp.ts';

export type { PdsAccount };

export interface LocalPds {
  /** The PDS's origin and OAuth issuer, `http://localhost:<port>` (listening on 127.0.0.1 only). */
  pdsUrl: string;
  /** The PLC directory's origin, `http://localhost:<port>`. */
  plcUrl: string;
  /** A new account `<name>.test` with a random password; `name` is 3–18 of a-z, 0-9 and "-". */
  createAccount(name: string): Promise<PdsAccount>;
  /** Closes both servers, waits for the child to exit (killing it after 10 s) and removes its temp directory. */
  stop(): Promise<void>;
  /** The child's stdout and stderr so far, for failure messages. */
  output(): string;
  /** The child process's id, and its temp directory (TMPDIR: the PDS's SQLite and blobs). */
  pid: number;
  dir: string;
}

const SERVER = path.join(ROOT, 'test', 'helpers', 'pds-server.ts');

export async function startLocalPds(options: { timeoutMs?: number } = {}): Promise<LocalPds> {
  const dir = tempDir('wikifarm-pds-');
  const child: ChildProcess = fork(SERVER, [], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: dir, NODE_ENV: 'test' },
    execArgv: ['--disable-warning=ExperimentalWarning'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const pending = new Map<number, { resolve(a: PdsAccount): void; reject(e: Error): void }>();
  let ready: (r: PdsReady) => void;
  let failed: (e: Error) => void;
  const started = new Promise<PdsReady>((resolve, reject) => ((ready = resolve), (failed = reject)));
  child.on('message', (m: PdsMessage) => {
    if ('type' in m) {
      if (m.type === 'ready') ready(m);
      else failed(new Error(`the local PDS did not start: ${m.message}`));
    } else {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if ('result' in m) p?.resolve(m.result);
      else p?.reject(new Error(`createAccount failed: ${m.error}`));
    }
  });
  void exited.then(() => {
    const e = new Error(`the local PDS process exited (code ${child.exitCode}, signal ${child.signalCode}); output:\n${out}`);
    failed(e);
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  });

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        if (child.connected) child.send({ op: 'stop' } satisfies PdsRequest);
        else child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    })());

  const timeoutMs = options.timeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let urls: PdsReady;
  try {
    urls = await Promise.race([
      started,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the local PDS did not start within ${timeoutMs} ms; output:\n${out}`)), timeoutMs))),
    ]);
  } catch (err) {
    await stop();
    throw err;
  } finally {
    clearTimeout(timer);
  }

  let nextId = 1;
  return {
    pdsUrl: urls.pdsUrl,
    plcUrl: urls.plcUrl,
    pid: child.pid!,
    dir,
    output: () => out,
    stop,
    createAccount(name) {
      if (stopped || !child.connected) return Promise.reject(new Error('the local PDS is stopped'));
      const id = nextId++;
      return new Promise<PdsAccount>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, op: 'createAccount', name } satisfies PdsRequest);
      });
    },
  };
}
