// AppendOrder: keeps the appends of one partition in the order their requests arrived while the
// batches are still prepared (validated, recompressed, possibly on the worker pool) concurrently.
// Without it a large batch sent to the pool could reach Log.append after a later small one, and
// an idempotent producer pipelining 5 requests would get OUT_OF_ORDER_SEQUENCE_NUMBER.
//
// Use: take a turn synchronously when the request arrives, prepare, `await turn.ready`, call
// Log.append (its offset assignment is synchronous), then `turn.done()` at once (also on every
// error path) so the next request's append may run.
export interface AppendTurn { readonly ready: Promise<void>; done(): void }

export class AppendOrder {
  readonly #tails = new Map<string, Promise<void>>();

  take(key: string): AppendTurn {
    const prev = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = prev.then(() => mine);
    this.#tails.set(key, tail);
    let released = false;
    return {
      ready: prev,
      done: () => {
        if (released) return;
        released = true;
        release();
        void tail.then(() => { if (this.#tails.get(key) === tail) this.#tails.delete(key); });
      },
    };
  }

  /** Partitions with a turn outstanding (tests). */
  get size(): number { return this.#tails.size; }
}
