// Group: the classic group protocol for one group, as a state machine with no sockets, disk or
// clock of its own (STYLE §8.4). Every operation takes the caller's token and `now` and returns a
// GroupResult: the responses to send (to this and to earlier, parked requests) and the records
// to append to __consumer_offsets. The coordinator appends the records first and sends the
// responses after the append resolved, then replays the records.
//
// States and transitions (Kafka's GroupMetadata/ClassicGroup):
//
//   Empty ──join──▶ PreparingRebalance ──all joined / join timeout──▶ CompletingRebalance
//     ▲                  ▲    │ (nobody left: generation+1, back to Empty)        │
//     │                  │    └──────────────────────────────────────────────────┘ leader's SyncGroup
//     │       member join/leave/expiry, leader or metadata change                   ▼
//     └──── last member leaves (via a rebalance with nobody) ◀───────────────── Stable
//   any ──delete group / all offsets expired while Empty──▶ Dead
//
// Durable vs live state: committed offsets (GroupOffsets) and the group's metadata snapshot change
// only through replay(record). Membership (members, pending joins/syncs, deadlines, generation of
// a rebalance in progress) is live state driven by the operations, as in Kafka; its durable form
// is the GroupMetadata record written when a generation becomes Stable, when the group becomes
// Empty, and when a static member's id is replaced. Loading replays those records: a group with
// members comes back Stable, and members that do not heartbeat again expire by session timeout.
//
// Timers: tick(now) expires member sessions, MEMBER_ID_REQUIRED reservations, the join phase
// (rebalance timeout; the first rebalance of an Empty group waits group.initial.rebalance.delay.ms,
// extended while new members keep arriving, up to the rebalance timeout) and the sync phase
// (members that do not SyncGroup within the rebalance timeout are removed). nextDeadline() says
// when tick next has work.
import { randomUUID } from 'node:crypto';
import { GroupOffsets } from './group-offsets.js';
import { restoreGroup, groupMetadataRecord } from './group-snapshot.js';
import { selectProtocol, supportsProtocols } from './protocol-selection.js';
import { MemberMetadata, type JoinProtocol, type Token } from './member.js';
import type { GroupRecord } from './records.js';
import { E, joinError, type Completion, type GroupResult, type JoinRequest, type JoinResponse, type LeaveResponse, type MemberRef, type SyncRequest, type SyncResponse, type HeartbeatRequest } from './group-types.js';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface GroupConfig {
  initialRebalanceDelayMs: number;
  maxSize: number;
  /** Member id suffix generator (tests make it deterministic). */
  newUuid?: () => string;
}

const EMPTY = Buffer.alloc(0);

export class Group {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  currentStateTimestamp: number;
  readonly members = new Map<string, MemberMetadata>();
  /** groupInstanceId → memberId. */
  readonly staticMembers = new Map<string, string>();
  /** Member ids handed out with MEMBER_ID_REQUIRED, with their expiry. */
  readonly pendingMembers = new Map<string, number>();
  readonly offsets = new GroupOffsets();
  #joinDeadline: number | null = null;
  #initialDelay: { remaining: number; newMemberAdded: boolean } | null = null;
  #syncDeadline: number | null = null;
  #out: GroupResult = { completions: [], records: [] };

  constructor(readonly groupId: string, readonly config: GroupConfig, now: number) {
    this.currentStateTimestamp = now;
  }

  // ------------------------------------------------------------------ helpers

