import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MetadataCatchUp } from './metadata-catch-up.js';
import type { MetadataCache, TopicMetadata } from './metadata-cache.js';
import type { ZkStore } from './zk-store.js';
import type { PartitionState, TopicAssignment } from './zk-data.js';

/** A ZooKeeper with `inZk` topics and a cache that copies them on refresh(); counts both. */
function fixture(inZk: Record<string, number[]>) {
  let now = 0;
  const calls = { assignment: [] as string[], refresh: 0 };
  const topics = new Map<string, TopicMetadata>();
  const state = (leader: number): PartitionState => ({ leader, leaderEpoch: 0, isr: [leader], controllerEpoch: 1, partitionEpoch: 0 });
  const zk = {
    assignment: async (t: string): Promise<TopicAssignment | null> => {
      calls.assignment.push(t);
      return inZk[t] ? ({ replicas: inZk[t]!.map((l) => [l]) } as unknown as TopicAssignment) : null;
    },
  } as unknown as ZkStore;
  const cache = {
    topics,
    refresh: async () => {
      calls.refresh++;
      for (const [name, leaders] of Object.entries(inZk)) {
        topics.set(name, { name, assignment: { replicas: leaders.map((l) => [l]) } as unknown as TopicAssignment, states: leaders.map(state) });
      }
    },
  } as unknown as MetadataCache;
  const c = new MetadataCatchUp({ zk, cache, known: (t) => topics.has(t), minIntervalMs: 1000, clock: () => now });
  return { c, calls, topics, inZk, tick: (ms: number) => { now += ms; } };
}

test('topic(): re-reads when ZooKeeper has the topic; a missing topic is checked at most once per interval', async () => {
  const { c, calls, topics, tick } = fixture({ fresh: [2, 3] });
  assert.is(await c.topic('fresh'), true);
  assert.equal(calls, { assignment: ['fresh'], refresh: 1 });
  assert.ok(topics.has('fresh'));

  assert.is(await c.topic('nope'), false);
  assert.is(await c.topic('nope'), false);
  assert.is(await c.topic('nope'), false);
  assert.equal(calls, { assignment: ['fresh', 'nope'], refresh: 1 }, 'one ZooKeeper read for three asks within the interval');
  tick(1000);
  assert.is(await c.topic('nope'), false);
  assert.equal(calls.assignment, ['fresh', 'nope', 'nope']);
});

test('topic(): concurrent asks for one topic share one check', async () => {
  const { c, calls } = fixture({ fresh: [1] });
  const all = await Promise.all([c.topic('fresh'), c.topic('fresh'), c.topic('fresh')]);
  assert.equal(all, [true, true, true]);
  assert.equal(calls, { assignment: ['fresh'], refresh: 1 });
});

test('awaitLeaders(): true once every partition has a leader; false after the timeout', async () => {
  const f = fixture({ t: [1, 2, 3], leaderless: [1, -1] });
  assert.is(await f.c.awaitLeaders('t', 3, 1000), true);
  assert.is(f.calls.refresh, 1, 'one re-read was enough');
  assert.is(await f.c.awaitLeaders('leaderless', 2, 60), false);
  assert.ok(f.calls.refresh >= 3, 'kept re-reading until the deadline');
  assert.is(await f.c.awaitLeaders('absent', 1, 30), false);
});

test.run();
