// `samsa topics describe` output, in kafka-topics.sh --describe's layout (tab-separated):
//   Topic: orders	TopicId: kS3vMHv3Q5qy0Y3cU0C1aw	PartitionCount: 2	ReplicationFactor: 1	Configs: retention.ms=86400000
//   	Topic: orders	Partition: 0	Leader: 0	Replicas: 0	Isr: 0
//   	Topic: orders	Partition: 1	Leader: 0	Replicas: 0	Isr: 0
// Configs lists the settings whose source is not the built-in default (as Kafka's describe,
// which filters on ConfigEntry.isDefault), comma-separated, sorted by name. The topic id is
// printed as Kafka prints a Uuid: 22 characters of unpadded URL-safe base64.

export interface PartitionDescription {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

export interface TopicDescription {
  name: string;
  id: string;
  partitions: PartitionDescription[];
  configs: Array<[string, string]>;
}

/** `1a2b...`-style UUID text (with or without dashes) → Kafka's base64url form; else unchanged. */
export function kafkaTopicId(id: string): string {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return id;
  return Buffer.from(hex, 'hex').toString('base64url');
}

export function formatTopicDescription(t: TopicDescription): string {
  const rf = t.partitions[0]?.replicas.length ?? 0;
  const configs = [...t.configs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join(',');
  const lines = [`Topic: ${t.name}\tTopicId: ${kafkaTopicId(t.id)}\tPartitionCount: ${t.partitions.length}\tReplicationFactor: ${rf}\tConfigs: ${configs}`];
  for (const p of [...t.partitions].sort((a, b) => a.partition - b.partition)) {
    const leader = p.leader < 0 ? 'none' : String(p.leader);
    lines.push(`\tTopic: ${t.name}\tPartition: ${p.partition}\tLeader: ${leader}\tReplicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}`);
  }
  return lines.join('\n') + '\n';
}
