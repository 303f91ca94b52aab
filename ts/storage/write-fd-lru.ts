// WriteFdLru: bounds how many segments hold write fds at once (3 fds each: .log, .index,
// .timeindex). Only active segments ever open write fds, but 10,000 idle partitions would still
// hold 30,000 fds; with this bound an idle partition's active segment closes its write fds and
// reopens them on its next append (one async open, off the event loop).
//
// Contract: a segment calls opened() after opening, touch() before each write job, closed() when
// it closes its fds. Eviction calls `releaseWriteFds()`, which the segment ignores while a write
// job is in flight (it is then retried on the next eviction pass). Closing a write fd without
// fdatasync loses nothing: the segment stays dirty and a later flush reopens and syncs the file
// (fsync syncs the inode, whichever fd it goes through).
export interface WriteFdHolder {
  releaseWriteFds(): boolean;
}

export class WriteFdLru {
  readonly #open = new Set<WriteFdHolder>(); // insertion order = LRU order

  constructor(readonly capacity = 1000) {}

  get size(): number { return this.#open.size; }

  opened(seg: WriteFdHolder): void { this.touch(seg); }

  touch(seg: WriteFdHolder): void {
    this.#open.delete(seg);
    this.#open.add(seg);
    if (this.#open.size > this.capacity) this.#evict();
  }

  closed(seg: WriteFdHolder): void { this.#open.delete(seg); }

  #evict(): void {
    for (const seg of this.#open) {
      if (this.#open.size <= this.capacity) return;
      if (seg.releaseWriteFds()) this.#open.delete(seg);
    }
  }
}
