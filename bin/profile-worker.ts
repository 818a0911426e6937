/**
 * CPU-profiles one worker's isolate in a running workerd through its
 * inspector, and prints where the time went.
 *
 *   sh bin/run bin/profile-worker.ts [worker] [seconds] [inspector address]
 *
 * Defaults: wiki, 8 s, 127.0.0.1:9229. Start the stack with
 * WORKERD_INSPECTOR=127.0.0.1:9229 (and BUILD_NO_MINIFY=1 for function
 * names), put it under load, then run this. Writes the profile to
 * /tmp/<worker>.cpuprofile for Chrome DevTools.
 */
import fs from 'node:fs';
import { z } from 'zod';

const worker = process.argv[2] ?? 'wiki';
const seconds = Number(process.argv[3] ?? 8);
const address = process.argv[4] ?? '127.0.0.1:9229';

const targets = z.array(z.object({ title: z.string(), webSocketDebuggerUrl: z.string() })).parse(await (await fetch(`http://${address}/json/list`)).json());
const target = targets.find((t) => t.title === `workerd: worker ${worker}`);
if (!target) throw new Error(`no worker ${worker} at ${address}; there are: ${targets.map((t) => t.title).join(', ')}`);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

const socket = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((resolve, reject) => {
  socket.addEventListener('open', resolve);
  socket.addEventListener('error', reject);
});
let lastId = 0;
const replies = new Map<number, (result: unknown) => void>();
socket.addEventListener('message', (e) => {
  const message = JSON.parse(String(e.data)) as { id?: number; result?: unknown };
  if (message.id !== undefined) replies.get(message.id)?.(message.result);
});
function call<T>(method: string, params: object = {}): Promise<T> {
  const id = ++lastId;
  socket.send(JSON.stringify({ id, method, params }));
  return new Promise((resolve) => replies.set(id, resolve as (result: unknown) => void));
}

await call('Profiler.enable');
await call('Profiler.setSamplingInterval', { interval: 200 });
await call('Profiler.start');
await new Promise((r) => setTimeout(r, seconds * 1000));
const { profile } = await call<{ profile: Profile }>('Profiler.stop');
socket.close();
const out = `/tmp/${worker}.cpuprofile`;
fs.writeFileSync(out, JSON.stringify(profile));

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parents = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n.id);
const samples = new Map<number, number>();
for (const s of profile.samples) samples.set(s, (samples.get(s) ?? 0) + 1);

const self = new Map<string, number>();
const total = new Map<string, number>();
for (const [id, count] of samples) {
  const frame = nodes.get(id)!.callFrame;
  const here = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`;
  self.set(here, (self.get(here) ?? 0) + count);
  // Each function once per sample, however deep it recurses.
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
    const name = nodes.get(at)!.callFrame.functionName || '(anonymous)';
    if (!seen.has(name)) total.set(name, (total.get(name) ?? 0) + count);
    seen.add(name);
  }
}
const all = profile.samples.length;
const table = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [name, count] of [...m].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${((count / all) * 100).toFixed(1).padStart(5)}%  ${name}`);
};
console.log(`${all} samples of ${worker} over ${seconds} s; profile written to ${out}`);
table('self time', self);
table('total time (with callees)', total);
