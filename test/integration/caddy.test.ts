/**
 * Caddy in front (Debian's package): HTTPS with `tls internal` certificates
 * routes the apex and a wiki subdomain to the right workers, with the Host and
 * X-Forwarded-Proto passed through; the production Caddyfile asks the platform
 * before issuing on-demand certificates.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../../bin/lib/build.ts';
import { caddyEnv } from '../../bin/lib/caddy.ts';
import { claimPort } from '../../bin/lib/ports.ts';
import { ensureCaddy } from '../helpers/caddy.ts';
import { seedWiki, startTestStack, type TestStack } from '../helpers/stack.ts';

let caddy: string;
let t: TestStack;
let httpsPort: number;
let httpPort: number;
let rootCa: string;

interface CurlResult {
  status: number;
  headers: string;
  body: string;
}

/** curl, a real TLS client, verifying against Caddy's local CA only. */
function curl(url: string, extra: string[] = []): CurlResult | null {
  const r = spawnSync('curl', ['-sS', '--max-time', '5', '--cacert', rootCa, '-D', '-', ...extra, url], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const [head, ...rest] = r.stdout.split('\r\n\r\n');
  return { status: Number(/^HTTP\/\S+ (\d{3})/.exec(head ?? '')?.[1]), headers: (head ?? '').toLowerCase(), body: rest.join('\r\n\r\n') };
}

/** Caddy issues certificates shortly after start: retry the handshake for a few seconds. */
async function curlWhenReady(url: string, extra: string[] = []): Promise<CurlResult> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const r = curl(url, extra);
    if (r) return r;
    if (Date.now() > deadline) throw new Error(`no TLS answer from ${url}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

before(async () => {
  caddy = ensureCaddy();
  httpsPort = await claimPort('127.0.0.1', 0);
  httpPort = await claimPort('127.0.0.1', 0);
  t = await startTestStack({ settings: { caddy: 'local', caddyHttpsPort: httpsPort, caddyHttpPort: httpPort } });
  rootCa = path.join(t.dataDir, 'caddy', 'pki', 'authorities', 'local', 'root.crt');
  await seedWiki(t.stack, 'demo');
});
after(() => t.stop());

describe('Caddy with the local Caddyfile', () => {
  it('serves the apex over verified HTTPS from the platform worker', async () => {
    assert.equal(t.stack.origin, `https://wiki.localhost:${httpsPort}`);
    const r = await curlWhenReady(`https://wiki.localhost:${httpsPort}/`);
    assert.equal(r.status, 200);
    assert.match(r.headers, /x-served-by: platform/);
    assert.match(r.body, /Wikis for people and their AI agents/);
    // The gateway saw https (X-Forwarded-Proto), so it sends HSTS.
    assert.match(r.headers, /strict-transport-security: max-age=/);
  });

  it('sends wiki hosts to the wiki worker\'s own socket and the apex to the gateway', () => {
    const config = JSON.parse(execFileSync(caddy, ['adapt', '--config', path.join(ROOT, 'Caddyfile.local'), '--adapter', 'caddyfile'], {
      env: caddyEnv({ apex: 'wiki.localhost', upstream: `127.0.0.1:${t.stack.port}`, wikiUpstream: `127.0.0.1:${t.stack.wikiPort}`, httpsPort, httpPort, storage: path.join(t.dataDir, 'caddy'), adminPort: 0 }),
      encoding: 'utf8',
    })) as { apps: { http: { servers: Record<string, { routes: CaddyRoute[] }> } } };
    const proxies = Object.values(config.apps.http.servers).flatMap(routesOf);
    const dialFor = (host: string) => proxies.find((r) => r.match?.some((m) => m.host?.includes(host)) && routesOf({ routes: [r] }).some((x) => x.handle?.some((h) => h.upstreams)));
    const dial = (r: CaddyRoute | undefined) => routesOf({ routes: r ? [r] : [] }).flatMap((x) => x.handle ?? []).find((h) => h.upstreams)?.upstreams?.[0]?.dial;
    assert.equal(dial(dialFor('*.wiki.localhost')), `127.0.0.1:${t.stack.wikiPort}`);
    assert.equal(dial(dialFor('wiki.localhost')), `127.0.0.1:${t.stack.port}`);
  });

  it('serves a wiki subdomain from the wiki worker, with its Host intact', async () => {
    const r = await curlWhenReady(`https://demo.wiki.localhost:${httpsPort}/`);
    assert.equal(r.status, 200);
    assert.match(r.headers, /x-served-by: wiki/);
    assert.match(r.body, /<title>[^<]*demo/i, 'the wiki\'s home page');
    // The wiki's socket saw https (X-Forwarded-Proto) too.
    assert.match(r.headers, /strict-transport-security: max-age=/);
    const mcp = await curlWhenReady(`https://demo.wiki.localhost:${httpsPort}/mcp`);
    assert.match(mcp.headers, /x-served-by: mcp/);
    const missing = await curlWhenReady(`https://nosuch.wiki.localhost:${httpsPort}/`);
    assert.equal(missing.status, 404);
  });

  it('keeps internal routes internal', async () => {
    const r = await curlWhenReady(`https://wiki.localhost:${httpsPort}/internal/tls-ask?domain=demo.wiki.localhost`);
    assert.equal(r.status, 404);
  });

  it('redirects plain HTTP to HTTPS', async () => {
    const r = spawnSync('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code} %{redirect_url}', `http://demo.wiki.localhost:${httpPort}/Some/Page?x=1`], { encoding: 'utf8' });
    assert.equal(r.stdout, `301 https://demo.wiki.localhost:${httpsPort}/Some/Page?x=1`);
  });
});

