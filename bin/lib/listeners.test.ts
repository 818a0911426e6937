import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { it } from 'node:test';
import { Listeners } from './listeners.ts';

/** A server in another process on the listener's descriptor (fd 3), answering "hi" to each connection. */
function serveOn(fd: number) {
  const code = `require('node:net').createServer((s) => s.end('hi ' + process.pid)).listen({ fd: 3 }, () => process.send('ready'))`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'inherit', 'inherit', fd, 'ipc'] });
  return { child, ready: new Promise((r) => child.once('message', r)) };
}

function ask(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => (got += d));
    s.on('end', () => resolve(got));
    s.on('error', reject);
  });
}

it('holds sockets without accepting: a connection waits until a process given the descriptor serves it, and the next one takes over', async () => {
  const listeners = await Listeners.open([{ name: 'web', host: '127.0.0.1', port: 0 }]);
  try {
    const { port, fd } = listeners.get('web');
    // Nobody serves yet: the connection is accepted by the kernel and waits in the backlog.
    const early = ask(port);
    const first = serveOn(fd);
    const answer = await early;
    assert.match(answer, new RegExp(`^hi ${first.child.pid}$`));
    // The successor takes over on the same port while the first still runs, then the first goes.
    const second = serveOn(fd);
    await second.ready;
    first.child.kill();
    await new Promise((r) => first.child.once('exit', r));
    assert.equal(await ask(port), `hi ${second.child.pid}`);
    second.child.kill();
  } finally {
    listeners.close();
  }
});

it('refuses a port in use with a clear message, and opens none of the others', async () => {
  const held = await Listeners.open([{ name: 'a', host: '127.0.0.1', port: 0 }]);
  try {
    const port = held.get('a').port;
    await assert.rejects(Listeners.open([{ name: 'free', host: '127.0.0.1', port: 0 }, { name: 'taken', host: '127.0.0.1', port }]), /port \d+ on 127\.0\.0\.1 is already in use/);
  } finally {
    held.close();
  }
});
