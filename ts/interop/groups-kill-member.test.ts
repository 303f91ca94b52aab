// Consumer groups with kafkajs 2.2.4: a member in a child process is SIGKILLed (no LeaveGroup);
// after its session timeout (3 s) the coordinator expires it, the two surviving kafkajs consumers
// rebalance to own all 6 partitions exactly once, and they consume everything produced afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Consumer } from 'kafkajs';
import { decodeAssignment } from '../group/consumer-protocol.js';
import { startTestBroker } from '../testing/with-broker.js';
import { createKafkajs } from '../testing/kafkajs-client.js';
import { until } from '../testing/until.js';

const TOPIC = 'kill-member';
const GROUP = 'g-kill-member';
const CHILD = fileURLToPath(new URL('./groups-kill-member.child.ts', import.meta.url));


test('a kafkajs member SIGKILLed without leaving loses its partitions to the survivors after the session timeout', async () => {
  const broker = await startTestBroker({ config: { 'group.min.session.timeout.ms': 1000 } });
  const kafka = createKafkajs(broker.bootstrap, { retry: { retries: 10, initialRetryTime: 100 } });
  const admin = kafka.admin();
  const producer = kafka.producer();
  const consumers: Consumer[] = [];
  let child: ChildProcess | undefined;
  try {
    await admin.connect();
    await producer.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 6 }] });

    /** member id → partitions of TOPIC, from DescribeGroups; state of the group. */
    const describe = async () => {
      const g = (await admin.describeGroups([GROUP])).groups[0]!;
      const byMember = new Map<string, number[]>();
      for (const m of g.members) {
        const a = decodeAssignment(m.memberAssignment as Buffer);
        byMember.set(m.memberId, (a?.assignedPartitions.find((x) => x.topic === TOPIC)?.partitions ?? []).slice().sort((x, y) => x - y));
      }
      return { state: g.state, byMember };
    };
    /** Each of the 6 partitions is assigned to exactly one member. */
    const coversAll = (byMember: Map<string, number[]>) => [...byMember.values()].flat().sort((a, b) => a - b).join() === '0,1,2,3,4,5';

    // two members here, each remembering its latest assignment from kafkajs' GROUP_JOIN event
    const seen = new Map<string, number>();
    const latest: Array<{ memberId: string; partitions: number[] } | undefined> = [undefined, undefined];
    for (let i = 0; i < 2; i++) {
      const c = kafka.consumer({ groupId: GROUP, sessionTimeout: 3000, heartbeatInterval: 500, rebalanceTimeout: 10_000, maxWaitTimeInMs: 100 });
      c.on(c.events.GROUP_JOIN, (e) => {
        latest[i] = { memberId: e.payload.memberId, partitions: (e.payload.memberAssignment[TOPIC] ?? []).slice().sort((a, b) => a - b) };
      });
      consumers.push(c);
      await c.connect();
      await c.subscribe({ topic: TOPIC, fromBeginning: true });
      await c.run({ eachMessage: async ({ message }) => { const k = message.key!.toString(); seen.set(k, (seen.get(k) ?? 0) + 1); } });
    }

    // the third member in a child process
    child = spawn(process.execPath, ['--import', 'tsx', CHILD, broker.bootstrap, TOPIC, GROUP], { stdio: ['ignore', 'pipe', 'pipe'] });
    let childLatest: { memberId: string; partitions: number[] } | undefined;
    let buf = '';
    let childErr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.trim()) childLatest = JSON.parse(line);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { childErr += d; });
    const exited = new Promise<void>((r) => child!.once('exit', () => r()));

    await until(async () => {
      if (child!.exitCode !== null) throw new Error(`child exited early (${child!.exitCode}): ${childErr}`);
      const { state, byMember } = await describe();
      if (state !== 'Stable' || byMember.size !== 3 || !coversAll(byMember)) return false;
      const reported = [childLatest, ...latest];
      return reported.every((r) => r && r.partitions.length > 0 && byMember.get(r.memberId)?.join() === r.partitions.join());
    }, '3 members, Stable, each of the 6 partitions assigned once, as each member reports', 30_000);
    const childMember = childLatest!.memberId;
    const childPartitions = childLatest!.partitions;
    assert.ok(childPartitions.length > 0, 'the child owns partitions before it dies');

    child.kill('SIGKILL');
    await exited;

    await until(async () => {
      const { state, byMember } = await describe();
      if (state !== 'Stable' || byMember.size !== 2 || byMember.has(childMember) || !coversAll(byMember)) return false;
      return latest.every((r) => r && byMember.get(r.memberId)?.join() === r.partitions.join());
    }, 'the killed member expired; the 2 survivors own all 6 partitions exactly once', 30_000);
    const owned = latest.map((r) => r!.partitions).flat().sort((a, b) => a - b);
    assert.equal(owned, [0, 1, 2, 3, 4, 5]);
    for (const p of childPartitions) assert.ok(latest.some((r) => r!.partitions.includes(p)), `partition ${p} moved to a survivor`);

    // everything produced now, to every partition, is consumed by the survivors exactly once
    const N = 600;
    await producer.send({ topic: TOPIC, messages: Array.from({ length: N }, (_, i) => ({ key: `k${i}`, value: `v${i}`, partition: i % 6 })) });
    await until(() => seen.size >= N, `${N} messages consumed by the survivors`, 30_000);
    await until(async () => {
      const [offsets, ends] = await Promise.all([admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] }), admin.fetchTopicOffsets(TOPIC)]);
      const committed = new Map(offsets[0]!.partitions.map((p) => [p.partition, p.offset]));
      return ends.every((e) => e.high === String(N / 6) && committed.get(e.partition) === e.high);
    }, 'committed offsets reach the end offsets', 30_000);
    assert.is(seen.size, N);
    assert.ok([...seen.values()].every((n) => n === 1), 'no message was consumed twice');
  } finally {
    child?.kill('SIGKILL');
    for (const c of consumers) await c.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
    await broker.close();
  }
});

test.run();
