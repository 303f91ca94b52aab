// `samsa groups list|describe|delete|reset-offsets`: consumer group administration over the Kafka
// protocol, with kafka-consumer-groups.sh semantics, through the project's own minimal client
// (ts/client/kafka-connection.ts: FindCoordinator, ListGroups, DescribeGroups, OffsetFetch,
// ListOffsets, Metadata, OffsetCommit, DeleteGroups):
//   list            group ids, one per line, sorted; --state S filters and adds a STATE column
//   describe        per group: state, protocol, members (id, instance id, client id, host, the
//                   partitions the consumer protocol assigned them), then per committed or
//                   assigned partition: CURRENT-OFFSET, LOG-END-OFFSET, LAG and the owner
//   delete          `Deleted group G.`; NON_EMPTY_GROUP / GROUP_ID_NOT_FOUND are one-line errors
//   reset-offsets   --to-earliest | --to-latest | --to-offset N | --to-datetime T for --topic T
//                   (all partitions, or T:0,2); prints the plan; writes it only with --execute
//                   (Kafka's dry-run default); refused while the group has members.
// Limits: one broker connection (the coordinator found through the bootstrap server) serves
// every request, which is exact on a single broker; --command-config security settings are not
// applied by this client.
import type { Command } from 'commander';
import { CliUsageError } from '../cli-error.js';
import { addClientOptions, parseBootstrap, type ClientCliOptions } from '../client/client-options.js';
import { ClientCommandError, runClientAction } from '../client/client-error.js';
import { KafkaConnection } from '../../client/kafka-connection.js';
import { decodeAssignment } from '../../group/consumer-protocol.js';
import { ApiKey } from '../../protocol/generated/api-keys.js';
import { errorName } from '../../protocol/error-codes.js';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const out = (s: string) => { process.stdout.write(s); };

function check(code: number, what: string, hint = ''): void {
  if (code !== 0) throw new ClientCommandError(`${what} failed: ${errorName(code)}${hint ? `; ${hint}` : ''}`);
}

async function withCoordinator(opts: ClientCliOptions, what: string, group: string | null, body: (c: KafkaConnection) => Promise<void>): Promise<void> {
  await runClientAction(opts.bootstrapServer, what, async () => {
    const first = parseBootstrap(opts.bootstrapServer)[0]!;
    const address = `${first.host.includes(':') ? `[${first.host}]` : first.host}:${first.port}`;
    let conn: KafkaConnection;
    try {
      conn = await KafkaConnection.connect(address, { clientId: 'samsa-groups', timeoutMs: 5000 });
      if (group !== null) {
        const fc = await conn.request<Body>(ApiKey.FindCoordinator, 1, { key: group, keyType: 0 });
        check(fc.errorCode, `find the coordinator of group '${group}'`);
        const target = `${String(fc.host).includes(':') ? `[${fc.host}]` : fc.host}:${fc.port}`;
        if (target !== address && !(fc.port === first.port && ['localhost', '127.0.0.1'].includes(fc.host) && ['localhost', '127.0.0.1'].includes(first.host))) {
          conn.close();
          conn = await KafkaConnection.connect(target, { clientId: 'samsa-groups', timeoutMs: 5000 });
        }
      }
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SAMSA_CONNECT') || (err as { code?: string }).code === 'SAMSA_CONNECTION_CLOSED') {
        throw new ClientCommandError((err as Error).message);
      }
      throw err;
    }
    try {
      await body(conn);
    } finally {
      conn.close();
    }
  });
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 2))).join('').trimEnd()).join('\n') + '\n';
}

async function partitionCount(c: KafkaConnection, topic: string): Promise<number> {
  const md = await c.request<Body>(ApiKey.Metadata, 4, { topics: [{ name: topic }], allowAutoTopicCreation: false });
  const t = md.topics[0];
  if (!t || t.errorCode !== 0) throw new ClientCommandError(`topic '${topic}' does not exist (UNKNOWN_TOPIC_OR_PARTITION); check the name with \`samsa topics list\``);
  return t.partitions.length;
}

/** ListOffsets v1 for each partition at `timestamp` (-1 latest, -2 earliest, else ms). */
async function listOffsets(c: KafkaConnection, topic: string, partitions: number[], timestamp: number): Promise<Map<number, number>> {
  const res = await c.request<Body>(ApiKey.ListOffsets, 1, { replicaId: -1, topics: [{ name: topic, partitions: partitions.map((p) => ({ partitionIndex: p, timestamp })) }] });
  const m = new Map<number, number>();
  for (const p of res.topics[0]?.partitions ?? []) {
    check(p.errorCode, `list offsets of ${topic}-${p.partitionIndex}`);
    m.set(p.partitionIndex, Number(p.offset));
  }
  return m;
}

async function describeOne(c: KafkaConnection, group: string): Promise<Body> {
  const d = await c.request<Body>(ApiKey.DescribeGroups, 4, { groups: [group], includeAuthorizedOperations: false });
  const g = d.groups[0];
  check(g.errorCode, `describe group '${group}'`);
  return g;
}

