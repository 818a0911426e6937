/**
 * The stack's configuration, from environment variables with a working local
 * default. The README's configuration table documents every variable here.
 */
import path from 'node:path';
import { z } from 'zod';
import { ROOT } from './build.ts';
import { StartupError } from './fail.ts';
import type { RecyclePolicy } from './recycle.ts';

const port = z.coerce.number().int().min(0).max(65535);

const schema = z.object({
  PORT: port.default(8787),
  HOST: z.string().default('127.0.0.1'),
  APEX: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, 'a lowercase host name without port, such as wiki.example')
    .default('wiki.localhost'),
  PUBLIC_ORIGIN: z.url().optional(),
  DATA_DIR: z.string().default(path.join(ROOT, '.data')),
  INTERNAL_PORT: port.optional(),
  WIKI_PORT: port.optional(),
  SQLD_PORT: port.default(0),
  CADDY: z.enum(['0', '1']).default('0'),
  CADDY_HTTPS_PORT: port.default(8443),
  CADDY_HTTP_PORT: port.default(8080),
  ATP_PLC_URL: z.url().optional(),
  ATP_HANDLE_RESOLVER: z.url().optional(),
  ATP_DOH_URL: z.url().optional(),
  ATP_LOCAL_NETWORK: z.enum(['0', '1']).default('0'),
  WRITES_PER_MINUTE: z.coerce.number().int().min(1).optional(),
  // The stack's budget is 200 MB (190 MiB); sqld holds up to ~50 MiB after heavy use and a fresh workerd ~138.
  WORKERD_RECYCLE_MIB: z.coerce.number().int().min(0).default(150),
  WORKERD_RECYCLE_IDLE_S: z.coerce.number().min(0.1).default(10),
  EMBEDDINGS_URL: z.url({ protocol: /^https?$/, error: 'an http(s) URL of an OpenAI-compatible API, such as http://127.0.0.1:11434/v1' }).optional(),
  EMBEDDINGS_MODEL: z.string().min(1).max(200).optional(),
  EMBEDDINGS_API_KEY: z.string().optional(),
  EMBEDDINGS_DIMENSIONS: z.coerce.number().int().min(1).max(8192).optional(),
});

export interface Settings {
  port: number;
  host: string;
  apex: string;
  /** Public origin of the apex: what people type, what links and OAuth issuers use. */
  publicOrigin: string;
  dataDir: string;
  /** Loopback port of the gateway's internal socket (health details, Caddy's TLS question); default PORT + 1. */
  internalPort: number;
  /** Loopback port of the wiki worker's socket, where Caddy sends wiki hosts; default PORT + 2. */
  wikiPort: number;
  /** 0 picks a free port. */
  sqldPort: number;
  /** `local`: run Caddy in front with Caddyfile.local. */
  caddy: 'off' | 'local';
  caddyHttpsPort: number;
  caddyHttpPort: number;
  /** Where sign-in resolves identities; defaults are Bluesky's public services. */
  atproto: AtprotoSettings;
  /** Wiki writes per person per minute (an address gets twice as many); unset: the built-in default. */
  writesPerMinute?: number;
  /** The embedding provider for meaning-based search; unset: that search is off (keyword results instead). */
  embeddings?: EmbeddingsSettings;
  /** When workerd is replaced to give memory back (bin/lib/recycle.ts). */
  recycle: RecyclePolicy;
}

/** An OpenAI-compatible `/v1/embeddings` endpoint (Ollama, llama.cpp, vLLM, a hosted API). */
export interface EmbeddingsSettings {
  /** Base URL of the API, e.g. `http://127.0.0.1:11434/v1`. */
  url: string;
  model: string;
  apiKey?: string;
  /** Unset: learnt from the provider's first answer. */
  dimensions?: number;
}

export interface AtprotoSettings {
  plcUrl?: string;
  /** An XRPC service that resolves handles; unset: DNS-over-HTTPS plus the HTTPS well-known. */
  handleResolver?: string;
  dohUrl?: string;
  /** Let the auth worker reach loopback and private addresses (a local PDS for tests or development only). */
  localNetwork: boolean;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Settings> = {}): Settings {
  const r = schema.safeParse(env);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new StartupError(`configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = r.data;
  if (e.EMBEDDINGS_URL && !e.EMBEDDINGS_MODEL) throw new StartupError('configuration: EMBEDDINGS_MODEL: required with EMBEDDINGS_URL (e.g. all-minilm)');
  const base: Settings = {
    port: e.PORT,
    host: e.HOST,
    apex: e.APEX,
    publicOrigin: '',
    dataDir: path.resolve(e.DATA_DIR),
    internalPort: e.INTERNAL_PORT ?? (e.PORT === 0 ? 0 : e.PORT + 1),
    wikiPort: e.WIKI_PORT ?? nextTo(overrides.port ?? e.PORT, 2),
    sqldPort: e.SQLD_PORT,
    caddy: e.CADDY === '1' ? 'local' : 'off',
    caddyHttpsPort: e.CADDY_HTTPS_PORT,
    caddyHttpPort: e.CADDY_HTTP_PORT,
    writesPerMinute: e.WRITES_PER_MINUTE,
    recycle: { rssMiB: e.WORKERD_RECYCLE_MIB, idleMs: e.WORKERD_RECYCLE_IDLE_S * 1000 },
    ...(e.EMBEDDINGS_URL && e.EMBEDDINGS_MODEL
      ? { embeddings: { url: e.EMBEDDINGS_URL, model: e.EMBEDDINGS_MODEL, ...(e.EMBEDDINGS_API_KEY ? { apiKey: e.EMBEDDINGS_API_KEY } : {}), ...(e.EMBEDDINGS_DIMENSIONS ? { dimensions: e.EMBEDDINGS_DIMENSIONS } : {}) } }
      : {}),
    atproto: { plcUrl: e.ATP_PLC_URL, handleResolver: e.ATP_HANDLE_RESOLVER, dohUrl: e.ATP_DOH_URL, localNetwork: e.ATP_LOCAL_NETWORK === '1' },
    ...overrides,
  };
  base.publicOrigin = overrides.publicOrigin ?? e.PUBLIC_ORIGIN?.replace(/\/$/, '') ?? '';
  return base;
}

/** The port `offset` above `port`, or 0 (a free port) when `port` is 0. */
function nextTo(port: number, offset: number): number {
  return port === 0 ? 0 : port + offset;
}

/** The origin people use when none is configured: the apex on the port that serves it. */
export function defaultOrigin(s: Settings, boundPort: number): string {
  if (s.caddy === 'local') return `https://${s.apex}:${s.caddyHttpsPort}`;
  return `http://${s.apex}:${boundPort}`;
}
