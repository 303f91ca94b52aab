// Byte-level mutations shared by the TS fuzzers: flips, overwrites with boundary integers
// (sizes and lengths: 0, -1, 0x7fffffff...), truncation, duplication and garbage insertion.
// A list of mutations is an arbitrary, so fast-check shrinks a failure to the fewest edits.
import fc from 'fast-check';

export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'int32'; at: number; value: number }
  | { kind: 'int16'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'repeat'; at: number; len: number };

const INTERESTING32 = [0, 1, -1, 48, 49, 61, 127, 128, 255, 0x7fff, 0xffff, 0x7fffffff, -0x80000000, 0x10000, 1 << 20];
const INTERESTING16 = [0, 1, -1, 0x7fff, -0x8000, 2, 3, 4, 8, 9, 12, 17];

/** Positions are fractions (0..1) of the buffer length, so one list fits any input. */
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(1_000_000), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(1_000_000), value: fc.nat(255) }),
  fc.record({ kind: fc.constant('int32' as const), at: fc.nat(1_000_000), value: fc.oneof(fc.constantFrom(...INTERESTING32), fc.integer({ min: -0x80000000, max: 0x7fffffff })) }),
  fc.record({ kind: fc.constant('int16' as const), at: fc.nat(1_000_000), value: fc.constantFrom(...INTERESTING16) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(1_000_000) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(1_000_000), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(1_000_000), len: fc.integer({ min: 1, max: 64 }) }),
);

export const mutationsArb = fc.array(mutationArb, { minLength: 0, maxLength: 4 });

export function applyMutations(input: Uint8Array, muts: readonly Mutation[]): Buffer {
  let b = Buffer.from(input);
  for (const m of muts) {
    const at = b.length === 0 ? 0 : Math.floor((m.at / 1_000_001) * b.length);
    switch (m.kind) {
      case 'flip': if (b.length) b[at] ^= 1 << m.bit; break;
      case 'byte': if (b.length) b[at] = m.value; break;
      case 'int32': if (at + 4 <= b.length) b.writeInt32BE(m.value, at); break;
      case 'int16': if (at + 2 <= b.length) b.writeInt16BE(m.value, at); break;
      case 'truncate': b = b.subarray(0, at); break;
      case 'insert': b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]); break;
      case 'repeat': b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + m.len), b.subarray(at)]); break;
    }
  }
  return b;
}
