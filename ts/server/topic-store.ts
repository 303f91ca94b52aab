// Where the topic registry persists what the partition directories cannot say: each topic's
// partition count, replication factor and config overrides. Behind `TopicStore` so the cluster
// issue can move it onto ZooKeeper (/brokers/topics/<t>, /config/topics/<t>).
//
// File `samsa-topics.json` in the FIRST log dir, rewritten whole on every change (written to
// `.tmp`, fsynced, renamed, directory fsynced):
//   {"version":1,"topics":[{"name":"orders","topicId":"<uuid>","partitions":3,
//     "replicationFactor":1,"configs":{"retention.ms":"60000"},"deleting":false}]}
// `deleting: true` marks a deletion in progress: on load the registry finishes it (removes any
// partition directory left) instead of resurrecting the topic from its directories.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../storage/checkpoint-file.js';

export const TOPICS_FILE = 'samsa-topics.json';

export interface TopicRecord {
  name: string;
  topicId: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
  deleting?: boolean;
}

export interface TopicStore {
  load(): Promise<TopicRecord[]>;
  save(records: readonly TopicRecord[]): Promise<void>;
}

export class FileTopicStore implements TopicStore {
  readonly path: string;
  constructor(logDir: string) { this.path = join(logDir, TOPICS_FILE); }

  async load(): Promise<TopicRecord[]> {
    let text: string;
    try { text = await readFile(this.path, 'utf8'); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const fail = (why: string): never => {
      throw new Error(`${this.path} is malformed (${why}): restore it from a backup or fix it by hand; ` +
        'deleting it makes the broker re-adopt topics from their partition directories with default configs');
    };
    let j: { version?: unknown; topics?: unknown };
    try { j = JSON.parse(text); } catch (e) { return fail((e as Error).message); }
    if (j.version !== 1 || !Array.isArray(j.topics)) fail('expected {"version":1,"topics":[...]}');
    const out: TopicRecord[] = [];
    for (const t of j.topics as Record<string, unknown>[]) {
      if (typeof t.name !== 'string' || typeof t.topicId !== 'string' || !Number.isInteger(t.partitions) ||
        !Number.isInteger(t.replicationFactor) || typeof t.configs !== 'object' || t.configs === null) {
        fail(`bad topic entry ${JSON.stringify(t)}`);
      }
      out.push({
        name: t.name as string, topicId: t.topicId as string, partitions: t.partitions as number,
        replicationFactor: t.replicationFactor as number, configs: { ...(t.configs as Record<string, string>) },
        ...(t.deleting === true ? { deleting: true } : {}),
      });
    }
    return out;
  }

  async save(records: readonly TopicRecord[]): Promise<void> {
    await writeFileAtomic(this.path, JSON.stringify({ version: 1, topics: records }, null, 1) + '\n');
  }
}

/** In-memory store for tests and embedded brokers without persistence. */
export class MemoryTopicStore implements TopicStore {
  records: TopicRecord[] = [];
  async load(): Promise<TopicRecord[]> { return structuredClone(this.records); }
  async save(records: readonly TopicRecord[]): Promise<void> { this.records = structuredClone([...records]); }
}
