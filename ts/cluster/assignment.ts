// Replica assignment for new topics and partitions: Kafka's rack-unaware round robin
// (AdminUtils.assignReplicasToBrokersRackUnaware). Brokers sorted by id; a random start index
// spreads the first replicas; the other replicas follow the first at a shift that grows by one
// after every full round of brokers, so followers spread too.
//   replica j of partition p = brokers[(first + 1 + (shift + j) % (n - 1)) % n]
//   5 brokers, 10 partitions, RF 3, start 0, shift 0: p0 [0,1,2] p1 [1,2,3] ... p5 [0,2,3] ...
import { ErrorCode, KafkaError } from '../protocol/error-codes.js';

export function assignReplicas(brokerIds: readonly number[], partitions: number, replicationFactor: number,
  opts: { startIndex?: number; shift?: number; firstPartition?: number } = {}): number[][] {
  const brokers = [...brokerIds].sort((a, b) => a - b);
  const n = brokers.length;
  if (replicationFactor <= 0 || replicationFactor > n) {
    throw new KafkaError(ErrorCode.INVALID_REPLICATION_FACTOR!,
      `replication factor ${replicationFactor} is larger than the number of live brokers (${n}): start more brokers or lower it`);
  }
  const start = opts.startIndex ?? Math.floor(Math.random() * n);
  let shift = opts.shift ?? Math.floor(Math.random() * n);
  let current = opts.firstPartition ?? 0;
  const out: number[][] = [];
  for (let p = 0; p < partitions; p++) {
    if (current > 0 && current % n === 0) shift++;
    const first = (current + start) % n;
    const replicas = [brokers[first]!];
    for (let j = 0; j < replicationFactor - 1; j++) replicas.push(brokers[(first + 1 + ((shift + j) % (n - 1))) % n]!);
    out.push(replicas);
    current++;
  }
  return out;
}
