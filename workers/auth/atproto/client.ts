/**
 * The ATProto OAuth client (`@atproto/oauth-client`, the runtime-agnostic
 * core) wired for workerd: WebCrypto and jose keys, sealed stores and a lease
 * lock in sqld, handles resolved over HTTPS (no DNS API here), and the
 * redirect/cache shims. One client per request: its stores hold this
 * request's database client, and its in-flight caches must not be awaited by
 * another request (workerd forbids cross-request I/O). Sign-ins are rare, so
 * the construction cost does not matter.
 */
import { JoseKey } from '@atproto/jwk-jose';
import { AtprotoDohHandleResolver, OAuthClient, type HandleResolver } from '@atproto/oauth-client';
import type { Db } from '../../lib/db.ts';
import { sealingKey } from '../keys.ts';
import { clientMetadata, clientMode } from './client-metadata.ts';
import { installFetchShims } from './fetch-shims.ts';
import { leaseLock } from './lease-lock.ts';
import { sealedSessionStore, sealedStateStore } from './sealed-stores.ts';

export interface AtprotoEnv {
  PUBLIC_ORIGIN: string;
  ATP_CLIENT_JWK: string;
  DATA_KEY: string;
  /** PLC directory; default https://plc.directory. */
  ATP_PLC_URL?: string;
  /** An XRPC service that resolves handles (a PDS or AppView); unset: DNS-over-HTTPS plus the HTTPS well-known. */
  ATP_HANDLE_RESOLVER?: string;
  /** DNS-over-HTTPS endpoint (JSON API) for `_atproto` TXT records. */
  ATP_DOH_URL?: string;
  /** `1` lets the client talk to authorization servers over plain http (a local test PDS only). */
  ATP_ALLOW_HTTP?: string;
}

const DEFAULT_DOH = 'https://cloudflare-dns.com/dns-query';

function handleResolver(env: AtprotoEnv): string | HandleResolver {
  if (env.ATP_HANDLE_RESOLVER) return env.ATP_HANDLE_RESOLVER;
  return new AtprotoDohHandleResolver({ dohEndpoint: env.ATP_DOH_URL || DEFAULT_DOH });
}

export async function createAtprotoClient(env: AtprotoEnv, db: Db): Promise<OAuthClient> {
  installFetchShims();
  const storeKey = await sealingKey(env);
  const confidential = clientMode(env.PUBLIC_ORIGIN) === 'confidential';
  return new OAuthClient({
    responseMode: 'query',
    clientMetadata: clientMetadata(env.PUBLIC_ORIGIN),
    keyset: confidential ? [await JoseKey.fromImportable(env.ATP_CLIENT_JWK)] : undefined,
    allowHttp: env.ATP_ALLOW_HTTP === '1',
    stateStore: sealedStateStore(db, storeKey),
    sessionStore: sealedSessionStore(db, storeKey),
    handleResolver: handleResolver(env),
    ...(env.ATP_PLC_URL ? { plcDirectoryUrl: env.ATP_PLC_URL } : {}),
    runtimeImplementation: {
      createKey: (algs) => JoseKey.generate(algs),
      getRandomValues: (length) => crypto.getRandomValues(new Uint8Array(length)),
      digest: async (data, { name }) => new Uint8Array(await crypto.subtle.digest(name.replace('sha', 'SHA-'), data)),
      requestLock: leaseLock(db),
    },
  });
}
