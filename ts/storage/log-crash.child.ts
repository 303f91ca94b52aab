// Child process for log-crash.test.ts: appends forever in fsync mode to the log in argv[2] and
// prints each acknowledged lastOffset on its own line. Record values are a pure function of
// their offset (crashValue) so the parent can check every byte after a SIGKILL.
import { openLog } from './embedded-log.js';

export function crashValue(offset: number): Buffer {
  const len = 20 + (offset * 7919) % 400;
  const b = Buffer.alloc(len);
  for (let i = 0; i < len; i++) b[i] = (offset * 31 + i * 17) & 0xff;
  b.write(`o${offset};`, 0, 'latin1');
  return b;
}

async function main(): Promise<void> {
  const log = await openLog(process.argv[2], { durability: 'fsync', segmentBytes: 48 * 1024, indexIntervalBytes: 512 });
  process.stdout.write(`ready ${log.logEndOffset}\n`);
  const inFlight = 8;
  const worker = async (): Promise<void> => {
    for (;;) {
      const n = 1 + (log.logEndOffset % 5);
      const base = log.logEndOffset;
      const records = Array.from({ length: n }, (_, i) => ({ key: `k${base + i}`, value: crashValue(base + i), timestamp: 1_700_000_000_000 + base + i }));
      const res = await log.append(records);
      if (res.baseOffset !== base) throw new Error(`expected base ${base}, got ${res.baseOffset}`);
      process.stdout.write(`${res.lastOffset}\n`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

if (process.argv[2]) main().catch((e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exit(1); });
