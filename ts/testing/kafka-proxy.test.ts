// The proxy against a fake upstream: frames split across TCP chunks are captured whole (first
// per api/version only), bytes pass through unchanged both ways, and dropResponses closes the
// client connection instead of forwarding the chosen response.
import net from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KafkaProxy, kebabApiName } from './kafka-proxy.js';

function frame(apiKey: number, apiVersion: number, correlationId: number, body: Buffer): Buffer {
  const b = Buffer.alloc(12 + body.length);
  b.writeInt32BE(8 + body.length, 0);
  b.writeInt16BE(apiKey, 4);
  b.writeInt16BE(apiVersion, 6);
  b.writeInt32BE(correlationId, 8);
  body.copy(b, 12);
  return b;
}

/** Upstream that answers each request frame with [size][correlationId]['ok']. */
async function echoServer(): Promise<net.Server> {
  const server = net.createServer((s) => {
    let buf = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        const size = buf.readInt32BE(0);
        const res = Buffer.alloc(10);
        res.writeInt32BE(6, 0);
        res.writeInt32BE(buf.readInt32BE(8), 4);
        res.write('ok', 8);
        s.write(res);
        buf = buf.subarray(4 + size);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return server;
}

async function exchange(port: number, chunks: Buffer[], expectBytes: number): Promise<{ data: Buffer; closed: boolean }> {
  const s = net.connect(port, '127.0.0.1');
  let data = Buffer.alloc(0);
  let closed = false;
  await new Promise<void>((resolve) => {
    s.on('connect', async () => {
      for (const c of chunks) { s.write(c); await new Promise((r) => setTimeout(r, 5)); }
    });
    s.on('data', (d: Buffer) => { data = Buffer.concat([data, d]); if (data.length >= expectBytes) resolve(); });
    s.on('close', () => { closed = true; resolve(); });
  });
  s.destroy();
  return { data, closed };
}

test('captures the first frame per (api, version), split across chunks; passes bytes through', async () => {
  const upstream = await echoServer();
  const proxy = await KafkaProxy.listen({ host: '127.0.0.1', port: (upstream.address() as net.AddressInfo).port });
  try {
    const a = frame(3, 4, 1, Buffer.from('first'));
    const b = frame(3, 4, 2, Buffer.from('second'));
    const c = frame(18, 3, 3, Buffer.from('x'));
    const all = Buffer.concat([a, b, c]);
    const { data } = await exchange(proxy.port, [all.subarray(0, 3), all.subarray(3, 20), all.subarray(20)], 30);
    assert.is(data.length, 30, 'three responses of 10 bytes');
    assert.equal([0, 10, 20].map((o) => data.readInt32BE(o + 4)), [1, 2, 3]);
    assert.equal([...proxy.frames.keys()].sort(), ['18-3', '3-4']);
    assert.ok(proxy.frames.get('3-4')!.frame.equals(a.subarray(4)), 'saved without the size prefix, first one kept');
    assert.is(proxy.requestCounts.get(3), 2);
  } finally {
    await proxy.close();
    upstream.close();
  }
});

test('dropResponses(apiKey) closes the client instead of forwarding that response', async () => {
  const upstream = await echoServer();
  const proxy = await KafkaProxy.listen({ host: '127.0.0.1', port: (upstream.address() as net.AddressInfo).port });
  try {
    proxy.dropResponses(0, 1);
    const { data, closed } = await exchange(proxy.port, [frame(3, 1, 1, Buffer.alloc(0)), frame(0, 7, 2, Buffer.alloc(0))], 1000);
    assert.is(closed, true);
    assert.is(data.length, 10, 'only the Metadata response arrived');
    assert.is(proxy.droppedResponses, 1);
  } finally {
    await proxy.close();
    upstream.close();
  }
});

test('kebabApiName', () => {
  assert.is(kebabApiName('DescribeConfigs'), 'describe-configs');
  assert.is(kebabApiName('ApiVersions'), 'api-versions');
  assert.is(kebabApiName('Produce'), 'produce');
});

test.run();
