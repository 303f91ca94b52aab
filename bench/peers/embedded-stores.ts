// The stores a Node service would embed instead of Samsa's log, behind one small interface, each
// configured for the two durability levels compared (bench/peers/embedded-log.bench.ts):
//   pagecache: nothing forces data to disk per append (Samsa 'pagecache', SQLite WAL with
//              synchronous=OFF, LMDB noSync, LevelDB sync:false);
//   durable:   each append call is on disk before it resolves (Samsa 'fsync' with group commit,
//              SQLite WAL synchronous=FULL, LMDB synced commit, LevelDB sync:true).
// One append call writes one batch of records under consecutive integer keys (the log offset),
// as one transaction / write batch / v2 record batch. Reads walk every record in key order and
// touch each value's bytes (sum of lengths), so lazily decoded values are not free.
// Peers come from bench/package.json (cd bench && npm install); a missing one is skipped.
import { createRequire } from 'node:module';
import { openLog } from '../../ts/index.js';

export type Durability = 'pagecache' | 'durable';

export interface Store {
  append(firstKey: number, values: Buffer[]): Promise<void>;
  /** Reads every record in order; returns [count, total value bytes]. */
  readAll(): Promise<[number, number]>;
  close(): Promise<void>;
}

export interface StoreFactory { name: string; open(dir: string, d: Durability): Promise<Store> }

const requirePeer = createRequire(new URL('../package.json', import.meta.url));

export function loadPeer<T>(name: string): T | null {
  try {
    return requirePeer(name) as T;
  } catch {
    return null;
  }
}

const samsa: StoreFactory = {
  name: 'samsa openLog',
  async open(dir, d) {
    const log = await openLog(dir, { durability: d === 'durable' ? 'fsync' : 'pagecache', segmentBytes: 1 << 30 });
    return {
      async append(_first, values) { await log.append(values.map((value) => ({ value }))); },
      async readAll() {
        let n = 0;
        let bytes = 0;
        let next = log.logStartOffset;
        while (next < log.logEndOffset) {
          const recs = await log.read(next, { maxBytes: 1 << 20 });
          for (const r of recs) { n++; bytes += r.value ? r.value.length : 0; }
          next = recs[recs.length - 1]!.offset + 1;
        }
        return [n, bytes];
      },
      close: () => log.close(),
    };
  },
};

interface SqliteDb {
  pragma(s: string): unknown;
  exec(s: string): void;
  prepare(s: string): { run(...a: unknown[]): unknown; iterate(): Iterable<{ v: Buffer }> };
  transaction(fn: (first: number, values: Buffer[]) => void): (first: number, values: Buffer[]) => void;
  close(): void;
}

const sqlite: StoreFactory = {
  name: 'better-sqlite3 (WAL)',
  async open(dir, d) {
    const Database = loadPeer<new (file: string) => SqliteDb>('better-sqlite3');
    if (!Database) throw new Error('better-sqlite3 is not installed (cd bench && npm install)');
    const db = new Database(`${dir}/log.db`);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${d === 'durable' ? 'FULL' : 'OFF'}`);
    db.exec('CREATE TABLE log (id INTEGER PRIMARY KEY, v BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO log (id, v) VALUES (?, ?)');
    const tx = db.transaction((first: number, values: Buffer[]) => { for (let i = 0; i < values.length; i++) insert.run(first + i, values[i]); });
    return {
      async append(first, values) { tx(first, values); },
      async readAll() {
        let n = 0;
        let bytes = 0;
        for (const row of db.prepare('SELECT v FROM log ORDER BY id').iterate()) { n++; bytes += row.v.length; }
        return [n, bytes];
      },
      async close() { db.close(); },
    };
  },
};

interface LmdbDb {
  transactionSync(fn: () => void): void;
  putSync(k: number, v: Buffer): void;
  getRange(o: object): Iterable<{ key: number; value: Buffer }>;
  flushed: Promise<void>;
  close(): Promise<void>;
}

const lmdb: StoreFactory = {
  name: 'lmdb',
  async open(dir, d) {
    const mod = loadPeer<{ open(o: object): LmdbDb }>('lmdb');
    if (!mod) throw new Error('lmdb is not installed (cd bench && npm install)');
    // encoding 'binary' stores the Buffer as is; noSync skips the commit's fsync (pagecache).
    const db = mod.open({ path: `${dir}/lmdb`, encoding: 'binary', noSync: d !== 'durable', compression: false });
    return {
      async append(first, values) {
        db.transactionSync(() => { for (let i = 0; i < values.length; i++) db.putSync(first + i, values[i]!); });
      },
      async readAll() {
        let n = 0;
        let bytes = 0;
        for (const { value } of db.getRange({})) { n++; bytes += value.length; }
        return [n, bytes];
      },
      close: () => db.close(),
    };
  },
};

interface LevelDb {
  open(): Promise<void>;
  batch(ops: Array<{ type: 'put'; key: Buffer; value: Buffer }>, o: { sync: boolean }): Promise<void>;
  iterator(o: object): AsyncIterable<[Buffer, Buffer]> & { nextv(n: number): Promise<Array<[Buffer, Buffer]>>; close(): Promise<void> };
  close(): Promise<void>;
}

const level: StoreFactory = {
  name: 'classic-level',
  async open(dir, d) {
    const mod = loadPeer<{ ClassicLevel: new (p: string, o: object) => LevelDb }>('classic-level');
    if (!mod) throw new Error('classic-level is not installed (cd bench && npm install)');
    const db = new mod.ClassicLevel(`${dir}/level`, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await db.open();
    const key = (n: number) => { const k = Buffer.allocUnsafe(8); k.writeBigUInt64BE(BigInt(n)); return k; };
    return {
      async append(first, values) {
        await db.batch(values.map((value, i) => ({ type: 'put' as const, key: key(first + i), value })), { sync: d === 'durable' });
      },
      async readAll() {
        let n = 0;
        let bytes = 0;
        const it = db.iterator({});
        for (;;) {
          const entries = await it.nextv(1000);
          if (entries.length === 0) break;
          for (const [, v] of entries) { n++; bytes += v.length; }
        }
        await it.close();
        return [n, bytes];
      },
      close: () => db.close(),
    };
  },
};

export const STORES: readonly StoreFactory[] = [samsa, lmdb, sqlite, level];
