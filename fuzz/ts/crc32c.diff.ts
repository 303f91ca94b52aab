// Differential target: native crc32c (SSE4.2 when present) and crc32cPortable against the TS
// reference on arbitrary bytes, lengths, alignments (subarrays at every offset of a shared
// buffer), initial values and chaining split points. Corpus layout (shared with
// fuzz/native/crc32c_fuzzer.cc): byte 0 alignment % 16, bytes 1-4 init, bytes 5-6 split, rest data.
import fc from 'fast-check';
import { crc32c, crc32cPortable } from '../../ts/native/crc32c.js';
import { crc32c as crc32cRef } from '../../ts/native/crc32c.ref.js';
import { timedProperty, type TsFuzzTarget } from './target.js';

const hex = (n: number) => n.toString(16).padStart(8, '0');

export function checkCrc(data: Uint8Array, align: number, init: number, split: number): void {
  const backing = new Uint8Array(align + data.length);
  backing.set(data, align);
  const view = backing.subarray(align);
  const want = crc32cRef(view, init);
  const hw = crc32c(view, init), portable = crc32cPortable(view, init);
  const what = `len ${data.length} align ${align} init ${hex(init)}`;
  if (hw !== want) throw new Error(`crc32c ${hex(hw)} != reference ${hex(want)} (${what})`);
  if (portable !== want) throw new Error(`crc32cPortable ${hex(portable)} != reference ${hex(want)} (${what})`);
  const at = split % (data.length + 1);
  const chained = crc32c(view.subarray(at), crc32c(view.subarray(0, at), init));
  if (chained !== want) throw new Error(`chained at ${at}: ${hex(chained)} != ${hex(want)} (${what})`);
}

export function checkCrcInput(input: Uint8Array): void {
  if (input.length < 7) return;
  const init = ((input[1] << 24) | (input[2] << 16) | (input[3] << 8) | input[4]) >>> 0;
  checkCrc(input.subarray(7), input[0] % 16, init, (input[5] << 8) | input[6]);
}

const caseArb = fc.record({
  data: fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 5000 })),
  align: fc.nat(15), init: fc.oneof(fc.constant(0), fc.nat(0xffffffff)), split: fc.nat(0xffff),
});

export const crc32cDiff: TsFuzzTarget = {
  name: 'crc32c-diff',
  corpus: 'crc32c',
  async run(budget) {
    return timedProperty(caseArb, (c) => checkCrc(c.data, c.align, c.init, c.split), budget, (c) => Buffer.concat([
      Buffer.from([c.align, c.init >>> 24, (c.init >>> 16) & 0xff, (c.init >>> 8) & 0xff, c.init & 0xff, c.split >> 8, c.split & 0xff]),
      c.data]));
  },
  replay: checkCrcInput,
};
