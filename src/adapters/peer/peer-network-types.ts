/** The public shapes of the peer network (peer-network.ts) and the interface the layers above use. */
import type { KeyPair } from '../../core/identity/key-pair.js';
import type { JsonValue } from './canonical-json.js';
import type { PeerLimitsInput } from './peer-limits.js';

/** A peer this node knows: its DID and, if this node should dial it, its URL. */
export interface PeerConfig {
  readonly did: string;
  readonly url?: string;
}

export interface PeerNetworkOptions {
  readonly key: KeyPair;
  /** Where to listen; port 0 = an ephemeral port (see `url`). */
  readonly listen: { readonly host: string; readonly port: number };
  readonly peers?: readonly PeerConfig[];
  /** The URL announced to peers in the hello; default `ws://host:port` unless host is a wildcard. */
  readonly advertiseUrl?: string;
  /** Accept inbound peers whose DID is not configured nor learned (default false). */
  readonly acceptUnknownPeers?: boolean;
  /** Learn peers from the hellos of configured peers (default true). */
  readonly learnPeers?: boolean;
  readonly limits?: PeerLimitsInput;
  /** Wall clock, ms since the epoch (default Date.now): envelope times, last seen, first seq. */
  readonly nowMs?: () => number;
  /** Random numbers in [0, 1) for the backoff jitter (default Math.random). */
  readonly random?: () => number;
}

/** A verified message from a peer. */
export interface PeerMessage {
  readonly from: string;
  readonly topic: string;
  readonly seq: number;
  readonly sentAtMs: number;
  readonly body: JsonValue;
}

export type PeerHandler = (message: PeerMessage) => void | Promise<void>;

/** How this node came to know a peer. */
export type PeerSource = 'configured' | 'learned' | 'inbound';

export interface PeerStatus {
  readonly did: string;
  readonly url?: string;
  readonly source: PeerSource;
  readonly connected: boolean;
  readonly blocked: boolean;
  /** Last frame or pong from this peer (undefined: never connected). */
  readonly lastSeenMs?: number;
}

/** A peer's authenticated connection came up (again) or went down. */
export interface PeerEvent {
  readonly did: string;
  readonly connected: boolean;
}

export interface PublishOptions {
  /** DIDs not to send to (e.g. the peer a relayed vote came from). */
  readonly exclude?: readonly string[];
}

/** What the layers above need of a peer network (so they can be tested without sockets). */
export interface PeerMessaging {
  readonly did: string;
  publish(topic: string, body: JsonValue, options?: PublishOptions): number;
  send(did: string, topic: string, body: JsonValue): boolean;
  subscribe(topic: string, handler: PeerHandler): () => void;
  onPeer(handler: (event: PeerEvent) => void): () => void;
}
