/**
 * Preload (`node --import`) for child processes that must reach the stack by
 * name (`demo.wiki.localhost`): Node's resolver does not map `*.localhost` to
 * loopback on this machine, browsers and curl do. Anything else resolves as usual.
 */
import dns from 'node:dns';

type Callback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

const original = dns.lookup.bind(dns) as (...args: unknown[]) => void;

function isLocal(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost');
}

(dns as { lookup: unknown }).lookup = (hostname: string, options: unknown, callback?: Callback) => {
  const cb = (typeof options === 'function' ? options : callback) as Callback;
  const opts = (typeof options === 'object' && options !== null ? options : {}) as { all?: boolean };
  if (!isLocal(hostname)) return original(hostname, options, callback);
  process.nextTick(() => (opts.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)));
};
const originalPromise = dns.promises.lookup.bind(dns.promises);
(dns.promises as { lookup: unknown }).lookup = (hostname: string, options?: { all?: boolean }) =>
  isLocal(hostname) ? Promise.resolve(options?.all ? [{ address: '127.0.0.1', family: 4 }] : { address: '127.0.0.1', family: 4 }) : originalPromise(hostname, options as never);