async function describe(c: KafkaConnection, group: string): Promise<string> {
  const g = await describeOne(c, group);
  const f = await c.request<Body>(ApiKey.OffsetFetch, 7, { groupId: group, topics: null, requireStable: false });
  check(f.errorCode, `fetch the offsets of group '${group}'`);
  if (g.groupState === 'Dead' && f.topics.length === 0) throw new ClientCommandError(`group '${group}' does not exist (GROUP_ID_NOT_FOUND)`);
  const owner = new Map<string, string>();
  const memberRows = [['MEMBER-ID', 'INSTANCE-ID', 'CLIENT-ID', 'HOST', 'ASSIGNMENT']];
  for (const m of g.members) {
    const a = g.protocolType === 'consumer' ? decodeAssignment(m.memberAssignment) : null;
    const parts = (a?.assignedPartitions ?? []).map((t) => `${t.topic}:${t.partitions.slice().sort((x, y) => x - y).join(',')}`);
    for (const t of a?.assignedPartitions ?? []) for (const p of t.partitions) owner.set(`${t.topic}\0${p}`, m.memberId);
    memberRows.push([m.memberId, m.groupInstanceId ?? '-', m.clientId, m.clientHost, parts.join(' ') || '-']);
  }
  const committed = new Map<string, number>();
  for (const t of f.topics) for (const p of t.partitions) if (Number(p.committedOffset) >= 0) committed.set(`${t.name}\0${p.partitionIndex}`, Number(p.committedOffset));
  const keys = [...new Set([...committed.keys(), ...owner.keys()])].map((k) => { const [t, p] = k.split('\0'); return { topic: t!, partition: Number(p) }; })
    .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  const ends = new Map<string, number>();
  for (const topic of new Set(keys.map((k) => k.topic))) {
    const parts = keys.filter((k) => k.topic === topic).map((k) => k.partition);
    for (const [p, o] of await listOffsets(c, topic, parts, -1).catch(() => new Map<number, number>())) ends.set(`${topic}\0${p}`, o);
  }
  const offsetRows = [['TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'MEMBER-ID']];
  for (const k of keys) {
    const id = `${k.topic}\0${k.partition}`;
    const cur = committed.get(id);
    const end = ends.get(id);
    offsetRows.push([k.topic, String(k.partition), cur === undefined ? '-' : String(cur), end === undefined ? '-' : String(end),
      cur === undefined || end === undefined ? '-' : String(Math.max(0, end - cur)), owner.get(id) ?? '-']);
  }
  let s = `Group ${group}: state ${g.groupState}, protocol type ${g.protocolType || '-'}, protocol ${g.protocolData || '-'}, ${g.members.length} member(s)\n`;
  if (g.members.length > 0) s += '\n' + table(memberRows);
  s += '\n' + (keys.length > 0 ? table(offsetRows) : 'No committed offsets.\n');
  return s;
}

interface ResetOptions extends ClientCliOptions {
  group: string; topic: string; toEarliest?: boolean; toLatest?: boolean; toOffset?: string; toDatetime?: string; execute?: boolean;
}

function parseTopicSpec(spec: string): { topic: string; partitions: number[] | null } {
  const i = spec.lastIndexOf(':');
  if (i < 0) return { topic: spec, partitions: null };
  const parts = spec.slice(i + 1).split(',').map((x) => Number(x));
  if (parts.some((p) => !Number.isInteger(p) || p < 0)) throw new CliUsageError(`--topic ${spec}: partitions must be non-negative integers (e.g. orders:0,2)`);
  return { topic: spec.slice(0, i), partitions: parts };
}

async function resetOffsets(c: KafkaConnection, o: ResetOptions): Promise<void> {
  const modes = [o.toEarliest, o.toLatest, o.toOffset !== undefined, o.toDatetime !== undefined].filter(Boolean).length;
  if (modes !== 1) throw new CliUsageError('give exactly one of --to-earliest, --to-latest, --to-offset N, --to-datetime T');
  const g = await describeOne(c, o.group);
  if (g.members.length > 0 || !['Empty', 'Dead'].includes(g.groupState)) {
    throw new ClientCommandError(`group '${o.group}' is active (state ${g.groupState}, ${g.members.length} member(s)): offsets can only be reset while the group has no members; stop its consumers first`);
  }
  const { topic, partitions: chosen } = parseTopicSpec(o.topic);
  const count = await partitionCount(c, topic);
  const partitions = chosen ?? Array.from({ length: count }, (_, p) => p);
  for (const p of partitions) if (p >= count) throw new CliUsageError(`topic '${topic}' has ${count} partitions: there is no partition ${p}`);
  const [earliest, latest] = await Promise.all([listOffsets(c, topic, partitions, -2), listOffsets(c, topic, partitions, -1)]);
  let target: Map<number, number>;
  if (o.toEarliest) target = earliest;
  else if (o.toLatest) target = latest;
  else if (o.toOffset !== undefined) {
    const n = Number(o.toOffset);
    if (!Number.isSafeInteger(n) || n < 0) throw new CliUsageError(`--to-offset ${o.toOffset}: expected a non-negative integer`);
    target = new Map(partitions.map((p) => [p, Math.min(Math.max(n, earliest.get(p)!), latest.get(p)!)]));
  } else {
    const ms = Date.parse(o.toDatetime!);
    if (Number.isNaN(ms)) throw new CliUsageError(`--to-datetime ${o.toDatetime}: expected an ISO date-time such as 2024-05-01T12:00:00.000Z`);
    const found = await listOffsets(c, topic, partitions, ms);
    target = new Map(partitions.map((p) => [p, found.get(p)! >= 0 ? found.get(p)! : latest.get(p)!]));
  }
  out(table([['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET'], ...partitions.map((p) => [o.group, topic, String(p), String(target.get(p))])]));
  if (!o.execute) {
    out('Dry run: nothing was changed; add --execute to commit these offsets.\n');
    return;
  }
  const res = await c.request<Body>(ApiKey.OffsetCommit, 7, {
    groupId: o.group, generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null,
    topics: [{ name: topic, partitions: partitions.map((p) => ({ partitionIndex: p, committedOffset: target.get(p)!, committedLeaderEpoch: -1, committedMetadata: '' })) }],
  });
  for (const p of res.topics[0].partitions) check(p.errorCode, `commit offset of ${topic}-${p.partitionIndex} for group '${o.group}'`, p.errorCode === 25 ? 'the group gained members meanwhile' : '');
  out(`Committed new offsets for group ${o.group}.\n`);
}

export function register(program: Command): void {
  const groups = program.command('groups').description('list, describe, delete consumer groups and reset their offsets on a running broker');

  addClientOptions(groups.command('list').description('list consumer groups'))
    .option('--state <state>', 'only groups in this state (Empty, Stable, PreparingRebalance, CompletingRebalance)')
    .action(async (o: ClientCliOptions & { state?: string }) => {
      await withCoordinator(o, 'list groups', null, async (c) => {
        const res = await c.request<Body>(ApiKey.ListGroups, 4, { statesFilter: o.state ? [o.state] : [] });
        check(res.errorCode, 'list groups');
        const gs = (res.groups as Body[]).slice().sort((a, b) => (a.groupId < b.groupId ? -1 : 1));
        if (o.state) { if (gs.length) out(table([['GROUP', 'STATE'], ...gs.map((g) => [g.groupId, g.groupState])])); } else for (const g of gs) out(`${g.groupId}\n`);
      });
    });

  addClientOptions(groups.command('describe').description('members, assignments, committed offsets, log end offsets and lag'))
    .option('--group <group>', 'group id (default: every group)')
    .action(async (o: ClientCliOptions & { group?: string }) => {
      await withCoordinator(o, `describe group${o.group ? ` '${o.group}'` : 's'}`, o.group ?? null, async (c) => {
        let names = o.group ? [o.group] : [];
        if (!o.group) names = ((await c.request<Body>(ApiKey.ListGroups, 0, {})).groups as Body[]).map((g) => g.groupId).sort();
        if (names.length === 0) out('No consumer groups.\n');
        else out((await Promise.all(names.map((n) => describe(c, n)))).join('\n'));
      });
    });

  addClientOptions(groups.command('delete').description('delete a group without members and its committed offsets'))
    .requiredOption('--group <group>', 'group id')
    .action(async (o: ClientCliOptions & { group: string }) => {
      await withCoordinator(o, `delete group '${o.group}'`, o.group, async (c) => {
        const r = (await c.request<Body>(ApiKey.DeleteGroups, 1, { groupsNames: [o.group] })).results[0];
        const hint = r.errorCode === 68 ? 'the group still has members; stop its consumers first' : r.errorCode === 69 ? 'check the id with `samsa groups list`' : '';
        check(r.errorCode, `delete group '${o.group}'`, hint);
        out(`Deleted group ${o.group}.\n`);
      });
    });

  addClientOptions(groups.command('reset-offsets').description('set a group\'s committed offsets (dry run unless --execute)'))
    .requiredOption('--group <group>', 'group id')
    .requiredOption('--topic <topic[:p,p]>', 'topic, optionally with partitions (orders:0,2)')
    .option('--to-earliest', 'the first offset of each partition')
    .option('--to-latest', 'the log end offset of each partition')
    .option('--to-offset <n>', 'this offset (clamped to the partition\'s range)')
    .option('--to-datetime <iso>', 'the first offset whose timestamp is at or after this time')
    .option('--execute', 'commit the offsets (without it: print the plan only)')
    .action(async (o: ResetOptions) => {
      await withCoordinator(o, `reset offsets of group '${o.group}'`, o.group, (c) => resetOffsets(c, o));
    });
}
