import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FrameSizeError, RequestFrames } from './request-frames.js';

/** Frames of the given sizes, each filled with a pattern derived from its index. */
function stream(sizes: number[]): { bytes: Buffer; bodies: Buffer[] } {
  const bodies = sizes.map((n, i) => { const b = Buffer.alloc(n); for (let j = 0; j < n; j++) b[j] = (i * 31 + j) & 0xff; return b; });
  const parts: Buffer[] = [];
  for (const b of bodies) { const h = Buffer.alloc(4); h.writeInt32BE(b.length); parts.push(h, b); }
  return { bytes: Buffer.concat(parts), bodies };
}

/** Feeds `bytes` cut at `cuts`, draining after every chunk (or only at the end when `lazy`). */
function split(bytes: Buffer, cuts: number[], lazy = false, max = 1 << 20): { frames: Buffer[]; buffered: number[] } {
  const rf = new RequestFrames(max);
  const frames: Buffer[] = [];
  const buffered: number[] = [];
  let at = 0;
  const drain = () => { for (let f = rf.next(); f; f = rf.next()) frames.push(Buffer.from(f)); };
  for (const end of [...cuts, bytes.length]) {
    rf.push(bytes.subarray(at, end));
    at = end;
    if (!lazy) drain();
    buffered.push(rf.buffered);
  }
  drain();
  assert.is(rf.buffered, 0);
  return { frames, buffered };
}

test('frames inside one chunk, across chunks, with split size prefixes, in order and byte-exact', () => {
  const sizes = [0, 1, 7, 100, 70_000, 3, 250_000, 12, 65_536, 9];
  const { bytes, bodies } = stream(sizes);
  const cutsets: number[][] = [
    [], // one chunk
    Array.from({ length: Math.floor(bytes.length / 65_536) }, (_, i) => (i + 1) * 65_536), // socket-sized reads
    Array.from({ length: 300 }, (_, i) => Math.floor((i + 1) * bytes.length / 301)), // odd cuts
    [1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15, 16, 18], // size prefixes split byte by byte
  ];
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  cutsets.push([...new Set(Array.from({ length: 60 }, () => Math.floor(rnd() * bytes.length)))].sort((a, b) => a - b));
  for (const cuts of cutsets) {
    for (const lazy of [false, true]) {
      const { frames } = split(bytes, cuts, lazy);
      assert.is(frames.length, sizes.length, `count with ${cuts.length} cuts (lazy ${lazy})`);
      frames.forEach((f, i) => assert.ok(f.equals(bodies[i]!), `frame ${i} (size ${sizes[i]}) with ${cuts.length} cuts, lazy ${lazy}`));
    }
  }
});

test('buffered counts received bytes not yet returned, also while a frame is assembled', () => {
  const { bytes } = stream([100_000, 10]);
  const rf = new RequestFrames(1 << 20);
  rf.push(bytes.subarray(0, 30_000));
  assert.is(rf.next(), null);
  assert.is(rf.buffered, 30_000 - 4);
  rf.push(bytes.subarray(30_000, 100_010)); // completes frame 1, 6 bytes of frame 2's prefix+body
  assert.is(rf.buffered, 100_010 - 4);
  const f1 = rf.next()!;
  assert.is(f1.length, 100_000);
  assert.is(rf.buffered, 6);
  assert.is(rf.next(), null);
  rf.push(bytes.subarray(100_010));
  assert.is(rf.next()!.length, 10);
  assert.is(rf.buffered, 0);
});

test('a frame over the limit or with a negative size is refused from its prefix alone', () => {
  const rf = new RequestFrames(1000);
  const h = Buffer.alloc(4);
  h.writeInt32BE(1001);
  rf.push(h.subarray(0, 2));
  assert.is(rf.next(), null);
  rf.push(h.subarray(2));
  const err = (() => { try { rf.next(); } catch (e) { return e; } return null; })();
  assert.instance(err, FrameSizeError);
  assert.is((err as FrameSizeError).code, 'SAMSA_FRAME_SIZE');
  assert.match((err as Error).message, /exceeds socket.request.max.bytes=1000/);
  const neg = new RequestFrames(1000);
  neg.push(Buffer.from([0xff, 0xff, 0xff, 0xfe]));
  assert.throws(() => neg.next(), /negative/);
});

test('a frame wholly inside a chunk is a zero-copy view of it', () => {
  const { bytes } = stream([50, 60]);
  const rf = new RequestFrames(1000);
  rf.push(bytes);
  const f = rf.next()!;
  assert.is(f.buffer, bytes.buffer);
  assert.is(f.byteOffset, bytes.byteOffset + 4);
});

test.run();
