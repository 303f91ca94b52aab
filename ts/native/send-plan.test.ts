import { test } from 'uvu';
import * as assert from 'uvu/assert';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { dropFromPageCache } from '../testing/page-cache.js';
import { sendPlan, socketFd, type SendPiece } from './send-plan.js';

interface Pair { sender: net.Socket; receiver: net.Socket; close(): void }

async function tcpPair(): Promise<Pair> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const receiver = net.connect(port, '127.0.0.1');
  await new Promise<void>((r) => receiver.once('connect', () => r()));
  const sender = await accepted;
  return { sender, receiver, close: () => { sender.destroy(); receiver.destroy(); server.close(); } };
}

/** Collects `want` bytes; when slow, pauses the stream between small reads so buffers fill. */
function collect(sock: net.Socket, want: number, slow: boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    sock.on('error', reject);
    sock.on('data', (c: Buffer) => {
      chunks.push(c);
      got += c.length;
      if (got >= want) resolve(Buffer.concat(chunks));
      else if (slow) { sock.pause(); setTimeout(() => sock.resume(), 2); }
    });
  });
}

let dir = '';
let file = '';
let fileData: Buffer;
const MB20 = 20 * 1024 * 1024;

test.before(() => {
  dir = fs.mkdtempSync(os.tmpdir() + '/samsa-');
  file = path.join(dir, 'seg.log');
  fileData = crypto.randomBytes(MB20 + 4096);
  fs.writeFileSync(file, fileData);
});
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('socketFd finds the fd of a TCP socket', async () => {
  const p = await tcpPair();
  try {
    assert.ok(socketFd(p.sender) > 2);
    assert.is(socketFd({}), -1);
  } finally { p.close(); }
});

test('20 MB file region to a slow reader arrives exactly', async () => {
  const p = await tcpPair();
  const fd = fs.openSync(file, 'r');
  try {
    const received = collect(p.receiver, MB20, true);
    const h = sendPlan(socketFd(p.sender), [{ fd, offset: 1000, length: MB20 }]);
    assert.is(await h.promise, MB20);
    const got = await received;
    assert.is(got.length, MB20);
    assert.ok(got.equals(fileData.subarray(1000, 1000 + MB20)));
  } finally { fs.closeSync(fd); p.close(); }
});

test('mix of spans and regions arrives in order', async () => {
  const p = await tcpPair();
  const fd = fs.openSync(file, 'r');
  try {
    const pieces: SendPiece[] = [
      Buffer.from('header-'), { fd, offset: 0, length: 5000 }, Buffer.from('mid'), Buffer.alloc(0),
      Buffer.from('dle'), { fd, offset: 70_000, length: 0 }, { fd, offset: 123_457, length: 300_000 },
      crypto.randomBytes(100_000), { fd, offset: 5, length: 1 },
    ];
    const expected = Buffer.concat(pieces.map((x) => x instanceof Uint8Array ? x
      : fileData.subarray(x.offset, x.offset + x.length)));
    const received = collect(p.receiver, expected.length, false);
    assert.is(await sendPlan(socketFd(p.sender), pieces).promise, expected.length);
    assert.ok((await received).equals(expected));
  } finally { fs.closeSync(fd); p.close(); }
});

test('cancel stops a plan the peer is not reading', async () => {
  const p = await tcpPair();
  const fd = fs.openSync(file, 'r');
  try {
    p.receiver.pause();
    const h = sendPlan(socketFd(p.sender), [{ fd, offset: 0, length: MB20 }]);
    setTimeout(() => h.cancel(), 100);
    const err = await h.promise.then(() => undefined, (e: NodeJS.ErrnoException & { bytesSent: number }) => e);
    assert.ok(err, 'rejected');
    assert.is(err!.code, 'ECANCELED');
    assert.ok(err!.bytesSent > 0 && err!.bytesSent < MB20, `bytesSent ${err!.bytesSent}`);
  } finally { fs.closeSync(fd); p.close(); }
});

test('a stalled peer fails the plan with ETIMEDOUT', async () => {
  const p = await tcpPair();
  const fd = fs.openSync(file, 'r');
  try {
    p.receiver.pause();
    const err = await sendPlan(socketFd(p.sender), [{ fd, offset: 0, length: MB20 }], 200).promise
      .then(() => undefined, (e: NodeJS.ErrnoException) => e);
    assert.is(err?.code, 'ETIMEDOUT');
  } finally { fs.closeSync(fd); p.close(); }
});

