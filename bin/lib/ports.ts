/** Loopback ports: is one free, and which free one can we have. */
import net from 'node:net';
import { StartupError } from './fail.ts';

/** Binds and releases `port` to prove it is free; port 0 returns a free ephemeral port. */
export function claimPort(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new StartupError(`port ${port} on ${host} is already in use; stop what uses it or choose another port (PORT=…)`));
      else if (err.code === 'EACCES') reject(new StartupError(`no permission to listen on ${host}:${port}; use a port above 1023`));
      else reject(new StartupError(`cannot listen on ${host}:${port}: ${err.message}`));
    });
    server.listen({ host, port, exclusive: true }, () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}

/** Polls `url` until it answers 200 or `deadline` passes; `alive()` false aborts early. */
export async function waitForHealthy(url: string, options: { timeoutMs: number; alive?: () => boolean; headers?: Record<string, string> }): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (options.alive && !options.alive()) return false;
    try {
      const res = await fetch(url, { headers: options.headers ?? {}, signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}
