import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SeededRandom } from './seeded-random.js';

test('the same seed gives the same sequence; another seed a different one', () => {
  const a = new SeededRandom(42);
  const b = new SeededRandom(42);
  const c = new SeededRandom(43);
  const seqA = Array.from({ length: 20 }, () => a.nextUint32());
  assert.equal(Array.from({ length: 20 }, () => b.nextUint32()), seqA);
  assert.not.equal(Array.from({ length: 20 }, () => c.nextUint32()), seqA);
  assert.is(new SeededRandom(7).bytes(33).toString('hex'), new SeededRandom(7).bytes(33).toString('hex'));
});

test('int stays in [min, max] and reaches both ends; text avoids excluded characters', () => {
  const r = new SeededRandom(1);
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const v = r.int(3, 9);
    assert.ok(v >= 3 && v <= 9, `${v}`);
    seen.add(v);
  }
  assert.equal([...seen].sort(), [3, 4, 5, 6, 7, 8, 9]);
  const t = r.text(5000, ':=,');
  assert.is(t.length, 5000);
  assert.not.match(t, /[:=,\s]/);
  assert.is(r.bytes(0).length, 0);
  assert.is(r.bytes(7).length, 7);
});

test.run();
