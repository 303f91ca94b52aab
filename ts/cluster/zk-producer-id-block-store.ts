// ZkProducerIdBlockStore: producer-id blocks in ZooKeeper's /latest_producer_id_block (Kafka's
// ZooKeeper-mode znode, same JSON as the file store: {"version":1,"broker":N,"block_start":"N",
// "block_end":"N"}), so that the brokers of a cluster never hand out the same producer id (each
// broker's file store alone would: every broker starts at 0, and two idempotent producers sharing
// an id fail with OUT_OF_ORDER_SEQUENCE_NUMBER).
// The write is conditional on the znode version read just before (create when absent): a broker
// that lost the race gets COORDINATOR_LOAD_IN_PROGRESS (retriable; the client asks again and the
// next allocation reads the winner's block).
import { ErrorCode, KafkaError } from '../protocol/error-codes.js';
import type { BlockStore, ProducerIdBlock } from '../server/producer-id-manager.js';
import type { ZkError, ZkStore } from './zk-store.js';

export const PRODUCER_ID_BLOCK_PATH = '/latest_producer_id_block';

export class ZkProducerIdBlockStore implements BlockStore {
  readonly #zk: ZkStore;
  #version = -1; // -1: the znode did not exist at the last read

  constructor(zk: ZkStore) { this.#zk = zk; }

  async read(): Promise<ProducerIdBlock | null> {
    const d = await this.#zk.getData(PRODUCER_ID_BLOCK_PATH);
    this.#version = d ? d.version : -1;
    if (!d || d.data.length === 0) return null;
    const j = JSON.parse(d.data.toString('utf8')) as { broker?: unknown; block_start?: unknown; block_end?: unknown };
    return { brokerId: Number(j.broker), start: Number(j.block_start), end: Number(j.block_end) };
  }

  async write(b: ProducerIdBlock): Promise<void> {
    const data = Buffer.from(JSON.stringify({ version: 1, broker: b.brokerId, block_start: String(b.start), block_end: String(b.end) }));
    try {
      if (this.#version < 0) await this.#zk.create(PRODUCER_ID_BLOCK_PATH, data);
      else await this.#zk.setData(PRODUCER_ID_BLOCK_PATH, data, this.#version);
    } catch (e) {
      const code = (e as ZkError).code;
      if (code === 'ZK_BAD_VERSION' || code === 'ZK_NODE_EXISTS') {
        throw new KafkaError(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS!, 'another broker allocated a producer id block at the same time: retry');
      }
      throw e;
    }
  }
}
