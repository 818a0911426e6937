/** Runs Debian's caddy in front of the gateway with Caddyfile.local (`CADDY=1`). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ROOT } from './build.ts';
import { Child, type LogSink } from './child.ts';
import { StartupError } from './fail.ts';
import { claimPort } from './ports.ts';

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

export function caddyBinary(): string | null {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/local/bin'])) {
    const file = path.join(dir, 'caddy');
    if (fs.existsSync(file)) return file;
  }
  return null;
}

export interface CaddyOptions {
  apex: string;
  /** The gateway's public socket: the apex. */
  upstream: string;
  /** The wiki worker's socket: every wiki host. */
  wikiUpstream: string;
  httpsPort: number;
  httpPort: number;
  storage: string;
  log: LogSink;
}

export function caddyEnv(o: Omit<CaddyOptions, 'log'> & { adminPort: number }): NodeJS.ProcessEnv {
  return {
    ...process.env,
    APEX: o.apex,
    UPSTREAM: o.upstream,
    WIKI_UPSTREAM: o.wikiUpstream,
    CADDY_HTTPS_PORT: String(o.httpsPort),
    CADDY_HTTP_PORT: String(o.httpPort),
    CADDY_STORAGE: o.storage,
    CADDY_ADMIN: `127.0.0.1:${o.adminPort}`,
    XDG_DATA_HOME: o.storage,
    XDG_CONFIG_HOME: o.storage,
  };
}

export async function startCaddy(o: CaddyOptions): Promise<Child> {
  const bin = caddyBinary();
  if (!bin) throw new StartupError('CADDY=1 needs caddy: install it with `apt-get install caddy`');
  await claimPort('127.0.0.1', o.httpsPort);
  await claimPort('127.0.0.1', o.httpPort);
  const adminPort = await claimPort('127.0.0.1', 0);
  const env = caddyEnv({ ...o, adminPort });
  const config = path.join(ROOT, 'Caddyfile.local');
  try {
    execFileSync(bin, ['validate', '--config', config, '--adapter', 'caddyfile'], { env, stdio: 'pipe' });
  } catch (err) {
    throw new StartupError(`Caddyfile.local is not valid: ${String((err as { stderr?: Buffer }).stderr ?? err)}`);
  }
  const child = new Child('caddy', bin, ['run', '--config', config, '--adapter', 'caddyfile'], { env, log: o.log });
  // Ready when the HTTPS port accepts connections (Caddy binds it after loading the config).
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && child.alive) {
    if (await accepts('127.0.0.1', o.httpsPort)) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  await child.stop();
  throw new StartupError(`caddy did not start.\n${child.tail()}`);
}
