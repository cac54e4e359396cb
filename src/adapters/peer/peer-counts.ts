/**
 * Counters of a peer network: what was sent and received, what was rejected (bad frames, by
 * reason), dropped (not sent, by reason) and refused (connections, by reason). A bad peer can only
 * make these numbers grow; it cannot make the node throw.
 */

/** Why a received frame was not delivered to subscribers. */
export type RejectReason =
  | 'oversize'        // larger than maxMessageBytes (the socket is closed: 1009)
  | 'binary'          // a binary WebSocket message (frames are JSON text)
  | 'not-json'
  | 'bad-frame'       // JSON that does not match the frame schema expected in this state
  | 'bad-signature'   // envelope signature does not verify against `from`
  | 'from-mismatch'   // envelope `from` is not the DID authenticated on this socket
  | 'duplicate'       // a (from, seq) already received
  | 'stale'           // a seq below the session's floor or outside the dedupe window (replay)
  | 'handler-error';  // a subscriber threw (the frame itself was fine)

/** Why a message was not sent. */
export type DropReason = 'queue-full' | 'not-connected' | 'socket-error';

/** Why a connection was refused or dropped during the handshake. */
export type RefuseReason =
  | 'wrong-did'          // the dialled peer is not the DID configured for that URL
  | 'unknown-peer'       // inbound DID not configured nor learned (acceptUnknownPeers is off)
  | 'blocked'
  | 'self'
  | 'bad-auth'           // the handshake signature does not verify
  | 'bad-hello'
  | 'handshake-timeout'
  | 'duplicate'          // a second socket to an already connected peer
  | 'too-many-connections'
  | 'refused-by-peer';   // the other side closed the socket during the handshake

export interface PeerCounts {
  sent: number;
  received: number;
  /** Authenticated connections made (both directions). */
  connects: number;
  disconnects: number;
  /** Outbound sockets that closed before the handshake completed without a refusal (peer down). */
  dialFailures: number;
  rejected: Record<RejectReason, number>;
  dropped: Record<DropReason, number>;
  refused: Record<RefuseReason, number>;
  /** Envelopes on topics nobody subscribed to (delivered to no one; not an error). */
  unhandled: number;
}

export function emptyPeerCounts(): PeerCounts {
  return {
    sent: 0, received: 0, connects: 0, disconnects: 0, dialFailures: 0, unhandled: 0,
    rejected: {
      'oversize': 0, 'binary': 0, 'not-json': 0, 'bad-frame': 0, 'bad-signature': 0, 'from-mismatch': 0,
      'duplicate': 0, 'stale': 0, 'handler-error': 0,
    },
    dropped: { 'queue-full': 0, 'not-connected': 0, 'socket-error': 0 },
    refused: {
      'wrong-did': 0, 'unknown-peer': 0, 'blocked': 0, 'self': 0, 'bad-auth': 0, 'bad-hello': 0,
      'handshake-timeout': 0, 'duplicate': 0, 'too-many-connections': 0, 'refused-by-peer': 0,
    },
  };
}

export function copyPeerCounts(c: PeerCounts): PeerCounts {
  return { ...c, rejected: { ...c.rejected }, dropped: { ...c.dropped }, refused: { ...c.refused } };
}
