import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as net from 'node:net';
import { bindListener } from './listener.js';

function connectAndEcho(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port }, () => s.write('ping'));
    let got = '';
    s.on('data', (d) => {
      got += d.toString();
      if (got.length >= 4) { s.end(); resolve(got); }
    });
    s.on('error', reject);
  });
}

const echo = (socket: net.Socket) => socket.on('data', (d) => socket.write(d));

test('localhost with port 0 binds 127.0.0.1 and ::1 on the same port', async () => {
  const l = await bindListener({ name: 'PLAINTEXT', host: 'localhost', port: 0 }, echo);
  try {
    assert.ok(l.port > 0);
    assert.ok(l.addresses.includes('127.0.0.1'));
    assert.is(await connectAndEcho('127.0.0.1', l.port), 'ping');
    if (l.addresses.includes('::1')) assert.is(await connectAndEcho('::1', l.port), 'ping');
  } finally {
    await l.stopAccepting();
  }
});

test('empty host binds all interfaces', async () => {
  const l = await bindListener({ name: 'PLAINTEXT', host: '', port: 0 }, echo);
  try {
    assert.is(await connectAndEcho('127.0.0.1', l.port), 'ping');
  } finally {
    await l.stopAccepting();
  }
});

test('port in use gives a typed error naming the port and the fix', async () => {
  const first = await bindListener({ name: 'PLAINTEXT', host: '127.0.0.1', port: 0 }, echo);
  try {
    await bindListener({ name: 'PLAINTEXT', host: '127.0.0.1', port: first.port }, echo);
    assert.unreachable('should have thrown');
  } catch (err) {
    const e = err as Error & { code?: string };
    assert.is(e.code, 'SAMSA_LISTENER_BIND');
    assert.match(e.message, String(first.port));
    assert.match(e.message, 'EADDRINUSE');
  } finally {
    await first.stopAccepting();
  }
});

test('stopAccepting refuses new connections but keeps existing ones', async () => {
  const l = await bindListener({ name: 'PLAINTEXT', host: '127.0.0.1', port: 0 }, echo);
  const s = net.connect({ host: '127.0.0.1', port: l.port });
  await new Promise((r) => s.once('connect', r));
  await l.stopAccepting();
  const refused = await new Promise<string>((resolve) => {
    const c = net.connect({ host: '127.0.0.1', port: l.port });
    c.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    c.on('connect', () => { c.destroy(); resolve('connected'); });
  });
  assert.is(refused, 'ECONNREFUSED');
  const reply = await new Promise<string>((resolve) => { s.once('data', (d) => resolve(d.toString())); s.write('still'); });
  assert.is(reply, 'still');
  s.destroy();
});

test.run();
