// Protocol target, for every api key and version in REQUEST_SCHEMAS:
//   1. encode → decode round trip of a generated message (protocol/testing/schema-arbitrary)
//      must give the same value back;
//   2. that frame, mutated (flips, boundary integers over lengths and counts, truncation,
//      garbage, another version in the header), must decode or throw ProtocolError: no other
//      exception, no hang (a decode over 1 s fails), no allocation out of proportion to the
//      input (process.memoryUsage().arrayBuffers grows by at most 64 KiB + 4 x input while the
//      result is alive).
// Corpus files (fuzz/corpus/protocol) are request payloads without the size prefix: captured
// real-client frames and regressions; replay() decodes each and its 64 single-byte variants.
import fc from 'fast-check';
import { decodeRequest, encodeRequest } from '../../ts/protocol/messages-io.js';
import { ProtocolError } from '../../ts/protocol/protocol-error.js';
import { REQUEST_SCHEMAS } from '../../ts/protocol/generated/schemas.js';
import { messageArbitrary } from '../../ts/protocol/testing/schema-arbitrary.js';
import type { MessageSchema } from '../../ts/protocol/schema-types.js';
import { readCorpus } from './corpus.js';
import { applyMutations, mutationsArb } from './mutate.js';
import { timedProperty, type TsFuzzTarget } from './target.js';
import { isDeepStrictEqual } from 'node:util';

const MAX_DECODE_MS = 1000;

/** Decodes `payload`; throws unless it decodes or fails with ProtocolError within bounds. */
export function checkDecode(payload: Buffer): unknown {
  const before = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  let result: unknown;
  try {
    result = decodeRequest(payload);
  } catch (err) {
    if (!(err instanceof ProtocolError)) {
      throw new Error(`decode threw ${(err as Error)?.name}: ${(err as Error)?.message} (not ProtocolError) for ${payload.length}-byte frame ${payload.subarray(0, 48).toString('hex')}`);
    }
  }
  const ms = performance.now() - t0;
  if (ms > MAX_DECODE_MS) throw new Error(`decode took ${ms.toFixed(0)} ms for a ${payload.length}-byte frame`);
  const grew = process.memoryUsage().arrayBuffers - before;
  if (grew > 65536 + 4 * payload.length) throw new Error(`decode of a ${payload.length}-byte frame allocated ${grew} bytes of ArrayBuffers`);
  return result;
}

const schemas: MessageSchema[] = Object.values(REQUEST_SCHEMAS).filter((s): s is MessageSchema => s !== undefined);
const versionArb = fc.constantFrom(...schemas.flatMap((s) => {
  const out: [MessageSchema, number][] = [];
  for (let v = s.versions[0]; v <= s.versions[1]; v++) out.push([s, v]);
  return out;
}));
const caseArb = versionArb.chain(([schema, version]) => fc.record({
  schema: fc.constant(schema), version: fc.constant(version), value: messageArbitrary(schema, version),
  muts: mutationsArb, newVersion: fc.option(fc.integer({ min: -1, max: 20 }), { freq: 5 }),
}));

function frameOf(c: { schema: MessageSchema; version: number; value: Record<string, unknown> }): Buffer {
  return encodeRequest(c.schema.apiKey, c.version, 7, 'fuzz', c.value).subarray(4);
}

interface Case { schema: MessageSchema; version: number; value: Record<string, unknown>; muts: Parameters<typeof applyMutations>[1]; newVersion: number | null }

function mutated(c: Case): Buffer {
  const m = applyMutations(frameOf(c), c.muts);
  if (c.newVersion !== null && m.length >= 4) m.writeInt16BE(c.newVersion, 2);
  return m;
}

export function replayProtocolInput(input: Buffer): void {
  checkDecode(input);
  for (let i = 0; i < 64; i++) {
    const b = Buffer.from(input);
    if (b.length === 0) return;
    const at = (i * 7919) % b.length;
    b[at] = i * 37;
    checkDecode(b);
    checkDecode(b.subarray(0, at));
  }
}

export const protocolFuzz: TsFuzzTarget = {
  name: 'protocol',
  corpus: 'protocol',
  async run(budget) {
    // Real-client frames first, then generated messages of every api/version.
    for (const f of readCorpus('protocol')) replayProtocolInput(f.bytes);
    return timedProperty(caseArb, (c) => {
      const frame = frameOf(c);
      const back = checkDecode(frame) as { body: unknown } | undefined;
      if (!back || !isDeepStrictEqual(back.body, c.value)) {
        throw new Error(`round trip of ${c.schema.name} v${c.version} changed the value`);
      }
      checkDecode(mutated(c));
    }, budget, (c) => mutated(c));
  },
  replay: replayProtocolInput,
};
