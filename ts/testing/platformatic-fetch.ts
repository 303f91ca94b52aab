// Reads partitions back with @platformatic/kafka's Consumer.fetch (its own Fetch codec, flexible
// versions, topic ids from v13) without joining a group: one Fetch per round for all partitions,
// until each partition reaches its target end (the first high watermark seen, unless given).
import type { Consumer } from '@platformatic/kafka';

export interface PlatformaticMessage {
  partition: number;
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  /** In wire order; repeated keys kept. */
  headers: Array<[string, Buffer | null]>;
}

export interface PlatformaticFetchOptions {
  partitions: number[];
  fromOffsets?: Map<number, number>;
  untilOffsets?: Map<number, number>;
  partitionMaxBytes?: number;
  timeout?: number;
}

export async function fetchWithPlatformatic(consumer: Consumer, topic: string, options: PlatformaticFetchOptions): Promise<Map<number, PlatformaticMessage[]>> {
  const md = await consumer.metadata({ topics: [topic], forceUpdate: true });
  const t = md.topics.get(topic);
  if (!t) throw new Error(`platformatic metadata has no topic ${topic}`);
  const out = new Map<number, PlatformaticMessage[]>(options.partitions.map((p) => [p, []]));
  const next = new Map<number, number>(options.partitions.map((p) => [p, options.fromOffsets?.get(p) ?? 0]));
  const until = new Map<number, number>(options.untilOffsets ?? []);
  const done = (p: number) => until.has(p) && next.get(p)! >= until.get(p)!;
  const deadline = Date.now() + (options.timeout ?? 60_000);
  const leader = t.partitions[options.partitions[0]].leader;
  while (!options.partitions.every(done)) {
    if (Date.now() > deadline) throw new Error(`platformatic fetch of ${topic} timed out at ${[...next].join(', ')}`);
    const wanted = options.partitions.filter((p) => !done(p));
    const response = await consumer.fetch({
      node: leader, maxWaitTime: 100, minBytes: 1, maxBytes: 4 << 20,
      topics: [{ topicId: t.id, partitions: wanted.map((p) => ({ partition: p, currentLeaderEpoch: -1, lastFetchedEpoch: -1, fetchOffset: BigInt(next.get(p)!), partitionMaxBytes: options.partitionMaxBytes ?? 1 << 20 })) }],
    });
    for (const topicResponse of response.responses) {
      for (const part of topicResponse.partitions) {
        if (part.errorCode !== 0) throw Object.assign(new Error(`fetch ${topic}-${part.partitionIndex} error code ${part.errorCode}`), { errorCode: part.errorCode });
        if (!until.has(part.partitionIndex)) until.set(part.partitionIndex, Number(part.highWatermark));
        const from = next.get(part.partitionIndex)!;
        for (const batch of part.records ?? []) {
          for (const r of batch.records) {
            const offset = Number(batch.firstOffset) + r.offsetDelta;
            if (offset < from || offset >= until.get(part.partitionIndex)!) continue;
            out.get(part.partitionIndex)!.push({
              partition: part.partitionIndex, offset, timestamp: Number(batch.firstTimestamp + r.timestampDelta),
              key: r.key, value: r.value, headers: r.headers.map(([k, v]) => [k === null ? '' : k.toString('utf8'), v]),
            });
            next.set(part.partitionIndex, offset + 1);
          }
        }
      }
    }
  }
  return out;
}
