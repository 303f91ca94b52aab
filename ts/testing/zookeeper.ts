// A real ZooKeeper server (Debian's `zookeeper` package) for cluster tests: standalone, on
// 127.0.0.1 and a free port, with a temp data dir and a generated zoo.cfg (admin server off).
// The JVM runs in the foreground as our child; `stop()` kills it and removes the dir, and every
// server still running is SIGKILLed when the test process exits.
//
//   const zk = await startZooKeeper();     // zk.connect === '127.0.0.1:PORT'
//   try { ... } finally { await zk.stop(); }
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const JAR = '/usr/share/java/zookeeper.jar';
const CONF = '/etc/zookeeper/conf';
const live = new Set<ChildProcess>();
process.on('exit', () => { for (const c of live) c.kill('SIGKILL'); });

export interface ZooKeeperHandle {
  readonly connect: string;
  readonly port: number;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** null when ZooKeeper and java are installed, else why not (for skipping tests). */
export function zooKeeperMissing(): string | null {
  if (!existsSync(JAR)) return `${JAR} not found (Debian: apt-get install zookeeper)`;
  if (!existsSync('/usr/bin/java')) return 'java not found (Debian: apt-get install default-jre-headless)';
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

/** Sends a four-letter word; resolves with the answer ('' on failure). */
function fourLetter(port: number, word: string): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const s = connect({ port, host: '127.0.0.1' }, () => s.write(word));
    s.setTimeout(1000, () => s.destroy());
    s.on('data', (d) => (out += d.toString()));
    s.on('error', () => resolve(''));
    s.on('close', () => resolve(out));
  });
}

export async function startZooKeeper(opts: { timeoutMs?: number } = {}): Promise<ZooKeeperHandle> {
  const why = zooKeeperMissing();
  if (why) throw new Error(`cannot start ZooKeeper: ${why}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'samsa-zk-'));
  const port = await freePort();
  const cfg = join(dataDir, 'zoo.cfg');
  writeFileSync(cfg, [
    'tickTime=500', 'initLimit=10', 'syncLimit=5', `dataDir=${join(dataDir, 'data')}`, `clientPort=${port}`,
    'clientPortAddress=127.0.0.1', 'admin.enableServer=false', '4lw.commands.whitelist=ruok,stat,srvr',
    'maxSessionTimeout=60000', 'minSessionTimeout=1000', '',
  ].join('\n'));
  const child = spawn('/usr/bin/java', [
    '-Xmx128m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', `-Dzookeeper.log.dir=${dataDir}`, '-Dzookeeper.root.logger=WARN,CONSOLE',
    '-cp', `${CONF}:${JAR}`, 'org.apache.zookeeper.server.ZooKeeperServerMain', cfg,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  let exited = false;
  const exit = new Promise<void>((r) => child.on('exit', () => { exited = true; live.delete(child); r(); }));
  const stop = async (): Promise<void> => {
    if (!exited) { child.kill('SIGKILL'); await exit; }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  while (!(await fourLetter(port, 'ruok')).includes('imok')) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`ZooKeeper did not answer ruok on 127.0.0.1:${port}; output:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { connect: `127.0.0.1:${port}`, port, dataDir, stop };
}