interface CaddyRoute {
  match?: { host?: string[] }[];
  handle?: { handler: string; routes?: CaddyRoute[]; upstreams?: { dial: string }[] }[];
}

/** Every route of a Caddy server, subroutes included, in order. */
function routesOf(server: { routes: CaddyRoute[] }): CaddyRoute[] {
  const out: CaddyRoute[] = [];
  const walk = (routes: CaddyRoute[]) => {
    for (const r of routes) {
      out.push(r);
      for (const h of r.handle ?? []) if (h.routes) walk(h.routes);
    }
  };
  walk(server.routes);
  return out;
}

describe('the production Caddyfile', () => {
  it('asks the platform before on-demand certificates and redirects HTTP', () => {
    const json = execFileSync(caddy, ['adapt', '--config', path.join(ROOT, 'Caddyfile'), '--adapter', 'caddyfile'], {
      env: { ...process.env, APEX: 'wiki.example', ACME_EMAIL: 'ops@wiki.example' },
      encoding: 'utf8',
    });
    const config = JSON.parse(json);
    const text = JSON.stringify(config);
    assert.equal(config.apps.tls.automation.on_demand.ask, 'http://127.0.0.1:8788/internal/tls-ask');
    assert.ok(config.apps.tls.automation.policies.some((p: { on_demand?: boolean }) => p.on_demand), 'on-demand policy');
    assert.match(text, /"wiki\.example"/);
    assert.match(text, /"\*\.wiki\.example"/);
    // Wiki hosts go to the wiki worker's socket, everything else (the apex) to the gateway's.
    const proxies = routesOf(config.apps.http.servers.srv0).filter((r) => r.handle?.some((h) => h.handler === 'reverse_proxy'));
    assert.deepEqual(
      proxies.map((r) => ({ hosts: r.match?.[0]?.host ?? null, dial: r.handle![0]!.upstreams![0]!.dial })),
      [{ hosts: ['*.wiki.example'], dial: '127.0.0.1:8789' }, { hosts: null, dial: '127.0.0.1:8787' }],
    );
    assert.match(text, /"flush_interval":-1/);
    assert.match(text, /"Location":\["https:\/\/\{http\.request\.host\}\{http\.request\.uri\}"\]/);
  });
});
