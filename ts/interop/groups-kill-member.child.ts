// Child process for groups-kill-member.test.ts: one kafkajs consumer of a group, printing each
// assignment it receives (kafkajs' GROUP_JOIN instrumentation event) as one JSON line on stdout:
// {"memberId": "...", "partitions": [..]}. Usage: <bootstrap> <topic> <group>. It is SIGKILLed by
// the test, so it never sends LeaveGroup.
import { createKafkajs } from '../testing/kafkajs-client.js';

const [bootstrap, topic, groupId] = process.argv.slice(2);
if (!bootstrap || !topic || !groupId) {
  process.stderr.write('usage: groups-kill-member.child.ts <bootstrap> <topic> <group>\n');
  process.exit(2);
}
const kafka = createKafkajs(bootstrap, { clientId: 'kill-member-child', retry: { retries: 10, initialRetryTime: 100 } });
const consumer = kafka.consumer({ groupId, sessionTimeout: 3000, heartbeatInterval: 500, rebalanceTimeout: 10_000, maxWaitTimeInMs: 100 });
consumer.on(consumer.events.GROUP_JOIN, (e) => {
  const partitions = (e.payload.memberAssignment[topic] ?? []).slice().sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ memberId: e.payload.memberId, partitions }) + '\n');
});
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
await consumer.run({ eachMessage: async () => {} });
