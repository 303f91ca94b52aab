import net from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FrameDecoder } from '../protocol/frame.js';
import { ApiKey } from '../protocol/generated/api-keys.js';
import { decodeRequest, encodeRequest, encodeResponse, type DecodedRequest } from '../protocol/messages-io.js';
import { KafkaConnection, KafkaConnectionError } from './kafka-connection.js';

type Reply = (body: object) => void;
interface Fake { address: string; received: DecodedRequest[]; sockets: net.Socket[]; close(): Promise<void> }

/** A broker stand-in: splits request frames and lets the test decide what to answer, and when. */
async function fakeBroker(onRequest: (req: DecodedRequest, reply: Reply, socket: net.Socket) => void): Promise<Fake> {
  const received: DecodedRequest[] = [];
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    const frames = new FrameDecoder();
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => frames.push(chunk, (frame) => {
      const req = decodeRequest(frame);
      received.push(req);
      onRequest(req, (body) => socket.write(encodeResponse(req.apiKey, req.apiVersion, req.header.correlationId, body) as Buffer), socket);
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${port}`, received, sockets,
    close: () => { for (const s of sockets) s.destroy(); return new Promise((resolve) => server.close(() => resolve())); },
  };
}

const heartbeat = (generationId: number) => ({ groupId: 'g', generationId, memberId: 'm' });

test('pipelined requests resolve with their own responses even when answered out of order', async () => {
  const held: Array<{ gen: number; reply: Reply }> = [];
  const fake = await fakeBroker((req, reply) => {
    held.push({ gen: (req.body as { generationId: number }).generationId, reply });
    if (held.length === 20) for (const h of held.reverse()) h.reply({ errorCode: h.gen });
  });
  const c = await KafkaConnection.connect(fake.address, { clientId: 'pipe' });
  const all = Promise.all(Array.from({ length: 20 }, (_, i) => c.request<{ errorCode: number }>(ApiKey.Heartbeat, 0, heartbeat(i + 1))));
  const res = await all;
  assert.equal(res.map((r) => r.errorCode), Array.from({ length: 20 }, (_, i) => i + 1));
  assert.equal(fake.received.map((r) => r.header.correlationId), Array.from({ length: 20 }, (_, i) => i + 1));
  assert.is(fake.received[0]!.header.clientId, 'pipe');
  assert.is(c.inFlight, 0);
  assert.ok(c.bytesOut > 0);
  c.close();
  await fake.close();
});

test('requests without a response (acks=0) and raw writes: nothing waits, later answers still match', async () => {
  const fake = await fakeBroker((req, reply) => {
    if ((req.body as { generationId: number }).generationId >= 0) reply({ errorCode: (req.body as { generationId: number }).generationId });
  });
  const c = await KafkaConnection.connect(fake.address);
  assert.is(await c.request(ApiKey.Heartbeat, 0, heartbeat(-1), { expectResponse: false }), undefined);
  assert.is(c.inFlight, 0);
  c.writeRaw(encodeRequest(ApiKey.Heartbeat, 0, 424242, 'raw', heartbeat(9))); // its answer is dropped
  const r = await c.request<{ errorCode: number }>(ApiKey.Heartbeat, 0, heartbeat(5));
  assert.is(r.errorCode, 5);
  assert.equal(fake.received.map((q) => [q.header.correlationId, (q.body as { generationId: number }).generationId]), [[1, -1], [424242, 9], [2, 5]]);
  c.close();
  await fake.close();
});

test('a request timeout rejects that request, closes the connection and fails the others', async () => {
  const fake = await fakeBroker(() => undefined);
  const c = await KafkaConnection.connect(fake.address, { requestTimeoutMs: 60_000 });
  const slow = c.request(ApiKey.Heartbeat, 0, heartbeat(1)).catch((e: KafkaConnectionError) => e);
  const fast = c.request(ApiKey.Heartbeat, 0, heartbeat(2), { timeoutMs: 50 }).catch((e: KafkaConnectionError) => e);
  const [a, b] = await Promise.all([slow, fast]);
  assert.is((b as KafkaConnectionError).code, 'SAMSA_REQUEST_TIMEOUT');
  assert.match((b as Error).message, /Heartbeat v0 to 127\.0\.0\.1:\d+ got no response within 50 ms/);
  assert.is((a as KafkaConnectionError).code, 'SAMSA_CONNECTION_CLOSED');
  assert.ok(c.closed);
  const later = await c.request(ApiKey.Heartbeat, 0, heartbeat(3)).catch((e: KafkaConnectionError) => e);
  assert.is((later as KafkaConnectionError).code, 'SAMSA_CONNECTION_CLOSED');
  await fake.close();
});

test('a broker that closes rejects every outstanding request; close() does the same', async () => {
  let n = 0;
  const fake = await fakeBroker((_req, _reply, socket) => { if (++n === 3) socket.destroy(); });
  const c = await KafkaConnection.connect(fake.address);
  const errs = await Promise.all([1, 2, 3].map((g) => c.request(ApiKey.Heartbeat, 0, heartbeat(g)).then(() => null, (e: KafkaConnectionError) => e.code)));
  assert.equal(errs, ['SAMSA_CONNECTION_CLOSED', 'SAMSA_CONNECTION_CLOSED', 'SAMSA_CONNECTION_CLOSED']);
  assert.ok(c.closed);

  const quiet = await fakeBroker(() => undefined);
  const d = await KafkaConnection.connect(quiet.address);
  const pending = d.request(ApiKey.Heartbeat, 0, heartbeat(1)).catch((e: KafkaConnectionError) => e);
  d.close();
  const e = await pending as KafkaConnectionError;
  assert.is(e.code, 'SAMSA_CONNECTION_CLOSED');
  assert.match(e.message, /closed by this client/);
  await fake.close();
  await quiet.close();
});

test('big responses spanning socket chunks decode intact, with fresh or reused frame buffers', async () => {
  const groups = (k: number) => Array.from({ length: 3000 }, (_, i) => ({ groupId: `group-${k}-${i}-${'x'.repeat(40)}`, protocolType: 'consumer' }));
  const fake = await fakeBroker((req, reply) => reply({ errorCode: 0, groups: groups(req.header.correlationId) }));
  for (const reuseFrameBuffers of [0, 2]) {
    const c = await KafkaConnection.connect(fake.address, { reuseFrameBuffers });
    const res = await Promise.all([1, 2, 3, 4].map(() => c.request<{ groups: Array<{ groupId: string }> }>(ApiKey.ListGroups, 0, {})));
    res.forEach((r, i) => {
      assert.is(r.groups.length, 3000);
      assert.is(r.groups[0]!.groupId, groups(i + 1)[0]!.groupId);
      assert.is(r.groups[2999]!.groupId, groups(i + 1)[2999]!.groupId);
    });
    c.close();
  }
  await fake.close();
});

test('connect failures name the address; a bad address is refused before connecting', async () => {
  const e = await KafkaConnection.connect('127.0.0.1:1').catch((err: KafkaConnectionError) => err) as KafkaConnectionError;
  assert.is(e.code, 'SAMSA_CONNECT_FAILED');
  assert.match(e.message, /^cannot connect to 127\.0\.0\.1:1: .*is a broker running there\?$/);
  assert.throws(() => KafkaConnection.connect('localhost'), (err: KafkaConnectionError) => err.code === 'SAMSA_BAD_ADDRESS');
});

test.run();
