// ProducerIdManager: hands out producer ids that are unique across broker restarts, and the
// (producerId, epoch) pairs InitProducerId answers with.
//
// Ids come in blocks of 1000, as Kafka's ZooKeeper-era `/latest_producer_id_block`: the block is
// persisted BEFORE any id from it is used, so a crash can waste the rest of a block but never
// reuse an id. The cluster issue moves the block onto ZooKeeper behind the same `BlockStore`.
//
// File `producer-id-block` in the first log dir (JSON, same fields as the znode; written to
// `.tmp`, fsynced, renamed):
//   {"version":1,"broker":0,"block_start":"1000","block_end":"1999"}
// block_start/block_end are inclusive and strings, as in Kafka (int64 kept exact in JSON).
//
// InitProducerId semantics (TransactionCoordinator.handleInitProducerId):
//  - no transactional id: always a fresh producer id with epoch 0. Kafka does this even when an
//    idempotent client (KIP-360, v3+) passes its current id/epoch: idempotent producers bump their
//    epoch themselves, client side.
//  - transactional id: first use → fresh id, epoch 0; re-init → same id, epoch + 1 (fencing the
//    old instance); when the epoch would reach Short.MAX_VALUE a fresh id is allocated with epoch
//    0. v3+ requests carrying a producer id/epoch that matches neither the current nor the
//    previous (id, epoch) are fenced: PRODUCER_FENCED (90) from v4, INVALID_PRODUCER_EPOCH (47) before.
//    The mapping lives in memory here; the transaction coordinator (later issue) persists it in
//    __transaction_state and also aborts an open transaction on re-init.
//
// Concurrency: one instance per broker; block allocations are serialised through one promise.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { KafkaError } from '../protocol/error-codes.js';

export const PRODUCER_ID_BLOCK_SIZE = 1000;
export const PRODUCER_ID_BLOCK_FILE = 'producer-id-block';
const SHORT_MAX = 32767;
const PRODUCER_FENCED = 90;
const INVALID_PRODUCER_EPOCH = 47;

export interface ProducerIdBlock { brokerId: number; start: number; end: number }

/** Where the latest block is kept: a file now, a znode with the cluster issue. */
export interface BlockStore {
  read(): Promise<ProducerIdBlock | null>;
  write(block: ProducerIdBlock): Promise<void>;
}

export class FileBlockStore implements BlockStore {
  readonly path: string;
  constructor(logDir: string) { this.path = join(logDir, PRODUCER_ID_BLOCK_FILE); }

  async read(): Promise<ProducerIdBlock | null> {
    let text: string;
    try { text = await fsp.readFile(this.path, 'utf8'); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    let j: { version?: unknown; broker?: unknown; block_start?: unknown; block_end?: unknown };
    try { j = JSON.parse(text); } catch { j = {}; }
    const start = Number(j.block_start), end = Number(j.block_end);
    if (j.version !== 1 || !Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) {
      throw new Error(`${this.path} is malformed (expected {"version":1,"broker":N,"block_start":"N","block_end":"N"}): ` +
        'restore it, or delete it only if no producer id from this broker is in use (ids could repeat)');
    }
    return { brokerId: Number(j.broker), start, end };
  }

  async write(b: ProducerIdBlock): Promise<void> {
    const tmp = this.path + '.tmp';
    const fh = await fsp.open(tmp, 'w');
    try {
      await fh.writeFile(JSON.stringify({ version: 1, broker: b.brokerId, block_start: String(b.start), block_end: String(b.end) }));
      await fh.sync();
    } finally { await fh.close(); }
    await fsp.rename(tmp, this.path);
  }
}

export interface InitProducerIdInput {
  transactionalId: string | null;
  /** -1 when the client has none. */
  producerId: number;
  producerEpoch: number;
  apiVersion: number;
}

interface TxnIdState { producerId: number; epoch: number; lastProducerId: number; lastEpoch: number }

export class ProducerIdManager {
  readonly #store: BlockStore;
  readonly #brokerId: number;
  #next = 0;
  #end = -1; // inclusive end of the current block; next > end means "need a block"
  #pending: Promise<void> | null = null;
  readonly #txnIds = new Map<string, TxnIdState>();

  constructor(store: BlockStore, brokerId: number) {
    this.#store = store;
    this.#brokerId = brokerId;
  }

  /** A producer id never handed out before by this broker's store. */
  async generateProducerId(): Promise<number> {
    while (this.#next > this.#end) {
      this.#pending ??= this.#allocateBlock().finally(() => { this.#pending = null; });
      await this.#pending;
    }
    return this.#next++;
  }

  async #allocateBlock(): Promise<void> {
    const latest = await this.#store.read();
    const start = latest ? latest.end + 1 : 0;
    const block = { brokerId: this.#brokerId, start, end: start + PRODUCER_ID_BLOCK_SIZE - 1 };
    await this.#store.write(block);
    this.#next = block.start;
    this.#end = block.end;
  }

  /** InitProducerId's (producerId, epoch); throws KafkaError when the caller is fenced. */
  async initProducerId(req: InitProducerIdInput): Promise<{ producerId: number; producerEpoch: number }> {
    if (req.transactionalId === null || req.transactionalId === '') {
      return { producerId: await this.generateProducerId(), producerEpoch: 0 };
    }
    const cur = this.#txnIds.get(req.transactionalId);
    if (!cur) {
      const producerId = await this.generateProducerId();
      this.#txnIds.set(req.transactionalId, { producerId, epoch: 0, lastProducerId: -1, lastEpoch: -1 });
      return { producerId, producerEpoch: 0 };
    }
    if (req.producerId >= 0) {
      const matchesCurrent = req.producerId === cur.producerId && req.producerEpoch === cur.epoch;
      const matchesLast = req.producerId === cur.lastProducerId && req.producerEpoch === cur.lastEpoch;
      if (!matchesCurrent && !matchesLast) {
        throw new KafkaError(req.apiVersion >= 4 ? PRODUCER_FENCED : INVALID_PRODUCER_EPOCH,
          `transactional id '${req.transactionalId}' is now producer ${cur.producerId} epoch ${cur.epoch}; ` +
          `producer ${req.producerId} epoch ${req.producerEpoch} was fenced by a newer instance`);
      }
      // A retry of the re-init that already bumped the epoch: answer the same pair again.
      if (matchesLast) return { producerId: cur.producerId, producerEpoch: cur.epoch };
    }
    const last = { lastProducerId: cur.producerId, lastEpoch: cur.epoch };
    if (cur.epoch + 1 >= SHORT_MAX) {
      const producerId = await this.generateProducerId();
      this.#txnIds.set(req.transactionalId, { producerId, epoch: 0, ...last });
      return { producerId, producerEpoch: 0 };
    }
    this.#txnIds.set(req.transactionalId, { producerId: cur.producerId, epoch: cur.epoch + 1, ...last });
    return { producerId: cur.producerId, producerEpoch: cur.epoch + 1 };
  }
}
