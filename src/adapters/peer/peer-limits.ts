/**
 * Bounds of the peer network (CONVENTIONS: everything that a peer can make grow is bounded).
 * Defaults suit a microgrid: a handful of nodes, messages of a few kB, links that may drop for hours.
 */
import { PeerError } from './peer-errors.js';

export interface ReconnectPolicy {
  /** First retry after this many ms; doubles per failed attempt. */
  readonly initialMs: number;
  /** Cap of the delay between attempts. */
  readonly maxMs: number;
  /** ± this fraction of random spread on each delay (0 = exact; tests use 0). */
  readonly jitter: number;
}

export interface PeerLimits {
  /** Largest WebSocket message accepted or sent, bytes (the whole JSON frame). */
  readonly maxMessageBytes: number;
  /** Messages handed to a peer's socket and not yet written out; more are dropped and counted. */
  readonly maxQueuedMessagesPerPeer: number;
  /** Sequence numbers remembered per sender for duplicate detection. */
  readonly dedupeWindow: number;
  /** Open sockets (inbound and outbound, in handshake or authenticated). */
  readonly maxConnections: number;
  /** Peers learned from configured peers' hellos (dialled like configured ones). */
  readonly maxLearnedPeers: number;
  /** Peer addresses a hello carries. */
  readonly maxHelloPeers: number;
  /** A socket that has not finished the handshake in this time is closed. */
  readonly handshakeTimeoutMs: number;
  /** WebSocket ping period; a peer that has not answered the previous ping is dropped. 0 = off. */
  readonly pingIntervalMs: number;
  /** How long `close()` waits for peers to acknowledge the close before cutting the sockets. */
  readonly closeTimeoutMs: number;
  readonly reconnect: ReconnectPolicy;
}

export const DEFAULT_PEER_LIMITS: PeerLimits = {
  maxMessageBytes: 64 * 1024,
  maxQueuedMessagesPerPeer: 256,
  dedupeWindow: 1024,
  maxConnections: 64,
  maxLearnedPeers: 16,
  maxHelloPeers: 16,
  handshakeTimeoutMs: 5_000,
  pingIntervalMs: 10_000,
  closeTimeoutMs: 2_000,
  reconnect: { initialMs: 250, maxMs: 30_000, jitter: 0.2 },
};

export type PeerLimitsInput = Partial<Omit<PeerLimits, 'reconnect'>> & { readonly reconnect?: Partial<ReconnectPolicy> };

/** Defaults overridden by `input`, each checked. */
export function resolvePeerLimits(input: PeerLimitsInput = {}): PeerLimits {
  const d = DEFAULT_PEER_LIMITS;
  const reconnect: ReconnectPolicy = {
    initialMs: positiveInteger(input.reconnect?.initialMs ?? d.reconnect.initialMs, 'reconnect.initialMs'),
    maxMs: positiveInteger(input.reconnect?.maxMs ?? d.reconnect.maxMs, 'reconnect.maxMs'),
    jitter: fraction(input.reconnect?.jitter ?? d.reconnect.jitter, 'reconnect.jitter'),
  };
  if (reconnect.maxMs < reconnect.initialMs) throw new PeerError('bad-config', 'reconnect.maxMs must be at least reconnect.initialMs');
  const limits: PeerLimits = {
    maxMessageBytes: positiveInteger(input.maxMessageBytes ?? d.maxMessageBytes, 'maxMessageBytes'),
    maxQueuedMessagesPerPeer: positiveInteger(input.maxQueuedMessagesPerPeer ?? d.maxQueuedMessagesPerPeer, 'maxQueuedMessagesPerPeer'),
    dedupeWindow: positiveInteger(input.dedupeWindow ?? d.dedupeWindow, 'dedupeWindow'),
    maxConnections: positiveInteger(input.maxConnections ?? d.maxConnections, 'maxConnections'),
    maxLearnedPeers: nonNegativeInteger(input.maxLearnedPeers ?? d.maxLearnedPeers, 'maxLearnedPeers'),
    maxHelloPeers: nonNegativeInteger(input.maxHelloPeers ?? d.maxHelloPeers, 'maxHelloPeers'),
    handshakeTimeoutMs: positiveInteger(input.handshakeTimeoutMs ?? d.handshakeTimeoutMs, 'handshakeTimeoutMs'),
    pingIntervalMs: nonNegativeInteger(input.pingIntervalMs ?? d.pingIntervalMs, 'pingIntervalMs'),
    closeTimeoutMs: positiveInteger(input.closeTimeoutMs ?? d.closeTimeoutMs, 'closeTimeoutMs'),
    reconnect,
  };
  if (limits.maxMessageBytes < 4096) throw new PeerError('bad-config', 'maxMessageBytes must be at least 4096 (a hello must fit)');
  return limits;
}

function positiveInteger(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new PeerError('bad-config', `${field}: expected a positive integer (got ${value})`);
  return value;
}

function nonNegativeInteger(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new PeerError('bad-config', `${field}: expected a non-negative integer (got ${value})`);
  return value;
}

function fraction(value: number, field: string): number {
  if (!(value >= 0 && value < 1)) throw new PeerError('bad-config', `${field}: expected a number in [0, 1) (got ${value})`);
  return value;
}
