import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendSegment } from './segment-append.js';

function withDir(fn: (dir: string) => Promise<void>) {
  return async () => {
    const dir = fs.mkdtempSync(os.tmpdir() + '/samsa-');
    try { await fn(dir); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  };
}

function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + seed * 13) & 0xff;
  return b;
}

test('writes log buffers contiguously and index bytes at their positions (no sync, then sync)', withDir(async (dir) => {
  const log = fs.openSync(path.join(dir, 'a.log'), 'w+');
  const idx = fs.openSync(path.join(dir, 'a.index'), 'w+');
  const tim = fs.openSync(path.join(dir, 'a.timeindex'), 'w+');
  try {
    const bufs = [bytes(100, 1), bytes(0, 2), bytes(5000, 3), bytes(1, 4)];
    const n = await appendSegment(log, bufs, 0, idx, bytes(8, 5), 0, tim, bytes(12, 6), 0, false);
    assert.is(n, 5101);
    const more = [bytes(300, 7)];
    const n2 = await appendSegment(log, more, 5101, idx, bytes(8, 8), 8, -1, null, 0, true);
    assert.is(n2, 300);
    assert.ok(fs.readFileSync(path.join(dir, 'a.log')).equals(Buffer.concat([...bufs, ...more])));
    assert.ok(fs.readFileSync(path.join(dir, 'a.index')).equals(Buffer.concat([bytes(8, 5), bytes(8, 8)])));
    assert.ok(fs.readFileSync(path.join(dir, 'a.timeindex')).equals(bytes(12, 6)));
  } finally {
    for (const fd of [log, idx, tim]) fs.closeSync(fd);
  }
}));

test('more buffers than IOV_MAX, written at an offset inside the file', withDir(async (dir) => {
  const file = path.join(dir, 'b.log');
  fs.writeFileSync(file, Buffer.alloc(10, 0xee));
  const fd = fs.openSync(file, 'r+');
  try {
    const bufs = Array.from({ length: 2500 }, (_, i) => bytes(1 + (i % 17), i));
    const total = bufs.reduce((s, b) => s + b.length, 0);
    assert.is(await appendSegment(fd, bufs, 10, -1, null, 0, -1, null, 0, true), total);
    const got = fs.readFileSync(file);
    assert.is(got.length, 10 + total);
    assert.ok(got.subarray(0, 10).equals(Buffer.alloc(10, 0xee)));
    assert.ok(got.subarray(10).equals(Buffer.concat(bufs)));
  } finally {
    fs.closeSync(fd);
  }
}));

test('errors reject with a Node-style system error', withDir(async (dir) => {
  const file = path.join(dir, 'ro.log');
  fs.writeFileSync(file, '');
  const fd = fs.openSync(file, 'r');
  try {
    await appendSegment(fd, [bytes(10, 1)], 0, -1, null, 0, -1, null, 0, false).then(
      () => assert.unreachable('should reject'),
      (e: NodeJS.ErrnoException) => {
        assert.is(e.code, 'EBADF');
        assert.is(e.errno, -9);
        assert.match(e.message, /EBADF/);
      });
  } finally {
    fs.closeSync(fd);
  }
  assert.throws(() => appendSegment(3, ['x' as unknown as Uint8Array], 0, -1, null, 0, -1, null, 0, false), TypeError);
}));

test.run();
