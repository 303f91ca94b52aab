// Deterministic pseudo-random data for tests (mulberry32: 32-bit state, good enough spread for
// payloads and choices, not for cryptography). A failing run prints its seed; pass the same
// seed (or SAMSA_TEST_SEED) to replay it exactly.

export class SeededRandom {
  #state: number;
  readonly seed: number;

  constructor(seed: number = Number(process.env.SAMSA_TEST_SEED ?? 0x5a45a) >>> 0) {
    this.seed = seed >>> 0;
    this.#state = this.seed;
  }

  /** Next uint32. */
  nextUint32(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + (this.nextUint32() % (max - min + 1));
  }

  bool(probability = 0.5): boolean {
    return this.nextUint32() / 0x1_0000_0000 < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  /** `length` random bytes (any byte value, including 0x00, '\n' and invalid UTF-8). */
  bytes(length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    let i = 0;
    for (; i + 4 <= length; i += 4) out.writeUInt32LE(this.nextUint32(), i);
    for (; i < length; i++) out[i] = this.nextUint32() & 0xff;
    return out;
  }

  /** Printable ASCII without the characters in `exclude` (for line-oriented tools such as kcat). */
  text(length: number, exclude = ''): string {
    let s = '';
    while (s.length < length) {
      const c = String.fromCharCode(this.int(0x21, 0x7e));
      if (!exclude.includes(c)) s += c;
    }
    return s;
  }
}
