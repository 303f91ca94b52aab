// Protocol selection for a classic group (Kafka's GroupMetadata.selectProtocol): the candidates
// are the protocols every member supports; each member votes for the first candidate in its own
// preference order; most votes wins (a tie goes to the protocol voted for first). A joining
// member is compatible when its protocol type matches the group's and it supports at least one
// candidate (else INCONSISTENT_GROUP_PROTOCOL).
import type { JoinProtocol, MemberMetadata } from './member.js';

/** Protocols every member supports (empty for no members). */
export function candidateProtocols(members: Iterable<MemberMetadata>): Set<string> {
  const all = [...members];
  if (all.length === 0) return new Set<string>();
  const out = new Set<string>(all[0]!.protocols.map((p) => p.name));
  for (const m of all.slice(1)) {
    for (const name of [...out]) if (!m.protocols.some((p) => p.name === name)) out.delete(name);
  }
  return out;
}

export function supportsProtocols(members: Iterable<MemberMetadata>, groupProtocolType: string | null,
  protocolType: string, protocols: readonly JoinProtocol[]): boolean {
  if (protocolType === '' || protocols.length === 0) return false;
  const all = [...members];
  if (all.length === 0) return true;
  if (protocolType !== groupProtocolType) return false;
  const candidates = candidateProtocols(all);
  return protocols.some((p) => candidates.has(p.name));
}

export function selectProtocol(members: Iterable<MemberMetadata>): string {
  const all = [...members];
  const candidates = candidateProtocols(all);
  const votes = new Map<string, number>();
  for (const m of all) {
    const v = m.vote(candidates);
    if (v !== undefined) votes.set(v, (votes.get(v) ?? 0) + 1);
  }
  let best = '';
  let bestVotes = -1;
  for (const [name, n] of votes) if (n > bestVotes) { best = name; bestVotes = n; }
  return best;
}
