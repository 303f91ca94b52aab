// `samsa consume --topic T`: prints messages, one per line (format: client/record-format.ts),
// like kafka-console-consumer.sh. Exits after --max-messages, or when no new message arrived for
// --timeout-ms, or on SIGINT/SIGTERM; then prints `Processed a total of N messages` to stderr.
// Without --group the partitions are read directly with Fetch (no group, nothing committed):
// from the end (default), --from-beginning, --offset N (every chosen partition; it must lie in
// [log start, log end]) or --from-timestamp (ISO-8601 or epoch ms; the first offset whose
// timestamp is ≥ it, the log end when none). Partitions are read in one Fetch per round; output
// is in offset order per partition.
// With --group G the consumer joins the group, starts at the committed offsets (or, when none, the
// log start with --from-beginning and the log end otherwise) and commits the offsets after the
// last message printed before exiting; --partition, --offset and --from-timestamp need no group
// and are refused with one.
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
// The client library loads only when the command runs: `samsa start` and `--help` stay fast.
import type { Consumer } from '@platformatic/kafka';
import { CliUsageError } from '../cli-error.js';
import { addClientOptions, clientOptions, type ClientCliOptions } from '../client/client-options.js';
import { ClientCommandError, runClientAction } from '../client/client-error.js';
import { intAtLeast, parseSeparator } from '../client/arg-parsers.js';
import { formatRecord, type RecordFormatOptions } from '../client/record-format.js';
import { readPartitions } from '../client/partition-reader.js';
import { consumeWithGroup } from '../client/group-consume.js';

export interface ConsumeOptions extends ClientCliOptions, RecordFormatOptions {
  topic: string;
  partition?: number;
  fromBeginning?: boolean;
  offset?: number;
  fromTimestamp?: number;
  maxMessages?: number;
  timeoutMs?: number;
  group?: string;
}

export function parseTimestamp(value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isSafeInteger(ms)) throw new InvalidArgumentError('give epoch milliseconds or an ISO-8601 time, e.g. 2024-06-01T12:00:00Z.');
  return ms;
}

function unknownTopic(topic: string): ClientCommandError {
  return new ClientCommandError(`UNKNOWN_TOPIC_OR_PARTITION: topic '${topic}' does not exist (check the name with \`samsa topics list\`)`);
}

/** The first offset to read for each chosen partition, without a group. */
async function startOffsets(consumer: Consumer, o: ConsumeOptions, partitions: number[]): Promise<Map<number, number>> {
  const list = async (timestamp: bigint) => {
    const r = await consumer.listOffsets({ topics: [o.topic], partitions: { [o.topic]: partitions }, timestamp });
    const offsets = r.get(o.topic) ?? [];
    return new Map(partitions.map((p) => [p, Number(offsets[p] ?? -1n)]));
  };
  const latest = await list(-1n);
  if (o.fromBeginning) return list(-2n);
  if (o.fromTimestamp !== undefined) {
    const found = await list(BigInt(o.fromTimestamp));
    return new Map(partitions.map((p) => [p, found.get(p)! < 0 ? latest.get(p)! : found.get(p)!]));
  }
  if (o.offset !== undefined) {
    const earliest = await list(-2n);
    for (const p of partitions) {
      if (o.offset < earliest.get(p)! || o.offset > latest.get(p)!) {
        throw new ClientCommandError(`OFFSET_OUT_OF_RANGE: offset ${o.offset} is outside ${o.topic}-${p}; valid offsets are [${earliest.get(p)}, ${latest.get(p)}]`);
      }
    }
    return new Map(partitions.map((p) => [p, o.offset!]));
  }
  return latest;
}

