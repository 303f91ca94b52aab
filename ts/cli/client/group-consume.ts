// `samsa consume --group G`: joins the group with @platformatic/kafka's consumer stream, starts
// at the committed offsets (fallback: log start with --from-beginning, else log end), prints
// messages until --max-messages, --timeout-ms without a new message, or a signal, and then
// commits, per partition, the offset after the last message PRINTED (not merely fetched), so a
// later run continues exactly where this one stopped.
import type { Consumer, Message } from '@platformatic/kafka';
import { formatRecord, type RecordFormatOptions } from './record-format.js';

export interface GroupConsumeOptions extends RecordFormatOptions {
  topic: string;
  fromBeginning?: boolean;
  maxMessages?: number;
  timeoutMs?: number;
}

export async function consumeWithGroup(consumer: Consumer, o: GroupConsumeOptions, stop: AbortSignal, print: (line: string) => void): Promise<void> {
  const stream = await consumer.consume({
    topics: [o.topic], mode: 'committed', fallbackMode: o.fromBeginning ? 'earliest' : 'latest',
    autocommit: false, maxWaitTime: Math.max(10, Math.min(500, o.timeoutMs ?? 500)),
  });
  const next = new Map<number, { offset: bigint; leaderEpoch: number }>();
  let count = 0;
  await new Promise<void>((resolve, reject) => {
    let idle: NodeJS.Timeout | undefined;
    const finish = () => {
      if (idle) clearTimeout(idle);
      stream.off('data', onData);
      stop.removeEventListener('abort', finish);
      resolve();
    };
    const armIdle = () => {
      if (o.timeoutMs === undefined) return;
      if (idle) clearTimeout(idle);
      idle = setTimeout(finish, o.timeoutMs);
    };
    const onData = (m: Message) => {
      if (o.maxMessages !== undefined && count >= o.maxMessages) return;
      print(formatRecord({
        partition: m.partition, offset: Number(m.offset), timestamp: Number(m.timestamp), logAppendTime: false,
        key: m.key ?? null, value: m.value ?? null,
        headers: [...m.headers].map(([k, v]) => [k.toString('utf8'), v ?? null]),
      }, o));
      count++;
      next.set(m.partition, { offset: m.offset + 1n, leaderEpoch: -1 });
      if (o.maxMessages !== undefined && count >= o.maxMessages) finish();
      else armIdle();
    };
    stream.on('data', onData);
    stream.once('error', reject);
    stop.addEventListener('abort', finish);
    armIdle();
  });
  if (next.size > 0) {
    await consumer.commit({ offsets: [...next].map(([partition, n]) => ({ topic: o.topic, partition, offset: n.offset, leaderEpoch: n.leaderEpoch })) });
  }
  await stream.close().catch(() => undefined);
}