  #done(): GroupResult {
    const out = this.#out;
    this.#out = { completions: [], records: [] };
    return out;
  }

  #complete(token: Token, kind: 'join' | 'sync', response: JoinResponse | SyncResponse): void {
    this.#out.completions.push({ token, kind, response } as Completion);
  }

  #syncError(token: Token, errorCode: number): void {
    this.#complete(token, 'sync', { errorCode, protocolType: null, protocolName: null, assignment: EMPTY });
  }

  #transition(state: GroupState, now: number): void {
    this.state = state;
    this.currentStateTimestamp = now;
  }

  #uuid(): string { return (this.config.newUuid ?? randomUUID)(); }

  get rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  /** Instance id given, registered, and bound to another member id. */
  isStaticMemberFenced(memberId: string, groupInstanceId: string | null): boolean {
    if (groupInstanceId === null) return false;
    const id = this.staticMembers.get(groupInstanceId);
    return id !== undefined && id !== memberId;
  }

  supportsProtocols(protocolType: string, protocols: readonly JoinProtocol[]): boolean {
    return supportsProtocols(this.members.values(), this.protocolType, protocolType, protocols);
  }

  groupMetadataRecord(now: number): GroupRecord {
    return groupMetadataRecord(this, now);
  }

  #joinResponse(m: MemberMetadata, withMembers: boolean): JoinResponse {
    const proto = this.protocolName ?? '';
    return {
      errorCode: E.NONE, generationId: this.generationId, protocolType: this.protocolType, protocolName: this.protocolName,
      leader: this.leaderId ?? '', memberId: m.memberId, skipAssignment: false,
      members: withMembers
        ? [...this.members.values()].map((x) => ({ memberId: x.memberId, groupInstanceId: x.groupInstanceId, metadata: x.metadataFor(proto) }))
        : [],
    };
  }

  // ------------------------------------------------------------------ JoinGroup

  join(token: Token, req: JoinRequest, now: number): GroupResult {
    if (this.state === 'Dead') {
      this.#complete(token, 'join', joinError(E.COORDINATOR_NOT_AVAILABLE, req.memberId));
    } else if (!this.supportsProtocols(req.protocolType, req.protocols)) {
      this.#complete(token, 'join', joinError(E.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
    } else if (req.memberId === '') {
      this.#joinUnknown(token, req, now);
    } else {
      this.#joinKnown(token, req, now);
    }
    this.#maybeCompleteJoin(now);
    return this.#done();
  }

  #isFull(): boolean {
    return this.members.size + this.pendingMembers.size >= this.config.maxSize;
  }

  #joinUnknown(token: Token, req: JoinRequest, now: number): void {
    if (req.groupInstanceId !== null) {
      const newId = `${req.groupInstanceId}-${this.#uuid()}`;
      const oldId = this.staticMembers.get(req.groupInstanceId);
      if (oldId !== undefined && this.members.has(oldId)) return this.#replaceStaticMember(token, oldId, newId, req, now);
      if (this.#isFull()) return this.#complete(token, 'join', joinError(E.GROUP_MAX_SIZE_REACHED, ''));
      return this.#addMemberAndRebalance(token, newId, req, now);
    }
    if (this.#isFull()) return this.#complete(token, 'join', joinError(E.GROUP_MAX_SIZE_REACHED, ''));
    const newId = `${req.clientId}-${this.#uuid()}`;
    if (req.requireKnownMemberId) {
      this.pendingMembers.set(newId, now + req.sessionTimeoutMs);
      return this.#complete(token, 'join', joinError(E.MEMBER_ID_REQUIRED, newId));
    }
    this.#addMemberAndRebalance(token, newId, req, now);
  }

  #joinKnown(token: Token, req: JoinRequest, now: number): void {
    if (this.pendingMembers.has(req.memberId)) {
      if (this.#isFull() && this.pendingMembers.size + this.members.size > this.config.maxSize) {
        this.pendingMembers.delete(req.memberId);
        return this.#complete(token, 'join', joinError(E.GROUP_MAX_SIZE_REACHED, req.memberId));
      }
      return this.#addMemberAndRebalance(token, req.memberId, req, now);
    }
    if (this.isStaticMemberFenced(req.memberId, req.groupInstanceId)) {
      return this.#complete(token, 'join', joinError(E.FENCED_INSTANCE_ID, req.memberId));
    }
    const m = this.members.get(req.memberId);
    if (!m) return this.#complete(token, 'join', joinError(E.UNKNOWN_MEMBER_ID, req.memberId));
    m.heartbeatDeadline = now + req.sessionTimeoutMs;
    switch (this.state) {
      case 'PreparingRebalance':
        this.#updateMember(m, req, token);
        return;
      case 'CompletingRebalance':
        if (m.sameProtocols(req.protocols)) return this.#complete(token, 'join', this.#joinResponse(m, m.memberId === this.leaderId));
        this.#updateMember(m, req, token);
        return this.#prepareRebalance(now);
      case 'Stable':
        if (m.memberId === this.leaderId || !m.sameProtocols(req.protocols)) {
          this.#updateMember(m, req, token);
          return this.#prepareRebalance(now);
        }
        return this.#complete(token, 'join', this.#joinResponse(m, false));
      default:
        return this.#complete(token, 'join', joinError(E.UNKNOWN_MEMBER_ID, req.memberId));
    }
  }

  #updateMember(m: MemberMetadata, req: JoinRequest, token: Token): void {
    if (m.awaitingJoin !== null && m.awaitingJoin !== token) {
      // A newer JoinGroup from the same member supersedes the parked one.
      this.#complete(m.awaitingJoin, 'join', joinError(E.REBALANCE_IN_PROGRESS, m.memberId));
    }
    m.protocols = req.protocols.slice();
    m.protocolType = req.protocolType;
    m.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    m.sessionTimeoutMs = req.sessionTimeoutMs;
    m.clientId = req.clientId;
    m.clientHost = req.clientHost;
    m.awaitingJoin = token;
  }

  #addMemberAndRebalance(token: Token, memberId: string, req: JoinRequest, now: number): void {
    const m = new MemberMetadata(memberId, req.groupInstanceId, req.clientId, req.clientHost,
      req.rebalanceTimeoutMs, req.sessionTimeoutMs, req.protocolType, req.protocols.slice());
    m.isNew = true;
    m.awaitingJoin = token;
    m.heartbeatDeadline = now + req.sessionTimeoutMs;
    this.pendingMembers.delete(memberId);
    if (this.members.size === 0) this.protocolType = req.protocolType;
    this.members.set(memberId, m);
    if (m.groupInstanceId !== null) this.staticMembers.set(m.groupInstanceId, memberId);
    if (this.leaderId === null) this.leaderId = memberId;
    if (this.state === 'PreparingRebalance' && this.#initialDelay) this.#initialDelay.newMemberAdded = true;
    this.#maybePrepareRebalance(now);
  }

  #replaceStaticMember(token: Token, oldId: string, newId: string, req: JoinRequest, now: number): void {
    const old = this.members.get(oldId)!;
    if (old.awaitingJoin !== null) this.#complete(old.awaitingJoin, 'join', joinError(E.FENCED_INSTANCE_ID, oldId));
    if (old.awaitingSync !== null) this.#syncError(old.awaitingSync, E.FENCED_INSTANCE_ID);
    const unchanged = old.sameProtocols(req.protocols);
    const m = old.withMemberId(newId);
    this.members.delete(oldId);
    this.members.set(newId, m);
    this.staticMembers.set(req.groupInstanceId!, newId);
    const wasLeader = this.leaderId === oldId;
    if (wasLeader) this.leaderId = newId;
    m.heartbeatDeadline = now + req.sessionTimeoutMs;
    if (this.state === 'Stable' && unchanged && !wasLeader) {
      // Same subscription: keep the assignment, persist the new member id, answer at once.
      m.clientId = req.clientId; m.clientHost = req.clientHost;
      m.sessionTimeoutMs = req.sessionTimeoutMs; m.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
      this.#out.records.push(this.groupMetadataRecord(now));
      return this.#complete(token, 'join', this.#joinResponse(m, false));
    }
    this.#updateMember(m, req, token);
    if (this.state !== 'PreparingRebalance') this.#prepareRebalance(now);
  }

  #maybePrepareRebalance(now: number): void {
    if (this.state === 'Stable' || this.state === 'CompletingRebalance' || this.state === 'Empty') this.#prepareRebalance(now);
  }

  #prepareRebalance(now: number): void {
    if (this.state === 'CompletingRebalance') {
      for (const m of this.members.values()) {
        m.assignment = EMPTY;
        if (m.awaitingSync !== null) { this.#syncError(m.awaitingSync, E.REBALANCE_IN_PROGRESS); m.awaitingSync = null; }
      }
    }
    this.#syncDeadline = null;
    if (this.state === 'Empty') {
      const delay = this.config.initialRebalanceDelayMs;
      this.#initialDelay = { remaining: Math.max(this.rebalanceTimeoutMs - delay, 0), newMemberAdded: false };
      this.#joinDeadline = now + delay;
    } else {
      this.#initialDelay = null;
      this.#joinDeadline = now + this.rebalanceTimeoutMs;
    }
    this.#transition('PreparingRebalance', now);
  }

  #allMembersJoined(): boolean {
    if (this.pendingMembers.size > 0) return false;
    for (const m of this.members.values()) if (m.awaitingJoin === null) return false;
    return true;
  }

  #maybeCompleteJoin(now: number): void {
    if (this.state !== 'PreparingRebalance' || this.#joinDeadline === null) return;
    const d = this.#initialDelay;
    if (d) {
      if (now < this.#joinDeadline) return;
      if (d.newMemberAdded && d.remaining > 0) {
        const delay = Math.min(this.config.initialRebalanceDelayMs, d.remaining);
        this.#initialDelay = { remaining: Math.max(d.remaining - this.config.initialRebalanceDelayMs, 0), newMemberAdded: false };
        this.#joinDeadline = now + delay;
        return;
      }
    } else if (!this.#allMembersJoined() && now < this.#joinDeadline) {
      return;
    }
    this.#completeJoin(now);
  }

  #completeJoin(now: number): void {
    for (const m of [...this.members.values()]) {
      if (m.awaitingJoin === null && !m.isStatic) this.#removeMember(m);
    }
    this.#joinDeadline = null;
    this.#initialDelay = null;
    this.generationId++;
    if (this.members.size === 0) {
      this.protocolName = null;
      this.leaderId = null;
      this.#transition('Empty', now);
      this.#out.records.push(this.groupMetadataRecord(now));
      return;
    }
    this.protocolName = selectProtocol(this.members.values());
    const leader = this.leaderId !== null ? this.members.get(this.leaderId) : undefined;
    if (!leader || leader.awaitingJoin === null) {
      this.leaderId = [...this.members.values()].find((m) => m.awaitingJoin !== null)?.memberId ?? this.members.keys().next().value!;
    }
    this.#transition('CompletingRebalance', now);
    for (const m of this.members.values()) {
      if (m.awaitingJoin === null) continue;
      this.#complete(m.awaitingJoin, 'join', this.#joinResponse(m, m.memberId === this.leaderId));
      m.awaitingJoin = null;
      m.isNew = false;
      m.heartbeatDeadline = now + m.sessionTimeoutMs;
    }
    this.#syncDeadline = now + this.rebalanceTimeoutMs;
  }

  // ------------------------------------------------------------------ SyncGroup / Heartbeat

  sync(token: Token, req: SyncRequest, now: number): GroupResult {
    const code = this.#checkMember(req.memberId, req.groupInstanceId, req.generationId);
    const m = this.members.get(req.memberId);
    if (code !== E.NONE || !m) {
      this.#syncError(token, code);
    } else if ((req.protocolType !== null && req.protocolType !== this.protocolType)
      || (req.protocolName !== null && req.protocolName !== this.protocolName)) {
      this.#syncError(token, E.INCONSISTENT_GROUP_PROTOCOL);
    } else if (this.state === 'PreparingRebalance') {
      this.#syncError(token, E.REBALANCE_IN_PROGRESS);
    } else if (this.state === 'Stable') {
      m.heartbeatDeadline = now + m.sessionTimeoutMs;
      this.#complete(token, 'sync', this.#syncOk(m));
    } else {
      // CompletingRebalance
      if (m.awaitingSync !== null) this.#syncError(m.awaitingSync, E.REBALANCE_IN_PROGRESS);
      m.awaitingSync = token;
      m.heartbeatDeadline = now + m.sessionTimeoutMs;
      if (m.memberId === this.leaderId) {
        const given = new Map(req.assignments.map((a) => [a.memberId, a.assignment]));
        for (const x of this.members.values()) x.assignment = given.get(x.memberId) ?? EMPTY;
        this.#syncDeadline = null;
        this.#transition('Stable', now);
        this.#out.records.push(this.groupMetadataRecord(now));
        for (const x of this.members.values()) {
          if (x.awaitingSync === null) continue;
          this.#complete(x.awaitingSync, 'sync', this.#syncOk(x));
          x.awaitingSync = null;
        }
      }
    }
    return this.#done();
  }

  #syncOk(m: MemberMetadata): SyncResponse {
    return { errorCode: E.NONE, protocolType: this.protocolType, protocolName: this.protocolName, assignment: m.assignment };
  }

  /** Kafka's checks shared by SyncGroup and Heartbeat, in Kafka's order. */
  #checkMember(memberId: string, groupInstanceId: string | null, generationId: number): number {
    if (this.state === 'Dead') return E.COORDINATOR_NOT_AVAILABLE;
    if (this.isStaticMemberFenced(memberId, groupInstanceId)) return E.FENCED_INSTANCE_ID;
    if (!this.members.has(memberId)) return E.UNKNOWN_MEMBER_ID;
    if (generationId !== this.generationId) return E.ILLEGAL_GENERATION;
    if (this.state === 'Empty') return E.UNKNOWN_MEMBER_ID;
    return E.NONE;
  }

  heartbeat(req: HeartbeatRequest, now: number): number {
    const code = this.#checkMember(req.memberId, req.groupInstanceId, req.generationId);
    if (code !== E.NONE) return code;
    const m = this.members.get(req.memberId)!;
    m.heartbeatDeadline = now + m.sessionTimeoutMs;
    return this.state === 'PreparingRebalance' ? E.REBALANCE_IN_PROGRESS : E.NONE;
  }

  // ------------------------------------------------------------------ LeaveGroup, removal

  leave(members: readonly MemberRef[], now: number): { response: LeaveResponse } & GroupResult {
    if (this.state === 'Dead') {
      return { response: { errorCode: E.COORDINATOR_NOT_AVAILABLE, members: [] }, ...this.#done() };
    }
    const results = members.map((ref) => ({ ...ref, errorCode: this.#leaveOne(ref, now) }));
    this.#maybeCompleteJoin(now);
    return { response: { errorCode: E.NONE, members: results }, ...this.#done() };
  }

  #leaveOne(ref: MemberRef, now: number): number {
    let memberId = ref.memberId;
    if (memberId === '' && ref.groupInstanceId !== null) {
      const id = this.staticMembers.get(ref.groupInstanceId);
      if (id === undefined) return E.UNKNOWN_MEMBER_ID;
      memberId = id;
    } else if (this.isStaticMemberFenced(memberId, ref.groupInstanceId)) {
      return E.FENCED_INSTANCE_ID;
    }
    if (this.pendingMembers.delete(memberId)) return E.NONE;
    const m = this.members.get(memberId);
    if (!m) return E.UNKNOWN_MEMBER_ID;
    this.#removeMemberAndUpdate(m, now);
    return E.NONE;
  }

  #removeMember(m: MemberMetadata): void {
    if (m.awaitingJoin !== null) this.#complete(m.awaitingJoin, 'join', joinError(E.UNKNOWN_MEMBER_ID, m.memberId));
    if (m.awaitingSync !== null) this.#syncError(m.awaitingSync, E.UNKNOWN_MEMBER_ID);
    m.awaitingJoin = null;
    m.awaitingSync = null;
    this.members.delete(m.memberId);
    if (m.groupInstanceId !== null && this.staticMembers.get(m.groupInstanceId) === m.memberId) this.staticMembers.delete(m.groupInstanceId);
    if (this.leaderId === m.memberId) this.leaderId = this.members.keys().next().value ?? null;
  }

  #removeMemberAndUpdate(m: MemberMetadata, now: number): void {
    this.#removeMember(m);
    if (this.state === 'Stable' || this.state === 'CompletingRebalance') this.#prepareRebalance(now);
    this.#maybeCompleteJoin(now);
  }

  // ------------------------------------------------------------------ timers

  tick(now: number): GroupResult {
    for (const [id, deadline] of this.pendingMembers) if (deadline <= now) this.pendingMembers.delete(id);
    for (const m of [...this.members.values()]) {
      if (m.awaitingJoin === null && m.awaitingSync === null && m.heartbeatDeadline <= now && this.members.has(m.memberId)) {
        this.#removeMemberAndUpdate(m, now);
      }
    }
    if (this.state === 'CompletingRebalance' && this.#syncDeadline !== null && this.#syncDeadline <= now) {
      for (const m of [...this.members.values()]) if (m.awaitingSync === null) this.#removeMember(m);
      this.#prepareRebalance(now);
    }
    this.#maybeCompleteJoin(now);
    return this.#done();
  }

  /** Earliest time tick() has something to do, or null. */
  nextDeadline(): number | null {
    let t = Infinity;
    for (const d of this.pendingMembers.values()) t = Math.min(t, d);
    for (const m of this.members.values()) if (m.awaitingJoin === null && m.awaitingSync === null) t = Math.min(t, m.heartbeatDeadline);
    if (this.state === 'PreparingRebalance' && this.#joinDeadline !== null) t = Math.min(t, this.#joinDeadline);
    if (this.state === 'CompletingRebalance' && this.#syncDeadline !== null) t = Math.min(t, this.#syncDeadline);
    return t === Infinity ? null : t;
  }

  /** The append of this group's metadata record failed: its generation cannot be trusted; rebalance. */
  storeFailed(generationId: number, now: number): GroupResult {
    if (generationId === this.generationId && this.state === 'Stable') {
      for (const m of this.members.values()) m.assignment = EMPTY;
      this.#prepareRebalance(now);
      this.#maybeCompleteJoin(now);
    }
    return this.#done();
  }

  // ------------------------------------------------------------------ persistence

  /** Marks the group deleted (DeleteGroups, expiry); the coordinator writes the tombstones. */
  markDead(now: number): void {
    for (const m of [...this.members.values()]) this.#removeMember(m);
    this.pendingMembers.clear();
    this.#joinDeadline = null;
    this.#syncDeadline = null;
    this.#transition('Dead', now);
  }

  /**
   * Applies a record read from __consumer_offsets: offsets always; a group tombstone marks the
   * group Dead; a GroupMetadata value rebuilds the membership. The coordinator replays group
   * metadata values only while loading: at run time the live group produced them and already
   * holds that state.
   */
  replay(r: GroupRecord, now: number): void {
    if (r.type === 'offset') {
      this.offsets.replay(r);
      return;
    }
    if (r.value === null) {
      this.markDead(now);
      return;
    }
    restoreGroup(this, r.value, now);
  }
}
