// MemberMetadata: one member of a classic group, as the coordinator sees it.
//
// Identity: `memberId` (assigned by the coordinator: `<clientId>-<uuid>`, or
// `<groupInstanceId>-<uuid>` for a static member) and, for static members, `groupInstanceId`,
// which survives restarts of the client: a static member rejoining with an unknown member id
// replaces its old member id (the old id is then fenced with FENCED_INSTANCE_ID).
// In-flight requests: at most one pending JoinGroup (`awaitingJoin`) and one pending SyncGroup
// (`awaitingSync`), each the caller's token; a newer request of the same kind replaces the older,
// which is answered with an error by the group.
// Liveness: `heartbeatDeadline` (now + session timeout at each heartbeat, join or sync); a member
// waiting in a join or sync is kept alive until the rebalance resolves (Kafka's shouldKeepAlive).
export interface JoinProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

export type Token = number;

const EMPTY = Buffer.alloc(0);

export class MemberMetadata {
  assignment: Buffer = EMPTY;
  awaitingJoin: Token | null = null;
  awaitingSync: Token | null = null;
  heartbeatDeadline = 0;
  /** Joined during the current rebalance and never completed one (Kafka's isNew). */
  isNew = false;

  constructor(
    readonly memberId: string,
    readonly groupInstanceId: string | null,
    public clientId: string,
    public clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    public protocolType: string,
    public protocols: JoinProtocol[],
  ) {}

  get isStatic(): boolean { return this.groupInstanceId !== null; }

  /** This member's metadata for `protocol` (empty when it does not support it). */
  metadataFor(protocol: string): Buffer {
    return this.protocols.find((p) => p.name === protocol)?.metadata ?? EMPTY;
  }

  /** Same protocol names, in the same order, with the same metadata bytes. */
  sameProtocols(protocols: readonly JoinProtocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false;
    return protocols.every((p, i) => p.name === this.protocols[i]!.name && p.metadata.equals(this.protocols[i]!.metadata));
  }

  /** The first protocol of this member's preference list that is in `candidates`. */
  vote(candidates: ReadonlySet<string>): string | undefined {
    return this.protocols.find((p) => candidates.has(p.name))?.name;
  }

  /** A copy under a new member id (static member replacement), keeping assignment and settings. */
  withMemberId(memberId: string): MemberMetadata {
    const m = new MemberMetadata(memberId, this.groupInstanceId, this.clientId, this.clientHost,
      this.rebalanceTimeoutMs, this.sessionTimeoutMs, this.protocolType, this.protocols);
    m.assignment = this.assignment;
    m.heartbeatDeadline = this.heartbeatDeadline;
    return m;
  }
}
