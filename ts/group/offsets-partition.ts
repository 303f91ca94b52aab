// Which partition of __consumer_offsets owns a group: abs(groupId.hashCode()) % partitions, with
// Java's String.hashCode (s[0]*31^(n-1) + ... + s[n-1], int32 overflow, over UTF-16 code units)
// and Kafka's Utils.abs (Integer.MIN_VALUE maps to 0, not to itself). Kafka's own tools compute
// the same partition, so a group's records stay where Kafka would look for them.
export const OFFSETS_TOPIC = '__consumer_offsets';

export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Kafka's Utils.abs: like Math.abs, but Integer.MIN_VALUE → 0. */
export function kafkaAbs(n: number): number {
  return n === -2147483648 ? 0 : Math.abs(n);
}

export function offsetsPartitionFor(groupId: string, partitions: number): number {
  return kafkaAbs(javaStringHashCode(groupId)) % partitions;
}
