/**
 * HTTP for tests: undici's fetch with `*.localhost` resolved to loopback (Node's
 * own resolver does not on this machine), so tests use real host names.
 */
import type { LookupAddress } from 'node:dns';
import { Agent, fetch as undiciFetch, type RequestInit, type Response } from 'undici';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

export const localhostAgent = new Agent({
  connect: {
    lookup(hostname: string, options: { all?: boolean }, callback: LookupCallback) {
      if (hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '127.0.0.1') {
        if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
        else callback(null, '127.0.0.1', 4);
        return;
      }
      callback(Object.assign(new Error(`tests resolve only *.localhost, not ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
    },
  } as never,
});

/** fetch that reaches `http://{anything}.localhost:PORT/` on loopback; never follows redirects. */
export function httpFetch(url: string, init: RequestInit = {}): Promise<Response> {
  return undiciFetch(url, { redirect: 'manual', ...init, dispatcher: localhostAgent });
}

/** What `requestWithHost` got back. */
export interface RawAnswer {
  status: number;
  headers: import('node:http').IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTP request to `127.0.0.1:port` with a Host header of our choosing (fetch
 * replaces it with the URL's), for hosts that do not resolve here.
 */
export async function requestWithHost(port: number, host: string, path: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<RawAnswer> {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: { ...init.headers, host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
