// Reads partitions back with kafkajs' own Fetch encoder/decoder but without a consumer group:
// kafkajs has no assign(), so this drives its internal Cluster/Broker objects directly (the
// same objects its consumer uses). One Fetch per leader per round, all partitions at once,
// until every partition reaches its target end offset (the high watermark seen on the first
// response, unless given). Records before the requested offset (a batch can start earlier) are
// dropped, as kafkajs' consumer does.
import type { Kafka } from 'kafkajs';

export interface FetchedMessage {
  partition: number;
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  /** kafkajs' shape: a repeated header key becomes an array of its values, in order. */
  headers: Record<string, Buffer | Buffer[]>;
}

export interface KafkajsFetchOptions {
  partitions: number[];
  /** First offset per partition (default 0). */
  fromOffsets?: Map<number, number>;
  /** Stop at this offset (exclusive) per partition; default: the first high watermark seen. */
  untilOffsets?: Map<number, number>;
  maxBytes?: number;
  partitionMaxBytes?: number;
  maxWaitTime?: number;
  /** Give up after this many milliseconds. Default 60 s. */
  timeout?: number;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function privateCluster(kafka: Kafka): any {
  const sym = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  if (!sym) throw new Error('kafkajs internals changed: private:Kafka:createCluster not found (kafkajs 2.2.x expected)');
  return (kafka as any)[sym]({ allowAutoTopicCreation: false });
}

export async function fetchWithKafkajs(kafka: Kafka, topic: string, options: KafkajsFetchOptions): Promise<Map<number, FetchedMessage[]>> {
  const cluster = privateCluster(kafka);
  const out = new Map<number, FetchedMessage[]>(options.partitions.map((p) => [p, []]));
  const next = new Map<number, number>(options.partitions.map((p) => [p, options.fromOffsets?.get(p) ?? 0]));
  const until = new Map<number, number>(options.untilOffsets ?? []);
  const deadline = Date.now() + (options.timeout ?? 60_000);
  await cluster.connect();
  try {
    await cluster.addTargetTopic(topic);
    const byLeader: Record<string, number[]> = cluster.findLeaderForPartitions(topic, options.partitions);
    const done = (p: number) => until.has(p) && next.get(p)! >= until.get(p)!;
    while (!options.partitions.every(done)) {
      if (Date.now() > deadline) {
        const state = options.partitions.map((p) => `${p}: at ${next.get(p)}, until ${until.get(p) ?? '?'}`).join('; ');
        throw new Error(`kafkajs fetch of ${topic} timed out (${state})`);
      }
      for (const [nodeId, partitions] of Object.entries(byLeader)) {
        const wanted = partitions.filter((p) => !done(p));
        if (wanted.length === 0) continue;
        const broker = await cluster.findBroker({ nodeId });
        const response = await broker.fetch({
          replicaId: -1, isolationLevel: 1, maxWaitTime: options.maxWaitTime ?? 100, minBytes: 1,
          maxBytes: options.maxBytes ?? 4 << 20,
          topics: [{ topic, partitions: wanted.map((p) => ({ partition: p, fetchOffset: String(next.get(p)), maxBytes: options.partitionMaxBytes ?? 1 << 20 })) }],
        });
        for (const t of response.responses) {
          for (const part of t.partitions) {
            if (part.errorCode !== 0) throw Object.assign(new Error(`fetch ${topic}-${part.partition} error code ${part.errorCode}`), { errorCode: part.errorCode });
            if (!until.has(part.partition)) until.set(part.partition, Number(part.highWatermark));
            const from = next.get(part.partition)!;
            for (const m of part.messages) {
              const offset = Number(m.offset);
              if (offset < from || offset >= until.get(part.partition)!) continue;
              out.get(part.partition)!.push({ partition: part.partition, offset, timestamp: Number(m.timestamp), key: m.key, value: m.value, headers: m.headers });
              next.set(part.partition, offset + 1);
            }
          }
        }
      }
    }
    return out;
  } finally {
    await cluster.disconnect();
  }
}
