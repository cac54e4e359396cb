/** Peer network between gridmesh nodes and statement co-signing over it (ADR 0014, docs/peer-network.md). */
export { PeerNetwork } from './peer-network.js';
export type {
  PeerConfig, PeerEvent, PeerHandler, PeerMessage, PeerMessaging, PeerNetworkOptions, PeerSource, PeerStatus, PublishOptions,
} from './peer-network.js';
export { DEFAULT_PEER_LIMITS, resolvePeerLimits } from './peer-limits.js';
export type { PeerLimits, PeerLimitsInput, ReconnectPolicy } from './peer-limits.js';
export type { DropReason, PeerCounts, RefuseReason, RejectReason } from './peer-counts.js';
export { PeerError } from './peer-errors.js';
export type { PeerFailure } from './peer-errors.js';
export { canonicalJson } from './canonical-json.js';
export type { JsonValue } from './canonical-json.js';
export { StatementCoSigner, CO_SIGNER_DEFAULTS } from './statement-co-signer.js';
export type {
  CoSignerCounts, DissentReport, FinalRound, NoQuorumRound, RoundView, StatementCoSignerOptions, VoteRejectReason,
} from './statement-co-signer.js';
export { SUMMARY_TOPIC, VOTES_TOPIC } from './cosign-wire.js';
