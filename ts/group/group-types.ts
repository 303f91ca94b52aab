// Request/response shapes of the group state machine (version-independent; the handlers map
// them to and from each API version) and the Kafka error codes it answers with.
import type { JoinProtocol, Token } from './member.js';
import type { GroupRecord } from './records.js';

/** Kafka error codes used by the group coordinator (Errors.java). */
export const E = {
  NONE: 0,
  UNKNOWN_SERVER_ERROR: -1,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  OFFSET_METADATA_TOO_LARGE: 12,
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
  INVALID_COMMIT_OFFSET_SIZE: 28,
  INVALID_REQUEST: 42,
  NON_EMPTY_GROUP: 68,
  GROUP_ID_NOT_FOUND: 69,
  MEMBER_ID_REQUIRED: 79,
  GROUP_MAX_SIZE_REACHED: 81,
  FENCED_INSTANCE_ID: 82,
  GROUP_SUBSCRIBED_TO_TOPIC: 86,
  UNSTABLE_OFFSET_COMMIT: 88,
} as const;

export interface JoinRequest {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: JoinProtocol[];
  /** JoinGroup v4+ without a group instance id: a new member first gets MEMBER_ID_REQUIRED. */
  requireKnownMemberId: boolean;
}

export interface JoinResponseMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface JoinResponse {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  memberId: string;
  skipAssignment: boolean;
  members: JoinResponseMember[];
}

export interface SyncRequest {
  memberId: string;
  groupInstanceId: string | null;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  assignments: Array<{ memberId: string; assignment: Buffer }>;
}

export interface SyncResponse {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export interface HeartbeatRequest {
  memberId: string;
  groupInstanceId: string | null;
  generationId: number;
}

export interface MemberRef {
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeaveResponse {
  errorCode: number;
  members: Array<MemberRef & { errorCode: number }>;
}

export type Completion =
  | { token: Token; kind: 'join'; response: JoinResponse }
  | { token: Token; kind: 'sync'; response: SyncResponse };

/** What an operation produced: responses to send once `records` are appended. */
export interface GroupResult {
  completions: Completion[];
  records: GroupRecord[];
}

export function joinError(errorCode: number, memberId: string): JoinResponse {
  return { errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId, skipAssignment: false, members: [] };
}
