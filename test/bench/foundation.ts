/** The floors later figures are compared with: the gateway alone, sqld alone, and both together. */
import { seedWiki } from '../helpers/stack.ts';
import type { Stack } from '../../bin/lib/stack.ts';
import type { Scenario } from './scenario.ts';

const DID = 'did:plc:benchbenchbenchbenchbenc';

export async function setupFoundation(stack: Stack): Promise<void> {
  await seedWiki(stack, 'bench', DID);
}

export const FOUNDATION: Scenario[] = [
  {
    name: 'gateway-health',
    what: 'GET /healthz/gateway on the apex: socket → gateway worker, no I/O',
    load: (s) => ({ url: `${s.gatewayUrl}/healthz/gateway`, headers: { host: `wiki.localhost:${s.port}` } }),
  },
  {
    name: 'gateway-health-c10',
    what: 'gateway-health at 10 connections (compare page-view-c10)',
    connections: 10,
    load: (s) => ({ url: `${s.gatewayUrl}/healthz/gateway`, headers: { host: `wiki.localhost:${s.port}` } }),
  },
  {
    name: 'sqld-one-row',
    what: 'one-row SELECT by primary key, straight to sqld over HTTP (hrana pipeline)',
    load: (s) => ({
      url: `${s.sqldUrl}/v2/pipeline`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ requests: [{ type: 'execute', stmt: { sql: 'select did, handle from users where did = ?', args: [{ type: 'text', value: DID }] } }, { type: 'close' }] }),
    }),
  },
  {
    name: 'wiki-host-lookup',
    what: 'GET / on a wiki host: gateway → wiki worker → one-row lookup in sqld',
    load: (s) => ({ url: `${s.gatewayUrl}/`, headers: { host: `bench.wiki.localhost:${s.port}` } }),
  },
];
