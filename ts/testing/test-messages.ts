// Seeded test messages and the expectations derived from them: binary keys and values (some
// null, some empty), headers with repeated keys, a partition per message. Expectations are per
// partition, in production order, which is what Kafka guarantees to a reader.
import { SeededRandom } from './seeded-random.js';

export interface TestMessage {
  /** Index in production order. */
  i: number;
  partition: number;
  key: Buffer | null;
  value: Buffer | null;
  /** In order; a key may repeat. */
  headers: Array<[string, Buffer]>;
}

export interface MessageOptions {
  partitions: number;
  maxValueBytes?: number;
  /** Probability of a null key / null value. */
  nullKeys?: number;
  nullValues?: number;
  headers?: boolean;
  /** Only printable ASCII without '\n' and ':' in keys and values (for line-oriented tools). */
  text?: boolean;
  /** Values built from a few repeated words, so that every codec shrinks every batch (some
   * clients, kafka-python among them, send a batch uncompressed when compressing gains nothing). */
  compressible?: boolean;
}

const HEADER_KEYS = ['trace-id', 'content-type', 'dup', 'ü-ñicode'];
const WORDS = ['order', 'created', 'paid', 'shipped', 'customer', 'amount', '42', 'EUR'];

function words(rng: SeededRandom, n: number): Buffer {
  let s = '';
  while (s.length < n) s += rng.pick(WORDS) + ' ';
  return Buffer.from(s.slice(0, n));
}

export function makeMessages(rng: SeededRandom, count: number, o: MessageOptions): TestMessage[] {
  const out: TestMessage[] = [];
  const maxValue = o.maxValueBytes ?? 300;
  for (let i = 0; i < count; i++) {
    const bytes = (n: number) => (o.compressible ? words(rng, n) : o.text ? Buffer.from(`${i}-` + rng.text(n, '\n:')) : rng.bytes(n));
    const key = rng.bool(o.nullKeys ?? 0.05) ? null : bytes(rng.int(0, 32));
    const value = rng.bool(o.nullValues ?? 0.02) ? null : bytes(rng.int(0, maxValue));
    const headers: Array<[string, Buffer]> = [];
    if (o.headers !== false) {
      const n = rng.int(0, 3);
      for (let h = 0; h < n; h++) headers.push([rng.pick(HEADER_KEYS), rng.bytes(rng.int(0, 16))]);
      if (rng.bool(0.2)) headers.push(['dup', Buffer.from('a')], ['dup', Buffer.from('b')]);
    }
    out.push({ i, partition: rng.int(0, o.partitions - 1), key, value, headers });
  }
  return out;
}

export function byPartition<T extends { partition: number }>(messages: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const m of messages) {
    let list = out.get(m.partition);
    if (!list) out.set(m.partition, (list = []));
    list.push(m);
  }
  return out;
}

/** kafkajs' header shape: one entry per key, a repeated key's values as an array in order. */
export function kafkajsHeaders(headers: Array<[string, Buffer]>): Record<string, Buffer | Buffer[]> {
  const out: Record<string, Buffer | Buffer[]> = {};
  for (const [k, v] of headers) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** Hex of a possibly-null buffer, for readable assertion diffs. */
export const hex = (b: Buffer | Uint8Array | null | undefined): string | null => (b == null ? null : Buffer.from(b).toString('hex'));

export const b64 = (b: Buffer | null): string | null => (b === null ? null : b.toString('base64'));
export const unb64 = (s: string | null): Buffer | null => (s === null ? null : Buffer.from(s, 'base64'));

/** A compact, comparable form of a message for assert.equal diffs. */
export function comparable(m: { key: Buffer | null; value: Buffer | null; headers: Array<[string, Buffer | null]> }): string {
  return JSON.stringify([hex(m.key), hex(m.value), m.headers.map(([k, v]) => [k, hex(v)])]);
}
