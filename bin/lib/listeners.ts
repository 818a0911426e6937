/**
 * Listening sockets that outlive the workerd using them (socket activation,
 * as `workerd serve --socket-fd` is meant for): a workerd that is replaced or
 * restarts hands over to the next one on the same sockets, so connections
 * wait in the kernel's backlog instead of being refused.
 *
 * The supervisor must hold the sockets without accepting on them, and Node
 * accepts on every socket it listens on. So a short-lived helper process
 * listens and sends the raw handles over IPC; received as raw handles, they
 * are never polled here, and their descriptors are passed to each workerd.
 */
import { spawn } from 'node:child_process';
import { StartupError } from './fail.ts';

export interface ListenerSpec {
  name: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
}

export interface Listener {
  name: string;
  host: string;
  port: number;
  /** The descriptor in this process, for a child's stdio. */
  fd: number;
}

/** What Node hands over for a raw TCP handle: its descriptor, and close(). */
interface RawHandle {
  fd: number;
  close(): void;
}

/**
 * The helper: listens on every address first; then sends either the first
 * error, or each handle and a last `done`. The supervisor reads until one of
 * those two ends the conversation, so no message is lost to the channel
 * closing (a child's exit can be seen before its last messages are read).
 */
const HELPER = `
const net = require('node:net');
const specs = JSON.parse(process.argv[1]);
const send = (msg, handle) => new Promise((resolve) => process.send(msg, handle, resolve));
(async () => {
  const servers = [];
  for (const spec of specs) {
    // A connection in the moment before the handle is sent is closed, as if nothing listened yet.
    const server = net.createServer({ pauseOnConnect: true }, (socket) => socket.destroy());
    const error = await new Promise((resolve) => {
      server.once('error', resolve);
      server.listen({ host: spec.host, port: spec.port, exclusive: true }, () => resolve(null));
    });
    if (error) {
      for (const [, opened] of servers) opened.close();
      await send({ name: spec.name, error: error.code ?? error.message });
      return process.disconnect();
    }
    servers.push([spec, server]);
  }
  for (const [spec, server] of servers) {
    await send({ name: spec.name, port: server.address().port }, server._handle);
    server.close(); // the supervisor holds its own descriptor now
  }
  await send({ done: true });
  process.disconnect();
})();
`;

/** What a listen error means for the person starting the stack. */
function explain(spec: ListenerSpec, code: string): string {
  if (code === 'EADDRINUSE') return `port ${spec.port} on ${spec.host} is already in use; stop what uses it or choose another port (PORT=…)`;
  if (code === 'EACCES') return `no permission to listen on ${spec.host}:${spec.port}; use a port above 1023`;
  return `cannot listen on ${spec.host}:${spec.port}: ${code}`;
}

export class Listeners {
  readonly #handles: RawHandle[];
  readonly byName: ReadonlyMap<string, Listener>;

  private constructor(listeners: Listener[], handles: RawHandle[]) {
    this.byName = new Map(listeners.map((l) => [l.name, l]));
    this.#handles = handles;
  }

  /** Opens every socket, or none: on any error the ones opened are closed and a StartupError says why. */
  static async open(specs: ListenerSpec[]): Promise<Listeners> {
    const helper = spawn(process.execPath, ['-e', HELPER, JSON.stringify(specs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const listeners: Listener[] = [];
    const handles: RawHandle[] = [];
    const errors: string[] = [];
    await new Promise<void>((resolve, reject) => {
      helper.on('message', (msg: { name: string; port?: number; error?: string; done?: boolean }, handle?: RawHandle) => {
        if (msg.done) return resolve();
        const spec = specs.find((s) => s.name === msg.name)!;
        if (msg.error || !handle || msg.port === undefined) {
          errors.push(explain(spec, msg.error ?? 'no handle'));
          return resolve();
        }
        handles.push(handle);
        listeners.push({ name: spec.name, host: spec.host, port: msg.port, fd: handle.fd });
      });
      helper.once('error', reject);
      // Without `done` or an error: it died. Its channel closes after its last message is read.
      helper.once('disconnect', () => resolve());
    });
    if (helper.exitCode === null) helper.kill(); // done with it, whatever it still holds
    const all = new Listeners(listeners, handles);
    if (errors.length || listeners.length !== specs.length) {
      all.close();
      throw new StartupError(errors[0] ?? 'could not open the listening sockets');
    }
    return all;
  }

  get(name: string): Listener {
    const l = this.byName.get(name);
    if (!l) throw new Error(`no listener named ${name}`);
    return l;
  }

  close(): void {
    for (const h of this.#handles.splice(0)) h.close();
  }
}
