// Reads partitions of one topic directly with Fetch (no consumer group), for `samsa consume`
// without --group. Each round sends one Fetch per leader for all partitions it leads and yields
// the records of that round (possibly none, after the broker's maxWait), so the caller can stop
// after N records or after an idle time. Records below the requested offset (a fetch returns
// whole batches) are skipped; order is per partition, in offset order.
import type { Consumer } from '@platformatic/kafka';
import { errorName } from '../../protocol/error-codes.js';
import { ClientCommandError, hintFor } from './client-error.js';
import type { ConsumedRecord } from './record-format.js';

const LOG_APPEND_TIME = 0x08;
const CONTROL_BATCH = 0x20;

export interface PartitionReaderOptions {
  topic: string;
  topicId: string;
  /** partition → leader broker id */
  leaders: Map<number, number>;
  /** partition → first offset to return */
  start: Map<number, number>;
  maxWaitMs: number;
}

export async function* readPartitions(consumer: Consumer, o: PartitionReaderOptions): AsyncGenerator<ConsumedRecord[]> {
  const next = new Map(o.start);
  const byLeader = new Map<number, number[]>();
  for (const p of next.keys()) {
    const leader = o.leaders.get(p) ?? -1;
    byLeader.set(leader, [...(byLeader.get(leader) ?? []), p]);
  }
  for (;;) {
    const round: ConsumedRecord[] = [];
    for (const [leader, partitions] of byLeader) {
      const response = await consumer.fetch({
        node: leader, maxWaitTime: o.maxWaitMs, minBytes: 1, maxBytes: 8 << 20,
        topics: [{
          topicId: o.topicId,
          partitions: partitions.map((partition) => ({ partition, currentLeaderEpoch: -1, lastFetchedEpoch: -1, fetchOffset: BigInt(next.get(partition)!), partitionMaxBytes: 1 << 20 })),
        }],
      });
      for (const t of response.responses) {
        for (const part of t.partitions) {
          if (part.errorCode !== 0) {
            const name = errorName(part.errorCode);
            const hint = hintFor(name);
            throw new ClientCommandError(`fetch ${o.topic}-${part.partitionIndex} at offset ${next.get(part.partitionIndex)} failed: ${name}${hint ? `; ${hint}` : ''}`);
          }
          for (const batch of part.records ?? []) {
            const logAppendTime = (batch.attributes & LOG_APPEND_TIME) !== 0;
            if ((batch.attributes & CONTROL_BATCH) !== 0) {
              // Transaction markers are not messages: step over them.
              next.set(part.partitionIndex, Math.max(next.get(part.partitionIndex)!, Number(batch.firstOffset) + batch.lastOffsetDelta + 1));
              continue;
            }
            for (const r of batch.records) {
              const offset = Number(batch.firstOffset) + r.offsetDelta;
              if (offset < next.get(part.partitionIndex)!) continue;
              round.push({
                partition: part.partitionIndex, offset, logAppendTime,
                timestamp: logAppendTime ? Number(batch.maxTimestamp) : Number(batch.firstTimestamp + r.timestampDelta),
                key: r.key, value: r.value,
                headers: r.headers.map(([k, v]) => [k === null ? '' : k.toString('utf8'), v]),
              });
              next.set(part.partitionIndex, offset + 1);
            }
          }
        }
      }
    }
    yield round;
  }
}
