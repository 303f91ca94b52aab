// `samsa topics create|list|describe|delete|alter`: topic administration over the Kafka protocol
// (CreateTopics, Metadata, DescribeConfigs, DeleteTopics, CreatePartitions,
// IncrementalAlterConfigs) with @platformatic/kafka's Admin, with kafka-topics.sh /
// kafka-configs.sh semantics and output:
//   create   `Created topic T.`; without --partitions/--replication-factor the broker defaults
//            (num.partitions, default.replication.factor) apply; --if-not-exists: exit 0 silently
//   list     one name per line, sorted; internal topics (__consumer_offsets) unless --exclude-internal
//   describe see client/topic-description.ts; all topics when --topic is not given
//   delete   no output (as kafka-topics.sh); --if-exists: a missing topic is not an error
//   alter    --partitions N grows the topic (prints nothing); --config / --delete-config change
//            settings incrementally and print `Completed updating config for topic T.`
// Failures print one line and exit 1 (client/client-error.ts); bad arguments exit 2.
import type { Command } from 'commander';
// The client library loads only when a topics command runs: `samsa start` and `--help` stay fast.
import type { Admin } from '@platformatic/kafka';
import { CliUsageError } from '../cli-error.js';
import { addClientOptions, clientOptions, type ClientCliOptions } from '../client/client-options.js';
import { ClientCommandError, kafkaErrorName, runClientAction } from '../client/client-error.js';
import { collect, collectKeyValue, intAtLeast } from '../client/arg-parsers.js';
import { formatTopicDescription, type TopicDescription } from '../client/topic-description.js';

const TOPIC_RESOURCE = 2;
const DEFAULT_CONFIG_SOURCE = 5;
const OP_SET = 0 as const;
const OP_DELETE = 1 as const;

interface CreateOptions extends ClientCliOptions { topic: string; partitions?: number; replicationFactor?: number; config: Array<[string, string]>; ifNotExists?: boolean }
interface ListOptions extends ClientCliOptions { excludeInternal?: boolean }
interface DescribeOptions extends ClientCliOptions { topic?: string; excludeInternal?: boolean }
interface DeleteOptions extends ClientCliOptions { topic: string; ifExists?: boolean }
interface AlterOptions extends ClientCliOptions { topic: string; partitions?: number; config: Array<[string, string]>; deleteConfig: string[] }

const out = (s: string) => { process.stdout.write(s); };

async function withAdmin(opts: ClientCliOptions, what: string, body: (admin: Admin) => Promise<void>): Promise<void> {
  await runClientAction(opts.bootstrapServer, what, async () => {
    const { Admin } = await import('@platformatic/kafka');
    const admin = new Admin(clientOptions(opts, 'samsa-topics'));
    try {
      await body(admin);
    } finally {
      await admin.close().catch(() => undefined);
    }
  });
}

function unknownTopic(name: string): ClientCommandError {
  return new ClientCommandError(`UNKNOWN_TOPIC_OR_PARTITION: topic '${name}' does not exist (check the name with \`samsa topics list\`)`);
}

async function topicExists(admin: Admin, name: string): Promise<boolean> {
  return (await admin.listTopics({ includeInternals: true })).includes(name);
}

async function describeTopics(admin: Admin, names: string[]): Promise<TopicDescription[]> {
  if (names.length === 0) return [];
  const md = await admin.metadata({ topics: names, forceUpdate: true });
  const configs = await admin.describeConfigs({ resources: names.map((resourceName) => ({ resourceType: TOPIC_RESOURCE, resourceName })) });
  const configsByTopic = new Map(configs.map((c) => [c.resourceName, c.configs]));
  return names.map((name) => {
    const t = md.topics.get(name);
    if (!t) throw unknownTopic(name);
    return {
      name,
      id: t.id,
      partitions: t.partitions.map((p, partition) => ({ partition, leader: p.leader, replicas: p.replicas, isr: p.isr })),
      configs: (configsByTopic.get(name) ?? [])
        .filter((c) => c.configSource !== DEFAULT_CONFIG_SOURCE)
        .map((c): [string, string] => [c.name, c.isSensitive ? '<sensitive>' : c.value ?? '']),
    };
  });
}

function topicOption(cmd: Command, required: boolean): Command {
  return required ? cmd.requiredOption('--topic <name>', 'topic name') : cmd.option('--topic <name>', 'topic name (default: all topics)');
}

