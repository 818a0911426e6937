/** Starts workerd with config.capnp, pointing its socket, sqld and disk at this run's addresses. */
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from './build.ts';
import { Child, type LogSink } from './child.ts';
import { StartupError } from './fail.ts';
import type { Keys } from './keys.ts';
import { waitForHealthy } from './ports.ts';

export function workerdBinary(): string {
  const pkg = createRequire(import.meta.url).resolve('@cloudflare/workerd-linux-64/package.json');
  return path.join(path.dirname(pkg), 'bin', 'workerd');
}

export interface WorkerdOptions {
  host: string;
  port: number;
  sqldAddress: string;
  gitDir: string;
  apex: string;
  publicOrigin: string;
  keys: Keys;
  watch: boolean;
  log: LogSink;
}

export async function startWorkerd(o: WorkerdOptions): Promise<Child> {
  const args = [
    'serve',
    path.join(ROOT, 'config.capnp'),
    '--socket-addr', `http=${o.host}:${o.port}`,
    '--external-addr', `sqld=${o.sqldAddress}`,
    '--directory-path', `gitdisk=${o.gitDir}`,
    ...(o.watch ? ['--watch'] : []),
  ];
  const child = new Child('workerd', workerdBinary(), args, {
    cwd: ROOT,
    log: o.log,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      APEX: o.apex,
      PUBLIC_ORIGIN: o.publicOrigin,
      SESSION_JWK: o.keys.sessionJwk,
      ATP_CLIENT_JWK: o.keys.atpClientJwk,
      DATA_KEY: o.keys.dataKey,
    },
  });
  // The loopback host answers /healthz/gateway without touching any other worker.
  const healthy = await waitForHealthy(`http://${o.host === '0.0.0.0' ? '127.0.0.1' : o.host}:${o.port}/healthz/gateway`, { timeoutMs: 20_000, alive: () => child.alive });
  if (!healthy) {
    await child.stop();
    throw new StartupError(`workerd did not start on ${o.host}:${o.port}.\n${child.tail() || '(it printed nothing)'}`);
  }
  return child;
}
