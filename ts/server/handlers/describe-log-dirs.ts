// DescribeLogDirs v1-4 (Kafka 4.0: 1-4). v2 flexible; v3 top-level errorCode; v4 totalBytes /
// usableBytes of the volume (fs.statfs). topics null = every partition. Per partition: size of
// its segments, offsetLag 0 (no future replica moves), isFutureKey false. Every configured log
// dir is listed, even when it holds none of the requested partitions (as Kafka does).
import { statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { DescribeLogDirsRequest, DescribeLogDirsResponse } from '../../protocol/generated/messages.js';
import { defineHandler } from '../handler.js';

type Result = DescribeLogDirsResponse['results'][number];

export const describeLogDirs = defineHandler<DescribeLogDirsRequest, DescribeLogDirsResponse>({
  apiKey: ApiKey.DescribeLogDirs,
  minVersion: 1,
  maxVersion: 4,
  async handle(req, ctx) {
    const { broker } = ctx;
    const wanted = req.topics === null ? null : new Map(req.topics.map((t) => [t.topic, new Set(t.partitions)]));
    const results: Result[] = [];
    const byDir = new Map<string, Result>();
    for (const d of broker.config.logDirs) {
      const logDir = resolve(d);
      let totalBytes = -1, usableBytes = -1, errorCode = 0;
      try {
        const s = await statfs(logDir);
        totalBytes = s.blocks * s.bsize; usableBytes = s.bavail * s.bsize;
      } catch { errorCode = 56; /* KAFKA_STORAGE_ERROR: the directory is not readable */ }
      const r: Result = { errorCode, logDir, topics: [], totalBytes, usableBytes };
      results.push(r); byDir.set(logDir, r);
    }
    const topics = new Map<string, Map<string, Result['topics'][number]>>();
    for (const t of broker.topics.list()) {
      const parts = wanted ? wanted.get(t.name) : null;
      if (wanted && !parts) continue;
      for (let p = 0; p < t.partitions; p++) {
        if (parts && !parts.has(p)) continue;
        const log = broker.topics.log(t.name, p) as { dir: string; size?: number } | undefined;
        if (!log) continue;
        const dir = resolve(dirname(log.dir));
        if (!byDir.has(dir)) continue;
        const perDir = topics.get(dir) ?? new Map();
        topics.set(dir, perDir);
        let entry = perDir.get(t.name);
        if (!entry) { entry = { name: t.name, partitions: [] }; perDir.set(t.name, entry); byDir.get(dir)!.topics.push(entry); }
        entry.partitions.push({ partitionIndex: p, partitionSize: log.size ?? 0, offsetLag: 0, isFutureKey: false });
      }
    }
    return { throttleTimeMs: 0, errorCode: 0, results };
  },
});