async function consumeDirect(consumer: Consumer, o: ConsumeOptions, stop: AbortSignal, print: (line: string) => void): Promise<number> {
  const md = await consumer.metadata({ topics: [o.topic], forceUpdate: true }).catch((err: unknown) => {
    if ((err as { code?: string }).code === 'PLT_KFK_USER') throw unknownTopic(o.topic);
    throw err;
  });
  const t = md.topics.get(o.topic);
  if (!t) throw unknownTopic(o.topic);
  if (o.partition !== undefined && o.partition >= t.partitionsCount) {
    throw new ClientCommandError(`UNKNOWN_TOPIC_OR_PARTITION: topic '${o.topic}' has partitions 0-${t.partitionsCount - 1}; there is no partition ${o.partition}`);
  }
  const partitions = o.partition !== undefined ? [o.partition] : t.partitions.map((_, p) => p);
  const start = await startOffsets(consumer, o, partitions);
  const leaders = new Map(partitions.map((p) => [p, t.partitions[p].leader]));
  const maxWaitMs = Math.max(10, Math.min(500, o.timeoutMs ?? 500));
  let count = 0;
  let lastMessageAt = Date.now();
  for await (const round of readPartitions(consumer, { topic: o.topic, topicId: t.id, leaders, start, maxWaitMs })) {
    for (const r of round) {
      if (o.maxMessages !== undefined && count >= o.maxMessages) break;
      print(formatRecord(r, o));
      count++;
    }
    if (round.length > 0) lastMessageAt = Date.now();
    if (stop.aborted || (o.maxMessages !== undefined && count >= o.maxMessages)) break;
    if (o.timeoutMs !== undefined && Date.now() - lastMessageAt >= o.timeoutMs) break;
  }
  return count;
}

export function register(program: Command): void {
  addClientOptions(program.command('consume').description('print messages of a topic, one per line'))
    .requiredOption('--topic <name>', 'topic to read')
    .option('--partition <p>', 'read only this partition', intAtLeast('partition', 0))
    .addOption(new Option('--from-beginning', 'start at the log start (default: the log end)').conflicts(['offset', 'fromTimestamp']))
    .addOption(new Option('--offset <n>', 'start at this offset (in every partition read)').argParser(intAtLeast('offset', 0)).conflicts(['fromTimestamp']))
    .addOption(new Option('--from-timestamp <time>', 'start at the first message at or after this time (ISO-8601 or epoch ms)').argParser(parseTimestamp))
    .option('--max-messages <n>', 'exit after printing this many messages', intAtLeast('max messages', 1))
    .option('--timeout-ms <ms>', 'exit when no message arrived for this long', intAtLeast('timeout', 1))
    .option('--print-key', 'print the key before the value')
    .option('--print-headers', 'print headers as k1:v1,k2:v2 (NO_HEADERS when none)')
    .option('--print-offset', 'print Offset:N')
    .option('--print-partition', 'print Partition:N')
    .option('--print-timestamp', 'print CreateTime:MS (or LogAppendTime:MS)')
    .option('--key-separator <sep>', 'between key and value with --print-key (default: tab)', parseSeparator)
    .option('--group <id>', 'consume as a member of this consumer group and commit offsets')
    .action(async (o: ConsumeOptions) => {
      if (o.group !== undefined && (o.partition !== undefined || o.offset !== undefined || o.fromTimestamp !== undefined)) {
        throw new CliUsageError('--partition, --offset and --from-timestamp read without a group; leave out --group (or use `samsa groups` to reset its offsets)');
      }
      const stop = new AbortController();
      const onSignal = () => { stop.abort(); };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      let count = 0;
      const print = (line: string) => { process.stdout.write(line); count++; };
      await runClientAction(o.bootstrapServer, `consume from '${o.topic}'`, async () => {
        const { Consumer } = await import('@platformatic/kafka');
        const consumer = new Consumer({ ...clientOptions(o, 'samsa-consume'), groupId: o.group ?? `samsa-consume-${process.pid}` });
        try {
          if (o.group !== undefined) await consumeWithGroup(consumer, o, stop.signal, print);
          else await consumeDirect(consumer, o, stop.signal, print);
        } finally {
          await new Promise<void>((resolve) => { consumer.close(true, () => { resolve(); }); });
        }
      });
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.stderr.write(`Processed a total of ${count} messages\n`);
    });
}
