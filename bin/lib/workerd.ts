/**
 * Starts workerd with config.capnp, on listening sockets the stack holds
 * (so a successor takes over the same ones), with sqld and the disk at this
 * run's addresses.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { DIST, ROOT } from './build.ts';
import { Child, type LogSink } from './child.ts';
import { StartupError } from './fail.ts';
import fs from 'node:fs';
import type { Keys } from './keys.ts';
import type { AtprotoSettings, EmbeddingsSettings } from './settings.ts';
import type { Listeners } from './listeners.ts';
import { waitForHealthy } from './ports.ts';

export function workerdBinary(): string {
  const pkg = createRequire(import.meta.url).resolve('@cloudflare/workerd-linux-64/package.json');
  return path.join(path.dirname(pkg), 'bin', 'workerd');
}

/** The sockets config.capnp names, in the order their descriptors follow stdio. */
export const WORKERD_SOCKETS = ['http', 'internal', 'wiki'] as const;

export interface WorkerdOptions {
  /** `http` (the gateway's public socket), `internal` (health, Caddy's TLS question), `wiki` (wiki hosts, behind Caddy). */
  listeners: Listeners;
  /** The config file to serve (configFile). */
  config: string;
  sqldAddress: string;
  gitDir: string;
  apex: string;
  publicOrigin: string;
  keys: Keys;
  atproto: AtprotoSettings;
  writesPerMinute?: number;
  /** The embedding provider: the wiki worker's `embeddings` service is pointed at its host and port. */
  embeddings?: EmbeddingsSettings;
  watch: boolean;
  log: LogSink;
}

/** Reads workerd's `{"event":"listen","socket":"probe","port":…}` message: its own probe socket is bound. */
function probePort(control: Readable, child: Child): Promise<number | null> {
  return new Promise((resolve) => {
    const lines = readline.createInterface({ input: control });
    const done = (port: number | null) => {
      lines.close();
      resolve(port);
    };
    lines.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { event?: string; socket?: string; port?: number };
        if (msg.event === 'listen' && msg.socket === 'probe' && msg.port) done(msg.port);
      } catch {
        // not a control message
      }
    });
    void child.exited.then(() => done(null));
    setTimeout(() => done(null), 20_000).unref();
  });
}

/**
 * Starts workerd and waits until every worker is healthy. Health is asked on
 * this process's own probe socket: the shared sockets may still be served by
 * the workerd it replaces.
 */
export async function startWorkerd(o: WorkerdOptions): Promise<Child> {
  const fds = WORKERD_SOCKETS.map((name) => o.listeners.get(name).fd);
  const args = [
    'serve',
    o.config,
    // Descriptor 3 is the control pipe; 4, 5, 6 the shared sockets, in WORKERD_SOCKETS order.
    '--control-fd', '3',
    ...WORKERD_SOCKETS.flatMap((name, i) => ['--socket-fd', `${name}=${4 + i}`]),
    '--socket-addr', 'probe=127.0.0.1:0',
    '--external-addr', `sqld=${o.sqldAddress}`,
    '--directory-path', `gitdisk=${o.gitDir}`,
    ...(o.embeddings ? ['--external-addr', `embeddings=${embeddingsAddress(o.embeddings.url).address}`] : []),
    '--directory-path', `static=${path.join(DIST, 'static')}`,
    ...(o.watch ? ['--watch'] : []),
    // For profiling and debugging with Chrome DevTools: WORKERD_INSPECTOR=127.0.0.1:9229.
    ...(process.env.WORKERD_INSPECTOR ? ['--inspector-addr', process.env.WORKERD_INSPECTOR] : []),
  ];
  const child = new Child('workerd', workerdBinary(), args, {
    cwd: ROOT,
    log: o.log,
    extraStdio: ['pipe', ...fds],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      APEX: o.apex,
      PUBLIC_ORIGIN: o.publicOrigin,
      SESSION_JWK: o.keys.sessionJwk,
      ATP_CLIENT_JWK: o.keys.atpClientJwk,
      DATA_KEY: o.keys.dataKey,
      ATP_PLC_URL: o.atproto.plcUrl ?? '',
      ATP_HANDLE_RESOLVER: o.atproto.handleResolver ?? '',
      ATP_DOH_URL: o.atproto.dohUrl ?? '',
      ATP_ALLOW_HTTP: o.atproto.localNetwork ? '1' : '',
      WRITES_PER_MINUTE: o.writesPerMinute ? String(o.writesPerMinute) : '',
      EMBEDDINGS_URL: o.embeddings?.url ?? '',
      EMBEDDINGS_MODEL: o.embeddings?.model ?? '',
      EMBEDDINGS_API_KEY: o.embeddings?.apiKey ?? '',
      EMBEDDINGS_DIMENSIONS: o.embeddings?.dimensions ? String(o.embeddings.dimensions) : '',
    },
  });
  const fail = async (why: string): Promise<never> => {
    await child.stop();
    throw new StartupError(`workerd ${why}\n${child.tail() || '(it printed nothing)'}`);
  };
  const probe = await probePort(child.process.stdio[3] as Readable, child);
  if (probe === null) return fail(child.alive ? 'did not bind its probe socket within 20 s.' : 'exited while starting.');
  // Ready when every worker reports healthy: the store, the disk, the keys, the RPC bindings.
  const healthUrl = `http://127.0.0.1:${probe}/healthz`;
  const healthy = await waitForHealthy(healthUrl, { timeoutMs: 20_000, alive: () => child.alive });
  if (!healthy) {
    const report = child.alive ? await fetch(healthUrl).then((r) => r.text(), (e: Error) => e.message) : 'it exited';
    return fail(`started, but its workers did not all become healthy: ${report}`);
  }
  return child;
}

