import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { electLeader } from './controller.js';

const s = (leader: number, isr: number[], leaderEpoch = 5) => ({ leader, leaderEpoch, isr, controllerEpoch: 1, partitionEpoch: 3 });

test('leader alive and ISR alive: nothing to do', () => {
  assert.is(electLeader(s(1, [1, 2, 3]), [1, 2, 3], new Set([1, 2, 3]), false), null);
});

test('dead follower leaves the ISR, same epoch', () => {
  assert.equal(electLeader(s(1, [1, 2, 3]), [1, 2, 3], new Set([1, 2]), false), { leader: 1, leaderEpoch: 5, isr: [1, 2] });
});

test('dead leader: next live ISR member in assignment order, epoch + 1', () => {
  assert.equal(electLeader(s(1, [3, 1, 2]), [1, 2, 3], new Set([2, 3]), false), { leader: 2, leaderEpoch: 6, isr: [3, 2] });
});

test('no live ISR member: offline (clean) keeping the last ISR member, or unclean election', () => {
  assert.equal(electLeader(s(1, [1]), [1, 2, 3], new Set([2, 3]), false), { leader: -1, leaderEpoch: 6, isr: [1] });
  assert.is(electLeader(s(-1, [1], 6), [1, 2, 3], new Set([2, 3]), false), null);
  assert.equal(electLeader(s(-1, [1], 6), [1, 2, 3], new Set([2, 3]), true), { leader: 2, leaderEpoch: 7, isr: [2] });
  // the ISR member returns: it leads again
  assert.equal(electLeader(s(-1, [1], 6), [1, 2, 3], new Set([1, 3]), false), { leader: 1, leaderEpoch: 7, isr: [1] });
});

test.run();
