// FdCache: a bounded LRU of read-only file descriptors with reference counts.
//
// Kafka keeps every segment open; with 100,000 partitions that exceeds any sane `ulimit -n`.
// Here only the active segment holds write fds (owned by LogSegment); every read goes through
// this cache. Contract:
// - acquire(path) returns a lease `{ fd, release() }`; the fd stays open while any lease is held,
//   even if the entry is evicted (LRU over `capacity`) or the file is deleted (invalidate()).
// - Evicted/invalidated entries close when their last lease is released.
// - Opening is async (fs.open on the libuv pool); concurrent acquires of one path share one open.
import { open as openCb, close as closeCb } from 'node:fs';

interface Entry {
  path: string;
  fd: number;
  refs: number;
  cached: boolean;          // still reachable through the map
  opening: Promise<number> | null;
}

export interface FdLease {
  readonly fd: number;
  readonly path: string;
  release(): void;
}

function openRead(path: string): Promise<number> {
  return new Promise((res, rej) => openCb(path, 'r', (err, fd) => (err ? rej(err) : res(fd))));
}

function closeFd(fd: number): void {
  closeCb(fd, () => { /* a failed close of a read fd loses nothing */ });
}

export class FdCache {
  readonly #map = new Map<string, Entry>(); // insertion order = LRU order
  #open = 0;

  constructor(readonly capacity = 1000) {}

  /** Number of fds currently open through this cache (cached or leased). */
  get openCount(): number { return this.#open; }
  get size(): number { return this.#map.size; }

  async acquire(path: string): Promise<FdLease> {
    let e = this.#map.get(path);
    if (e) {
      this.#map.delete(path);
      this.#map.set(path, e);
    } else {
      e = { path, fd: -1, refs: 0, cached: true, opening: null };
      const entry = e;
      entry.opening = openRead(path).then((fd) => { entry.fd = fd; entry.opening = null; this.#open++; return fd; },
        (err) => { entry.opening = null; if (this.#map.get(path) === entry) this.#map.delete(path); entry.cached = false; throw err; });
      this.#map.set(path, e);
    }
    e.refs++;
    const entry = e;
    try {
      if (entry.opening) await entry.opening;
    } catch (err) { entry.refs--; throw err; }
    if (entry.fd < 0) { entry.refs--; throw new Error(`fd for ${path} was closed while opening`); }
    this.#evict();
    let released = false;
    return {
      fd: entry.fd,
      path,
      release: () => {
        if (released) return;
        released = true;
        entry.refs--;
        if (entry.refs === 0 && !entry.cached) this.#closeEntry(entry);
        else if (entry.refs === 0) this.#evict();
      },
    };
  }

  /** Drops the path from the cache (file deleted/truncated/renamed); open leases stay valid. */
  invalidate(path: string): void {
    const e = this.#map.get(path);
    if (!e) return;
    this.#map.delete(path);
    e.cached = false;
    if (e.refs === 0 && !e.opening) this.#closeEntry(e);
  }

  invalidatePrefix(prefix: string): void {
    for (const path of [...this.#map.keys()]) if (path.startsWith(prefix)) this.invalidate(path);
  }

  /** Closes every unleased fd; leased ones close on release. */
  clear(): void {
    for (const path of [...this.#map.keys()]) this.invalidate(path);
  }

  #evict(): void {
    if (this.#map.size <= this.capacity) return;
    for (const e of this.#map.values()) {
      if (this.#map.size <= this.capacity) break;
      if (e.opening) continue;
      this.#map.delete(e.path);
      e.cached = false;
      if (e.refs === 0) this.#closeEntry(e);
    }
  }

  #closeEntry(e: Entry): void {
    if (e.fd >= 0) { closeFd(e.fd); e.fd = -1; this.#open--; }
  }
}