/** Where the `embeddings` service connects: the provider URL's host and port, and whether over TLS. */
export function embeddingsAddress(url: string): { address: string; host: string; tls: boolean } {
  const u = new URL(url);
  const tls = u.protocol === 'https:';
  const port = u.port || (tls ? '443' : '80');
  return { address: `${u.hostname}:${port}`, host: u.hostname.replace(/^\[|\]$/g, ''), tls };
}

const EMBEDDINGS_SERVICE = /(\(name = "embeddings", +external = \(address = "[^"]*", )http = \(\)\)\)/;

/**
 * config.capnp, or a copy beside it (the embeds are relative) derived for
 * this run: for a local PDS, the `atproto` network also allows local
 * addresses (production never uses that: there a typed PDS address must not
 * reach this machine); for an https embedding provider, the `embeddings`
 * service speaks TLS to it, checking its certificate against the URL's host.
 *
 * With `pinTo`, the config and a copy of the built workers go into that
 * folder instead: every workerd the stack starts from it (a crash restart, a
 * replacement) runs the code the stack started with, even while a rebuild
 * (an upgrade, `npm test`) rewrites dist/, half-written or with migrations
 * this stack has not applied.
 */
export function configFile(atproto: AtprotoSettings, embeddings?: EmbeddingsSettings, pinTo?: string): string {
  const main = path.join(ROOT, 'config.capnp');
  const tlsHost = embeddings && embeddingsAddress(embeddings.url).tls ? embeddingsAddress(embeddings.url).host : null;
  if (!atproto.localNetwork && !tlsHost && !pinTo) return main;
  const text = fs.readFileSync(main, 'utf8');
  let derived = text;
  if (atproto.localNetwork) {
    derived = derived.replace(/(\(name = "atproto", +network = \(allow = \[)"public"\]/, '$1"public", "local"]');
    if (derived === text) throw new StartupError('config.capnp has no "atproto" network service to widen for ATP_LOCAL_NETWORK=1');
  }
  if (tlsHost) {
    if (!/^[A-Za-z0-9.:-]+$/.test(tlsHost)) throw new StartupError(`EMBEDDINGS_URL: unusable host ${JSON.stringify(tlsHost)}`);
    const before = derived;
    derived = derived.replace(EMBEDDINGS_SERVICE, `$1https = (tlsOptions = (trustBrowserCas = true), certificateHost = "${tlsHost}")))`);
    if (derived === before) throw new StartupError('config.capnp has no plain-http "embeddings" external service to switch to https');
  }
  if (pinTo) return pinConfig(derived, pinTo);
  const file = path.join(ROOT, tlsHost ? 'config.derived.capnp' : 'config.local-network.capnp');
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, derived);
  fs.renameSync(temp, file);
  return file;
}

/** Writes `text` (a config whose embeds name `dist/…`) into `dir` with copies of the files it embeds. */
function pinConfig(text: string, dir: string): string {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
  for (const [, file] of text.matchAll(/embed "dist\/([^"/]+)"/g)) fs.copyFileSync(path.join(DIST, file!), path.join(dir, 'dist', file!));
  const config = path.join(dir, 'config.capnp');
  fs.writeFileSync(config, text);
  return config;
}
