// Asks a broker which APIs it advertises, over a raw socket (ApiVersions v0: header v1, body
// empty; response header v0, then errorCode int16, [apiKey int16, min int16, max int16]).
// Independent of the protocol layer under test, so tests can decide what to run or skip.
import net from 'node:net';

export type ApiRanges = Map<number, { min: number; max: number }>;

export async function fetchApiVersions(port: number, host = '127.0.0.1', timeoutMs = 10_000): Promise<ApiRanges> {
  const socket = net.connect(port, host);
  try {
    return await new Promise<ApiRanges>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`ApiVersions: no answer from ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
      const clientId = Buffer.from('samsa-test');
      const req = Buffer.alloc(4 + 8 + 2 + clientId.length);
      req.writeInt32BE(req.length - 4, 0);
      req.writeInt16BE(18, 4);
      req.writeInt16BE(0, 6);
      req.writeInt32BE(7, 8);
      req.writeInt16BE(clientId.length, 12);
      clientId.copy(req, 14);
      let buf: Buffer = Buffer.alloc(0);
      socket.on('error', (e) => { clearTimeout(timer); reject(e); });
      socket.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length < 4 || buf.length < 4 + buf.readInt32BE(0)) return;
        clearTimeout(timer);
        const errorCode = buf.readInt16BE(8);
        if (errorCode !== 0) { reject(new Error(`ApiVersions v0 error code ${errorCode}`)); return; }
        const n = buf.readInt32BE(10);
        const ranges: ApiRanges = new Map();
        for (let i = 0, p = 14; i < n; i++, p += 6) ranges.set(buf.readInt16BE(p), { min: buf.readInt16BE(p + 2), max: buf.readInt16BE(p + 4) });
        resolve(ranges);
      });
      socket.write(req);
    });
  } finally {
    socket.destroy();
  }
}

/** True when every key in `apiKeys` is advertised. */
export function advertises(ranges: ApiRanges, ...apiKeys: number[]): boolean {
  return apiKeys.every((k) => ranges.has(k));
}