test('a region past the end of the file fails with ENODATA', async () => {
  const p = await tcpPair();
  const fd = fs.openSync(file, 'r');
  try {
    p.receiver.resume();
    const err = await sendPlan(socketFd(p.sender), [{ fd, offset: fileData.length - 10, length: 100 }]).promise
      .then(() => undefined, (e: NodeJS.ErrnoException & { bytesSent: number }) => e);
    assert.is(err?.code, 'ENODATA');
    assert.is(err?.bytesSent, 10);
  } finally { fs.closeSync(fd); p.close(); }
});

test('a plan that fits the socket buffer completes inside the call (no pool job)', async () => {
  const p = await tcpPair();
  const fd = fs.openSync(file, 'r');
  try {
    const pieces: SendPiece[] = [Buffer.from('hdr'), { fd, offset: 4096, length: 300 }, Buffer.from('tail')];
    const expected = Buffer.concat([Buffer.from('hdr'), fileData.subarray(4096, 4396), Buffer.from('tail')]);
    const received = collect(p.receiver, expected.length, false);
    const h = sendPlan(socketFd(p.sender), pieces);
    assert.is(h.completed, true);
    assert.is(await h.promise, expected.length);
    assert.ok((await received).equals(expected));
  } finally { fs.closeSync(fd); p.close(); }
});

test('a small region that is not in the page cache goes to the pool (the loop never waits for the disk)', async () => {
  const cold = path.join(dir, 'cold.log');
  fs.writeFileSync(cold, fileData.subarray(0, 64 * 1024));
  assert.ok(dropFromPageCache(cold), 'posix_fadvise through python3');
  const p = await tcpPair();
  const fd = fs.openSync(cold, 'r');
  try {
    const expected = Buffer.concat([Buffer.from('hdr'), fileData.subarray(1000, 1300)]);
    const received = collect(p.receiver, expected.length, false);
    const h = sendPlan(socketFd(p.sender), [Buffer.from('hdr'), { fd, offset: 1000, length: 300 }]);
    assert.is(h.completed, false, 'handed to the pool although it fits the socket buffer');
    assert.is(await h.promise, expected.length);
    assert.ok((await received).equals(expected));
    // The pool's sendfile read the pages in: the same plan now completes in the call.
    p.receiver.removeAllListeners('data');
    const again = collect(p.receiver, expected.length, false);
    const h2 = sendPlan(socketFd(p.sender), [Buffer.from('hdr'), { fd, offset: 1000, length: 300 }]);
    assert.is(h2.completed, true);
    assert.is(await h2.promise, expected.length);
    assert.ok((await again).equals(expected));
  } finally { fs.closeSync(fd); p.close(); }
});

test('a plan larger than the socket buffer hands its remainder to the pool and arrives exactly', async () => {
  const p = await tcpPair();
  const fd = fs.openSync(file, 'r');
  try {
    p.receiver.pause();
    const pieces: SendPiece[] = [Buffer.from('head'), { fd, offset: 7, length: MB20 }, Buffer.from('end')];
    const h = sendPlan(socketFd(p.sender), pieces);
    assert.is(h.completed, false, 'a paused reader cannot take 20 MB at once');
    const want = MB20 + 7;
    const received = collect(p.receiver, want, false);
    p.receiver.resume();
    assert.is(await h.promise, want);
    const got = await received;
    assert.is(got.length, want);
    assert.ok(got.equals(Buffer.concat([Buffer.from('head'), fileData.subarray(7, 7 + MB20), Buffer.from('end')])));
  } finally { fs.closeSync(fd); p.close(); }
});

test('the in-call step stops after 4 MiB even for a reader that keeps up; the pool sends the rest', async () => {
  const p = await tcpPair();
  const fd = fs.openSync(file, 'r');
  try {
    const len = 6 * 1024 * 1024;
    const received = collect(p.receiver, len, false);
    const h = sendPlan(socketFd(p.sender), [{ fd, offset: 3, length: len }]);
    assert.is(h.completed, false);
    assert.is(await h.promise, len);
    assert.ok((await received).equals(fileData.subarray(3, 3 + len)));
  } finally { fs.closeSync(fd); p.close(); }
});

test.run();
