// Kafka's ZooKeeper-mode znode layout and JSON payloads (KAFKA-FACTS §3; Kafka ZkData.scala), so
// ZooKeeper-era tools (zkCli, kafka-topics --zookeeper readers) can read a Samsa cluster.
//
//   /brokers/ids/<id>                        EPHEMERAL  {"version":5,"host","port","endpoints":["PLAINTEXT://h:p"],
//                                                        "listener_security_protocol_map":{...},"rack","jmx_port":-1,
//                                                        "timestamp":"<ms>","features":{}}
//   /controller                              EPHEMERAL  {"version":2,"brokerid":N,"timestamp":"<ms>","kraftControllerEpoch":-1}
//   /controller_epoch                                    "<int>" (bumped by every election)
//   /brokers/topics/<t>                                  {"version":3,"topic_id":"<base64>","partitions":{"0":[1,2,3]},
//                                                        "adding_replicas":{},"removing_replicas":{}}
//   /brokers/topics/<t>/partitions/<p>/state             {"version":1,"leader":1,"leader_epoch":0,"controller_epoch":1,"isr":[1,2,3]}
//   /config/topics/<t>                                   {"version":1,"config":{"retention.ms":"60000"}}
//   /admin/delete_topics/<t>                             (empty) deletion requested / done marker
//   /cluster/id                                          {"version":"1","id":"<cluster id>"}
//   /latest_producer_id_block                            {"version":1,"broker":N,"block_start":"0","block_end":"999"}
//
// `partitionEpoch` below is the state znode's zkVersion: every state change is a setData that
// expects it (Kafka's LeaderAndIsr.partitionEpoch), so a writer holding a stale view loses.

export const PATHS = {
  brokerIds: '/brokers/ids',
  brokerTopics: '/brokers/topics',
  controller: '/controller',
  controllerEpoch: '/controller_epoch',
  configTopics: '/config/topics',
  deleteTopics: '/admin/delete_topics',
  clusterId: '/cluster/id',
  producerIdBlock: '/latest_producer_id_block',
  broker: (id: number) => `/brokers/ids/${id}`,
  topic: (t: string) => `/brokers/topics/${t}`,
  partitions: (t: string) => `/brokers/topics/${t}/partitions`,
  partition: (t: string, p: number) => `/brokers/topics/${t}/partitions/${p}`,
  partitionState: (t: string, p: number) => `/brokers/topics/${t}/partitions/${p}/state`,
  topicConfig: (t: string) => `/config/topics/${t}`,
  deleteTopic: (t: string) => `/admin/delete_topics/${t}`,
} as const;

/** Persistent parents created once per cluster (mkdirp is idempotent). */
export const PERSISTENT_PATHS = [
  PATHS.brokerIds, PATHS.brokerTopics, PATHS.configTopics, PATHS.deleteTopics, '/cluster', '/isr_change_notification',
];

export interface BrokerRegistration {
  id: number;
  host: string;
  port: number;
  rack: string | null;
  listener: string;
}

export interface PartitionState {
  leader: number;
  leaderEpoch: number;
  isr: number[];
  controllerEpoch: number;
  /** zkVersion of the state znode (-1 when not read from ZooKeeper). */
  partitionEpoch: number;
}

export interface TopicAssignment {
  topicId: string;
  /** partition index → replica broker ids (preferred leader first). */
  replicas: number[][];
}

const json = (b: Buffer | null | undefined): Record<string, unknown> => {
  if (!b || b.length === 0) return {};
  return JSON.parse(b.toString('utf8')) as Record<string, unknown>;
};

export function encodeBroker(r: BrokerRegistration, now = Date.now()): Buffer {
  return Buffer.from(JSON.stringify({
    version: 5, host: r.host, port: r.port, endpoints: [`${r.listener}://${r.host}:${r.port}`],
    listener_security_protocol_map: { [r.listener]: 'PLAINTEXT' }, rack: r.rack, jmx_port: -1,
    timestamp: String(now), features: {},
  }));
}

export function decodeBroker(id: number, data: Buffer): BrokerRegistration {
  const j = json(data);
  let host = typeof j.host === 'string' ? j.host : '';
  let port = typeof j.port === 'number' ? j.port : -1;
  let listener = 'PLAINTEXT';
  const ep = Array.isArray(j.endpoints) ? String(j.endpoints[0] ?? '') : '';
  const m = /^([^:]+):\/\/\[?([^\]]*?)\]?:(\d+)$/.exec(ep);
  if (m) { listener = m[1]!; host = m[2]!; port = Number(m[3]); }
  return { id, host, port, rack: typeof j.rack === 'string' ? j.rack : null, listener };
}

export function encodeController(brokerId: number, now = Date.now()): Buffer {
  return Buffer.from(JSON.stringify({ version: 2, brokerid: brokerId, timestamp: String(now), kraftControllerEpoch: -1 }));
}

export function decodeController(data: Buffer): number {
  const j = json(data);
  return typeof j.brokerid === 'number' ? j.brokerid : -1;
}

export function encodePartitionState(s: Omit<PartitionState, 'partitionEpoch'>): Buffer {
  return Buffer.from(JSON.stringify({
    version: 1, leader: s.leader, leader_epoch: s.leaderEpoch, controller_epoch: s.controllerEpoch, isr: s.isr,
  }));
}

export function decodePartitionState(data: Buffer, zkVersion: number): PartitionState {
  const j = json(data);
  return {
    leader: Number(j.leader ?? -1), leaderEpoch: Number(j.leader_epoch ?? 0),
    isr: Array.isArray(j.isr) ? j.isr.map(Number) : [], controllerEpoch: Number(j.controller_epoch ?? 0),
    partitionEpoch: zkVersion,
  };
}

export function encodeAssignment(a: TopicAssignment): Buffer {
  const partitions: Record<string, number[]> = {};
  a.replicas.forEach((r, p) => { partitions[String(p)] = r; });
  return Buffer.from(JSON.stringify({ version: 3, topic_id: a.topicId, partitions, adding_replicas: {}, removing_replicas: {} }));
}

export function decodeAssignment(data: Buffer): TopicAssignment {
  const j = json(data);
  const parts = (j.partitions ?? {}) as Record<string, number[]>;
  const replicas: number[][] = [];
  for (const [p, r] of Object.entries(parts)) replicas[Number(p)] = r.map(Number);
  for (let i = 0; i < replicas.length; i++) replicas[i] ??= [];
  return { topicId: typeof j.topic_id === 'string' ? j.topic_id : '', replicas };
}

export function encodeTopicConfig(configs: Record<string, string>): Buffer {
  return Buffer.from(JSON.stringify({ version: 1, config: configs }));
}

export function decodeTopicConfig(data: Buffer | null): Record<string, string> {
  const c = json(data).config;
  return c && typeof c === 'object' ? { ...(c as Record<string, string>) } : {};
}

export function encodeClusterId(id: string): Buffer {
  return Buffer.from(JSON.stringify({ version: '1', id }));
}

export function decodeClusterId(data: Buffer): string {
  const id = json(data).id;
  return typeof id === 'string' ? id : '';
}