export function register(program: Command): void {
  const topics = program.command('topics').description('create, list, describe, alter and delete topics on a running broker');

  addClientOptions(topicOption(topics.command('create').description('create a topic'), true))
    .option('--partitions <n>', 'number of partitions (default: the broker\'s num.partitions)', intAtLeast('partitions', 1))
    .option('--replication-factor <n>', 'replicas per partition (default: the broker\'s default.replication.factor)', intAtLeast('replication factor', 1))
    .option('--config <key=value>', 'topic setting, e.g. retention.ms=86400000 (repeatable)', collectKeyValue('--config'), [])
    .option('--if-not-exists', 'succeed without change when the topic exists')
    .action(async (opts: CreateOptions) => {
      await withAdmin(opts, `create topic '${opts.topic}'`, async (admin) => {
        try {
          await admin.createTopics({
            topics: [opts.topic], partitions: opts.partitions, replicas: opts.replicationFactor,
            configs: opts.config.map(([name, value]) => ({ name, value })),
          });
        } catch (err) {
          if (opts.ifNotExists && kafkaErrorName(err) === 'TOPIC_ALREADY_EXISTS') return;
          throw err;
        }
        out(`Created topic ${opts.topic}.\n`);
      });
    });

  addClientOptions(topics.command('list').description('list topic names, one per line'))
    .option('--exclude-internal', 'leave out internal topics (__consumer_offsets...)')
    .action(async (opts: ListOptions) => {
      await withAdmin(opts, 'list topics', async (admin) => {
        const names = await admin.listTopics({ includeInternals: !opts.excludeInternal });
        for (const name of [...names].sort()) out(`${name}\n`);
      });
    });

  addClientOptions(topicOption(topics.command('describe').description('show partitions, leaders, replicas, ISR and overridden settings'), false))
    .option('--exclude-internal', 'leave out internal topics when describing all topics')
    .action(async (opts: DescribeOptions) => {
      await withAdmin(opts, opts.topic ? `describe topic '${opts.topic}'` : 'describe topics', async (admin) => {
        const all = (await admin.listTopics({ includeInternals: !opts.excludeInternal })).sort();
        if (opts.topic !== undefined && !all.includes(opts.topic) && !(await topicExists(admin, opts.topic))) throw unknownTopic(opts.topic);
        for (const t of await describeTopics(admin, opts.topic !== undefined ? [opts.topic] : all)) out(formatTopicDescription(t));
      });
    });

  addClientOptions(topicOption(topics.command('delete').description('delete a topic and its data'), true))
    .option('--if-exists', 'succeed without change when the topic does not exist')
    .action(async (opts: DeleteOptions) => {
      await withAdmin(opts, `delete topic '${opts.topic}'`, async (admin) => {
        try {
          await admin.deleteTopics({ topics: [opts.topic] });
        } catch (err) {
          const name = kafkaErrorName(err);
          if (name === 'UNKNOWN_TOPIC_OR_PARTITION' || name === 'UNKNOWN_TOPIC_ID') {
            if (opts.ifExists) return;
            throw unknownTopic(opts.topic);
          }
          throw err;
        }
      });
    });

  addClientOptions(topicOption(topics.command('alter').description('add partitions or change topic settings'), true))
    .option('--partitions <n>', 'new (larger) number of partitions', intAtLeast('partitions', 1))
    .option('--config <key=value>', 'set a topic setting (repeatable)', collectKeyValue('--config'), [])
    .option('--delete-config <key>', 'remove a topic setting override (repeatable)', collect, [])
    .action(async (opts: AlterOptions) => {
      if (opts.partitions === undefined && opts.config.length === 0 && opts.deleteConfig.length === 0) {
        throw new CliUsageError('topics alter: give --partitions, --config or --delete-config');
      }
      await withAdmin(opts, `alter topic '${opts.topic}'`, async (admin) => {
        if (!(await topicExists(admin, opts.topic))) throw unknownTopic(opts.topic);
        if (opts.partitions !== undefined) {
          const current = (await admin.metadata({ topics: [opts.topic], forceUpdate: true })).topics.get(opts.topic)?.partitionsCount ?? 0;
          if (opts.partitions < current) {
            throw new ClientCommandError(`INVALID_PARTITIONS: topic '${opts.topic}' has ${current} partitions; the count can only grow`);
          }
          if (opts.partitions > current) await admin.createPartitions({ topics: [{ name: opts.topic, count: opts.partitions }] });
        }
        if (opts.config.length > 0 || opts.deleteConfig.length > 0) {
          await admin.incrementalAlterConfigs({
            resources: [{
              resourceType: TOPIC_RESOURCE, resourceName: opts.topic,
              configs: [
                ...opts.config.map(([name, value]) => ({ name, configOperation: OP_SET, value })),
                ...opts.deleteConfig.map((name) => ({ name, configOperation: OP_DELETE, value: null })),
              ],
            }],
          });
          out(`Completed updating config for topic ${opts.topic}.\n`);
        }
      });
    });
}
