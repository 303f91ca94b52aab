import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ResponseWriter, type WirePiece } from './response-writer.js';
import { nativeZeroCopySender } from './zero-copy.js';

async function socketPair(): Promise<{ server: net.Socket; client: net.Socket; close(): void }> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  const accepted = new Promise<net.Socket>((r) => srv.once('connection', r));
  const client = net.connect(port, '127.0.0.1');
  const server = await accepted;
  srv.close();
  return { server, client, close: () => { server.destroy(); client.destroy(); } };
}

function collect(sock: net.Socket, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let got = 0;
  return new Promise((resolve) => {
    sock.on('data', (d) => {
      chunks.push(d);
      got += d.length;
      if (got >= n) resolve(Buffer.concat(chunks));
    });
  });
}

test('responses go out in reservation order even when filled out of order; null sends nothing', async () => {
  const { server, client, close } = await socketPair();
  const w = new ResponseWriter(server);
  const slots = Array.from({ length: 10 }, () => w.reserve());
  const received = collect(client, 9);
  // fill in reverse order; slot 4 has no response (acks=0)
  for (let i = 9; i >= 0; i--) w.fill(slots[i], i === 4 ? null : { pieces: [Buffer.from(String(i))] });
  assert.is((await received).toString(), '012356789');
  await w.idle();
  assert.is(w.pending, 0);
  close();
});

test('a slow head slot holds back later responses', async () => {
  const { server, client, close } = await socketPair();
  const w = new ResponseWriter(server);
  const a = w.reserve();
  const b = w.reserve();
  const got: string[] = [];
  client.on('data', (d) => got.push(d.toString()));
  w.fill(b, { pieces: [Buffer.from('B')] });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(got, []);
  assert.is(w.pending, 2);
  w.fill(a, { pieces: [Buffer.from('A')] });
  await w.idle();
  await new Promise((r) => setTimeout(r, 20));
  assert.is(got.join(''), 'AB');
  close();
});

test('file regions are read and sent in place when no zero-copy sender is installed; release called once', async () => {
  const dir = fs.mkdtempSync(os.tmpdir() + '/samsa-');
  try {
    const file = path.join(dir, 'seg.log');
    const content = Buffer.alloc(300_000);
    for (let i = 0; i < content.length; i++) content[i] = (i * 31) & 0xff;
    fs.writeFileSync(file, content);
    const fd = fs.openSync(file, 'r');
    const { server, client, close } = await socketPair();
    let released = 0;
    const w = new ResponseWriter(server);
    const s1 = w.reserve();
    const s2 = w.reserve();
    const pieces: WirePiece[] = [Buffer.from('head'), { fd, position: 1000, length: 200_000 }, Buffer.from('tail')];
    const total = 4 + 200_000 + 4 + 3;
    const received = collect(client, total);
    w.fill(s2, { pieces: [Buffer.from('end')] });
    w.fill(s1, { pieces, release: () => released++ });
    const bytes = await received;
    assert.is(bytes.length, total);
    assert.is(bytes.subarray(0, 4).toString(), 'head');
    assert.ok(bytes.subarray(4, 200_004).equals(content.subarray(1000, 201_000)));
    assert.is(bytes.subarray(200_004).toString(), 'tailend');
    await w.idle();
    assert.is(released, 1);
    fs.closeSync(fd);
    close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('destroy releases pending responses and fills after destroy are released at once', async () => {
  const { server, close } = await socketPair();
  const w = new ResponseWriter(server);
  const a = w.reserve();
  const b = w.reserve();
  let released = 0;
  w.fill(b, { pieces: [Buffer.from('x')], release: () => released++ });
  w.destroy();
  assert.is(released, 1);
  w.fill(a, { pieces: [Buffer.from('y')], release: () => released++ });
  assert.is(released, 2);
  await w.idle();
  close();
});

test('native sender: Buffer-only and region responses interleave in order; small plans go out inline', async () => {
  const dir = fs.mkdtempSync(os.tmpdir() + '/samsa-');
  const file = path.join(dir, 'seg.log');
  const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff));
  fs.writeFileSync(file, data);
  const fd = fs.openSync(file, 'r');
  const p = await socketPair();
  try {
    const w = new ResponseWriter(p.server, { zeroCopy: nativeZeroCopySender() });
    const responses: WirePiece[][] = [
      [Buffer.from('A1'), Buffer.from('A2')],
      [Buffer.from('B'), { fd, position: 10, length: 300 }],
      [Buffer.from('C')],
      [Buffer.from('D'), { fd, position: 4000, length: 1000 }, Buffer.from('d')],
      [Buffer.from('E')],
    ];
    const expected = Buffer.concat(responses.flat().map((x) => Buffer.isBuffer(x) ? x : data.subarray(x.position, x.position + x.length)));
    const got = collect(p.client, expected.length);
    let released = 0;
    const slots = responses.map(() => w.reserve());
    slots.forEach((s, i) => w.fill(s, { pieces: responses[i]!, release: () => { released++; } }));
    assert.ok((await got).equals(expected), 'bytes in reservation order');
    await w.idle();
    assert.is(released, 5);
    assert.is(w.zeroCopySends, 2);
    assert.is(w.zeroCopyInline, 2, 'both region responses fit the socket buffer: no pool job');
  } finally {
    p.close();
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
