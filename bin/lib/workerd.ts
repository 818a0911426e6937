/**
 * Starts workerd with config.capnp, pointing its sockets, sqld and disk at this
 * run's addresses. workerd reports each socket it has bound on a control pipe.
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
import { claimPort, waitForHealthy } from './ports.ts';

export function workerdBinary(): string {
  const pkg = createRequire(import.meta.url).resolve('@cloudflare/workerd-linux-64/package.json');
  return path.join(path.dirname(pkg), 'bin', 'workerd');
}

export interface WorkerdOptions {
  host: string;
  port: number;
  /** Loopback port of the internal socket (health, Caddy's TLS question). */
  internalPort: number;
  /** Loopback port of the wiki worker's socket (wiki hosts, behind Caddy). */
  wikiPort: number;
  sqldAddress: string;
  gitDir: string;
  apex: string;
  /** The public origin for the port the public socket ends up on. */
  publicOrigin: (port: number) => string;
  keys: Keys;
  atproto: AtprotoSettings;
  writesPerMinute?: number;
  /** The embedding provider: the wiki worker's `embeddings` service is pointed at its host and port. */
  embeddings?: EmbeddingsSettings;
  watch: boolean;
  log: LogSink;
}

export interface RunningWorkerd {
  child: Child;
  port: number;
  internalPort: number;
  wikiPort: number;
  origin: string;
}

interface BoundPorts {
  http: number;
  internal: number;
  wiki: number;
}

/** Reads workerd's `{"event":"listen","socket":…,"port":…}` messages until every socket is bound. */
function boundPorts(control: Readable, child: Child): Promise<BoundPorts | null> {
  return new Promise((resolve) => {
    const ports: Record<string, number> = {};
    const lines = readline.createInterface({ input: control });
    const done = (value: BoundPorts | null) => {
      lines.close();
      resolve(value);
    };
    lines.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { event?: string; socket?: string; port?: number };
        if (msg.event === 'listen' && msg.socket && msg.port) ports[msg.socket] = msg.port;
      } catch {
        // not a control message
      }
      if (ports.http && ports.internal && ports.wiki) done({ http: ports.http, internal: ports.internal, wiki: ports.wiki });
    });
    void child.exited.then(() => done(null));
  });
}

/**
 * Starts workerd and waits until every worker is healthy. A port of 0 is
 * chosen free just before the start, and chosen again should another process
 * take it in that moment.
 */
export async function startWorkerd(o: WorkerdOptions): Promise<RunningWorkerd> {
  for (let attempt = 1; ; attempt++) {
    const port = o.port || (await claimPort(o.host, 0));
    const internalPort = o.internalPort || (await claimPort('127.0.0.1', 0));
    const wikiPort = o.wikiPort || (await claimPort('127.0.0.1', 0));
    try {
      return await startWorkerdOn({ ...o, port, internalPort, wikiPort });
    } catch (err) {
      const portTaken = err instanceof StartupError && /Address already in use/i.test(err.message);
      if (!portTaken || (o.port !== 0 && o.internalPort !== 0 && o.wikiPort !== 0) || attempt >= 3) throw err;
    }
  }
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
 */
export function configFile(atproto: AtprotoSettings, embeddings?: EmbeddingsSettings): string {
  const main = path.join(ROOT, 'config.capnp');
  const tlsHost = embeddings && embeddingsAddress(embeddings.url).tls ? embeddingsAddress(embeddings.url).host : null;
  if (!atproto.localNetwork && !tlsHost) return main;
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
  const file = path.join(ROOT, tlsHost ? 'config.derived.capnp' : 'config.local-network.capnp');
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, derived);
  fs.renameSync(temp, file);
  return file;
}

async function startWorkerdOn(o: WorkerdOptions): Promise<RunningWorkerd> {
  const origin = o.publicOrigin(o.port);
  const args = [
    'serve',
    configFile(o.atproto, o.embeddings),
    '--socket-addr', `http=${o.host}:${o.port}`,
    '--socket-addr', `internal=127.0.0.1:${o.internalPort}`,
    '--socket-addr', `wiki=127.0.0.1:${o.wikiPort}`,
    '--external-addr', `sqld=${o.sqldAddress}`,
    '--directory-path', `gitdisk=${o.gitDir}`,
    ...(o.embeddings ? ['--external-addr', `embeddings=${embeddingsAddress(o.embeddings.url).address}`] : []),
    '--directory-path', `static=${path.join(DIST, 'static')}`,
    '--control-fd', '3',
    ...(o.watch ? ['--watch'] : []),
    // For profiling and debugging with Chrome DevTools: WORKERD_INSPECTOR=127.0.0.1:9229.
    ...(process.env.WORKERD_INSPECTOR ? ['--inspector-addr', process.env.WORKERD_INSPECTOR] : []),
  ];
  const child = new Child('workerd', workerdBinary(), args, {
    cwd: ROOT,
    log: o.log,
    extraStdio: ['pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      APEX: o.apex,
      PUBLIC_ORIGIN: origin,
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
    throw new StartupError(`workerd ${why}.\n${child.tail() || '(it printed nothing)'}`);
  };
  const timeout = new Promise<null>((r) => setTimeout(() => r(null), 20_000).unref());
  const ports = await Promise.race([boundPorts(child.process.stdio[3] as Readable, child), timeout]);
  if (!ports) return fail(`did not start on ${o.host}:${o.port}`);
  // Ready when every worker reports healthy: the store, the disk, the keys, the RPC bindings.
  const healthUrl = `http://127.0.0.1:${ports.internal}/healthz`;
  const healthy = await waitForHealthy(healthUrl, { timeoutMs: 20_000, alive: () => child.alive });
  if (!healthy) {
    const report = await fetch(healthUrl).then((r) => r.text(), (e: Error) => e.message);
    return fail(`started, but its workers did not all become healthy: ${report}`);
  }
  return { child, port: ports.http, internalPort: ports.internal, wikiPort: ports.wiki, origin };
}
