// Differential test: the native send plan (send-plan.ts) and its TS reference (send-plan.ref.ts)
// get the same random plans (spans, file regions, empty pieces, regions past the end of the
// file) over fresh TCP pairs, with a reader that keeps up or one that starts paused. Both must
// deliver the same bytes and settle the same way (bytes sent, or error code + bytesSent).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import crypto from 'node:crypto';
import fc from 'fast-check';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sendPlan, socketFd, type SendPiece, type SendPlanHandle } from './send-plan.js';
import { sendPlanRef } from './send-plan.ref.js';

type Sender = (fd: number, pieces: readonly SendPiece[], stallTimeoutMs?: number) => SendPlanHandle;
interface Outcome { received: Buffer; sent: number; code: string | null; completed: boolean }

const FILE_BYTES = 3 * 1024 * 1024;
let dir = '';
let fileFd = -1;

test.before(() => {
  dir = fs.mkdtempSync(os.tmpdir() + '/samsa-');
  const file = path.join(dir, 'seg.log');
  fs.writeFileSync(file, crypto.randomBytes(FILE_BYTES));
  fileFd = fs.openSync(file, 'r');
});
test.after(() => {
  fs.closeSync(fileFd);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(send: Sender, pieces: readonly SendPiece[], pausedMs: number): Promise<Outcome> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const receiver = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await new Promise<void>((r) => receiver.once('connect', () => r()));
  const sender = await accepted;
  server.close();
  const chunks: Buffer[] = [];
  if (pausedMs > 0) receiver.pause();
  receiver.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((r) => receiver.once('end', () => r()));
  const h = send(socketFd(sender), pieces);
  if (pausedMs > 0) setTimeout(() => receiver.resume(), pausedMs);
  let sent = 0;
  let code: string | null = null;
  try {
    sent = await h.promise;
  } catch (e) {
    code = (e as NodeJS.ErrnoException).code ?? 'unknown';
    sent = (e as { bytesSent: number }).bytesSent;
  }
  sender.end();
  await ended;
  receiver.destroy();
  return { received: Buffer.concat(chunks), sent, code, completed: h.completed };
}

const piece = fc.oneof(
  fc.integer({ min: 0, max: 40_000 }).map((n): SendPiece => crypto.randomBytes(n)),
  fc.record({ offset: fc.integer({ min: 0, max: FILE_BYTES + 10 }), length: fc.integer({ min: 0, max: 400_000 }) })
    .map(({ offset, length }): SendPiece => ({ fd: fileFd, offset, length })),
);

test('native and reference send plans deliver the same bytes and results', async () => {
  await fc.assert(fc.asyncProperty(fc.array(piece, { maxLength: 8 }), fc.constantFrom(0, 0, 30),
    async (pieces, pausedMs) => {
      const a = await run(sendPlan, pieces, pausedMs);
      const b = await run(sendPlanRef, pieces, pausedMs);
      assert.is(a.code, b.code);
      assert.is(a.sent, b.sent);
      assert.is(a.received.length, a.sent);
      assert.ok(a.received.equals(b.received), 'same bytes');
    }), { numRuns: 40, seed: 20261125 });
});

test('small plans complete inside the call on both sides', async () => {
  const pieces: SendPiece[] = [Buffer.from('x'), { fd: fileFd, offset: 100, length: 500 }, Buffer.alloc(0)];
  const a = await run(sendPlan, pieces, 0);
  const b = await run(sendPlanRef, pieces, 0);
  assert.ok(a.completed && b.completed);
  assert.is(a.sent, 501);
  assert.ok(a.received.equals(b.received));
});

test('ENODATA: same bytesSent on both sides', async () => {
  const pieces: SendPiece[] = [Buffer.from('head'), { fd: fileFd, offset: FILE_BYTES - 1000, length: 5000 }];
  const a = await run(sendPlan, pieces, 0);
  const b = await run(sendPlanRef, pieces, 0);
  assert.is(a.code, 'ENODATA');
  assert.is(b.code, 'ENODATA');
  assert.is(a.sent, 1004);
  assert.is(b.sent, 1004);
  assert.ok(a.received.equals(b.received));
});

test('a reader that never reads: both fail with ETIMEDOUT, cancel gives ECANCELED', async () => {
  const big: SendPiece[] = Array.from({ length: 10 }, () => ({ fd: fileFd, offset: 0, length: FILE_BYTES }));
  for (const send of [sendPlan, sendPlanRef] as Sender[]) {
    for (const how of ['stall', 'cancel'] as const) {
      const server = net.createServer();
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
      const receiver = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
      receiver.pause();
      const sender = await accepted;
      server.close();
      const h = send(socketFd(sender), big, how === 'stall' ? 200 : 60_000);
      if (how === 'cancel') setTimeout(() => h.cancel(), 100);
      const err = await h.promise.then(() => null, (e: NodeJS.ErrnoException & { bytesSent: number }) => e);
      assert.is(err?.code, how === 'stall' ? 'ETIMEDOUT' : 'ECANCELED');
      assert.ok(err!.bytesSent > 0 && err!.bytesSent < 10 * FILE_BYTES, `bytesSent ${err!.bytesSent}`);
      sender.destroy();
      receiver.destroy();
    }
  }
});

test.run();
