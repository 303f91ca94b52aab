// Types for the parts of node-zookeeper-client (no bundled types) that zk-store.ts uses.
declare module 'node-zookeeper-client' {
  import type { EventEmitter } from 'node:events';

  export interface Stat { version: number; ephemeralOwner: Buffer; czxid: Buffer }
  export interface ZkEvent { type: number; name: string; path: string; getType(): number; getPath(): string }
  export interface ZkState { name: string; code: number }
  export type Watcher = (event: ZkEvent) => void;
  export type Callback<T = void> = (error: ZkException | null | undefined | Error, result: T, stat: Stat) => void;

  export interface ZkException extends Error { code: number; name: string; getCode(): number; path?: string }

  export interface Transaction {
    create(path: string, data?: Buffer | null, acls?: unknown, mode?: number): Transaction;
    create(path: string, data: Buffer | null, mode: number): Transaction;
    check(path: string, version?: number): Transaction;
    setData(path: string, data: Buffer | null, version?: number): Transaction;
    remove(path: string, version?: number): Transaction;
    commit(cb: (error: ZkException | Error | null | undefined, results: unknown[]) => void): void;
  }

  export interface Client extends EventEmitter {
    connect(): void;
    close(): void;
    getState(): ZkState;
    getSessionId(): Buffer;
    getSessionTimeout(): number;
    create(path: string, data: Buffer | null, mode: number, cb: (e: ZkException | Error | null, path: string) => void): void;
    remove(path: string, version: number, cb: (e: ZkException | Error | null) => void): void;
    removeRecursive(path: string, version: number, cb: (e: ZkException | Error | null) => void): void;
    setData(path: string, data: Buffer | null, version: number, cb: (e: ZkException | Error | null, stat: Stat) => void): void;
    getData(path: string, watcher: Watcher | undefined, cb: (e: ZkException | Error | null, data: Buffer, stat: Stat) => void): void;
    getChildren(path: string, watcher: Watcher | undefined, cb: (e: ZkException | Error | null, children: string[], stat: Stat) => void): void;
    exists(path: string, watcher: Watcher | undefined, cb: (e: ZkException | Error | null, stat: Stat | null) => void): void;
    mkdirp(path: string, data: Buffer | null, mode: number, cb: (e: ZkException | Error | null, path: string) => void): void;
    transaction(): Transaction;
  }

  export interface ClientOptions { sessionTimeout?: number; spinDelay?: number; retries?: number }
  export function createClient(connectionString: string, options?: ClientOptions): Client;

  export const CreateMode: { PERSISTENT: number; EPHEMERAL: number; PERSISTENT_SEQUENTIAL: number; EPHEMERAL_SEQUENTIAL: number };
  export const Exception: {
    OK: number; CONNECTION_LOSS: number; NO_NODE: number; BAD_VERSION: number; NODE_EXISTS: number;
    SESSION_EXPIRED: number; NOT_EMPTY: number; OPERATION_TIMEOUT: number;
  };
  export const State: { SYNC_CONNECTED: ZkState; DISCONNECTED: ZkState; EXPIRED: ZkState; AUTH_FAILED: ZkState; CONNECTED_READ_ONLY: ZkState };
  const _default: {
    createClient: typeof createClient; CreateMode: typeof CreateMode; Exception: typeof Exception; State: typeof State;
  };
  export default _default;
}
