// `samsa produce --topic T`: one message per input line (stdin or --file), like
// kafka-console-producer.sh. With --key-separator SEP each line is `key<SEP>value` (split at the
// first SEP; a line without SEP is an error naming its number, after the lines before it were
// sent). --header k=v (repeatable) adds the same headers, in order, to every message.
// Partitioning: --partition P sends everything to P; otherwise a keyed message goes where Kafka's
// Java producer would put it (murmur2(key) & 0x7fffffff) % partitions, and unkeyed messages go
// to one partition per batch, rotating between batches (like Kafka's sticky partitioner).
// The summary (count, and per partition the offsets written) goes to stderr so that stdout stays
// clean; with --acks 0 the broker answers nothing, so no offsets are known.
import type { Command } from 'commander';
import { Option } from 'commander';
// The client library loads only when the command runs: `samsa start` and `--help` stay fast.
import type { CompressionAlgorithmValue } from '@platformatic/kafka';

const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
import { CliUsageError } from '../cli-error.js';
import { addClientOptions, clientOptions, type ClientCliOptions } from '../client/client-options.js';
import { ClientCommandError, runClientAction } from '../client/client-error.js';
import { collectKeyValue, intAtLeast, parseSeparator } from '../client/arg-parsers.js';
import { lineBatches, openInput, type InputLine } from '../client/line-batches.js';

interface ProduceOptions extends ClientCliOptions {
  topic: string;
  partition?: number;
  keySeparator?: string;
  header: Array<[string, string]>;
  file?: string;
  acks: string;
  compression: CompressionAlgorithmValue;
}

const BATCH_COUNT = 1000;
const BATCH_BYTES = 512 << 10;

interface PartitionSummary { count: number; first: number; last: number }

function summary(topic: string, total: number, acks: number, parts: Map<number, PartitionSummary>): string {
  const noun = total === 1 ? 'message' : 'messages';
  if (acks === 0) return `samsa: produced ${total} ${noun} to ${topic} (acks=0: offsets unknown)\n`;
  const each = [...parts].sort(([a], [b]) => a - b).map(([p, s]) => `partition ${p}: ${s.count} at offsets ${s.first}-${s.last}`);
  return `samsa: produced ${total} ${noun} to ${topic}${each.length ? ` (${each.join(', ')})` : ''}\n`;
}

export function register(program: Command): void {
  addClientOptions(program.command('produce').description('send one message per input line (stdin or --file) to a topic'))
    .requiredOption('--topic <name>', 'topic to write to')
    .option('--partition <p>', 'write every message to this partition', intAtLeast('partition', 0))
    .option('--key-separator <sep>', 'each line is key<sep>value (\\t for a tab)', parseSeparator)
    .option('--header <key=value>', 'header added to every message (repeatable, kept in order)', collectKeyValue('--header'), [])
    .option('--file <path>', 'read lines from this file instead of stdin')
    .addOption(new Option('--acks <acks>', 'acknowledgements: -1 (all in-sync replicas), 0 (none), 1 (leader)').choices(['-1', '0', '1', 'all']).default('-1'))
    .addOption(new Option('--compression <codec>', 'batch compression').choices(CODECS).default('none'))
    .action(async (opts: ProduceOptions) => {
      const { Producer, compatibilityPartitioner, compressionsAlgorithms } = await import('@platformatic/kafka');
      const codec = compressionsAlgorithms[opts.compression];
      if (!codec.available) throw new CliUsageError(`--compression ${opts.compression} is not available in this Node.js (${process.version}); zstd needs Node ≥ 22.15`);
      const acks = opts.acks === 'all' ? -1 : Number(opts.acks);
      await runClientAction(opts.bootstrapServer, `produce to '${opts.topic}'`, async () => {
        const producer = new Producer({ ...clientOptions(opts, 'samsa-produce'), autocreateTopics: false });
        const parts = new Map<number, PartitionSummary>();
        let total = 0;
        try {
          const md = await producer.metadata({ topics: [opts.topic] }).catch((err: unknown) => {
            if ((err as { code?: string }).code === 'PLT_KFK_USER' && /unknown topic/i.test((err as Error).message)) {
              throw new ClientCommandError(`UNKNOWN_TOPIC_OR_PARTITION: topic '${opts.topic}' does not exist (create it with \`samsa topics create --topic ${opts.topic}\`)`);
            }
            throw err;
          });
          const count = md.topics.get(opts.topic)?.partitionsCount ?? 0;
          if (opts.partition !== undefined && opts.partition >= count) {
            throw new ClientCommandError(`UNKNOWN_TOPIC_OR_PARTITION: topic '${opts.topic}' has partitions 0-${count - 1}; there is no partition ${opts.partition}`);
          }
          const headers = opts.header.map(([k, v]): [Buffer, Buffer] => [Buffer.from(k), Buffer.from(v)]);
          let sticky = 0;
          const toMessage = (line: InputLine, unkeyedPartition: number) => {
            let key: Buffer | undefined;
            let value = line.text;
            if (opts.keySeparator !== undefined) {
              const at = line.text.indexOf(opts.keySeparator);
              if (at < 0) throw new ClientCommandError(`line ${line.number} has no key separator ${JSON.stringify(opts.keySeparator)}; ${total} earlier messages were sent`);
              key = Buffer.from(line.text.slice(0, at));
              value = line.text.slice(at + opts.keySeparator.length);
            }
            const partition = opts.partition ?? (key !== undefined ? compatibilityPartitioner(undefined as never, key) % count : unkeyedPartition);
            return { topic: opts.topic, partition, key, value: Buffer.from(value), headers: new Map(headers) };
          };
          for await (const batch of lineBatches(openInput(opts.file), BATCH_COUNT, BATCH_BYTES)) {
            const messages = batch.map((line) => toMessage(line, sticky));
            sticky = (sticky + 1) % count;
            const result = await producer.send({ messages, acks, compression: opts.compression });
            const perPartition = new Map<number, number>();
            for (const m of messages) perPartition.set(m.partition, (perPartition.get(m.partition) ?? 0) + 1);
            for (const o of result.offsets ?? []) {
              const n = perPartition.get(o.partition) ?? 0;
              const base = Number(o.offset);
              const s = parts.get(o.partition);
              if (s) { s.count += n; s.last = base + n - 1; } else parts.set(o.partition, { count: n, first: base, last: base + n - 1 });
            }
            total += messages.length;
          }
        } finally {
          if (total > 0 || parts.size > 0) process.stderr.write(summary(opts.topic, total, acks, parts));
          await producer.close().catch(() => undefined);
        }
      });
    });
}
