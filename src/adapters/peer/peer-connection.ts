/**
 * One peer socket: the handshake state machine (peer-handshake.ts), frame checks, the per-peer send
 * bound and liveness (WebSocket ping/pong). Policy (who is admitted, what happens to envelopes, when
 * to redial) belongs to the network (peer-network.ts), reached through `ConnectionHost`.
 *
 * States: handshake (waiting for the hello, then the auth) → ready → closed. Any bad frame during
 * the handshake closes the socket; once ready, a bad frame is counted and dropped and the socket
 * stays up (one corrupt message must not cut a microgrid link).
 */
import type { KeyObject } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';
import { publicKeyObjectOfDid } from '../../core/identity/did-key.js';
import type { KeyPair } from '../../core/identity/key-pair.js';
import { DedupeWindow } from './dedupe-window.js';
import { verifyEnvelope } from './envelope-signing.js';
import type { DropReason, RefuseReason, RejectReason } from './peer-counts.js';
import { makeAuth, verifyAuth } from './peer-handshake.js';
import type { PeerLimits } from './peer-limits.js';
import { authSchema, envelopeSchema, helloSchema, type Envelope, type Hello } from './wire-frames.js';

export type Direction = 'inbound' | 'outbound';

/** WebSocket close codes of refusals (4000–4999 are free for applications). */
export const CLOSE_CODES: Readonly<Record<RefuseReason, number>> = {
  'bad-hello': 4001,
  'wrong-did': 4002,
  'blocked': 4003,
  'unknown-peer': 4004,
  'duplicate': 4005,
  'self': 4006,
  'bad-auth': 4007,
  'handshake-timeout': 4008,
  'too-many-connections': 4009,
  'refused-by-peer': 4010,
};
export const CLOSE_GOING_AWAY = 1001;

export interface ConnectionHost {
  readonly key: KeyPair;
  readonly limits: PeerLimits;
  nowMs(): number;
  /** Why this hello's DID may not connect (blocked, unknown), or undefined to go on. */
  admit(connection: PeerConnection, hello: Hello): RefuseReason | undefined;
  /** The handshake completed; a reason refuses the socket (a duplicate). */
  ready(connection: PeerConnection): RefuseReason | undefined;
  envelope(connection: PeerConnection, envelope: Envelope): void;
  rejected(reason: RejectReason): void;
  refused(reason: RefuseReason): void;
  dropped(reason: DropReason): void;
  closed(connection: PeerConnection): void;
}

export class PeerConnection {
  state: 'handshake' | 'ready' | 'closed' = 'handshake';
  /** The peer's DID, once its hello has been admitted. */
  peerDid: string | undefined;
  /** The peer's hello, once admitted. */
  peerHello: Hello | undefined;
  lastSeenMs: number;
  private theirHelloRaw: unknown;
  private myHello: Hello | undefined;
  private publicKey: KeyObject | undefined;
  private inFlight = 0;
  private awaitingPong = false;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private dedupe: DedupeWindow | undefined;
  private closeWaiters: (() => void)[] = [];
  /** This side closed the socket. */
  closedLocally = false;
  /** The handshake completed at some point. */
  wasReady = false;
  /** The other side closed the socket with a refusal code during the handshake. */
  refusedByPeer = false;

  constructor(
    readonly ws: WebSocket,
    readonly direction: Direction,
    /** Outbound: the DID configured for the dialled URL. */
    readonly expectedDid: string | undefined,
    /** Builds this side's hello when the socket opens (so it lists the peers known then). */
    helloFactory: () => Hello,
    private readonly host: ConnectionHost,
  ) {
    this.lastSeenMs = host.nowMs();
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => { this.awaitingPong = false; this.lastSeenMs = host.nowMs(); });
    ws.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') host.rejected('oversize');
    });
    ws.on('close', (code) => this.onClose(code));
    this.handshakeTimer = setTimeout(() => this.refuse('handshake-timeout'), host.limits.handshakeTimeoutMs);
    const sendHello = (): void => {
      this.myHello = helloFactory();
      this.sendRaw(JSON.stringify(this.myHello));
    };
    if (direction === 'inbound') sendHello();
    else ws.once('open', sendHello);
  }

  /** Which side dialled: used to pick the same socket on both ends when two exist. */
  get dialerDid(): string | undefined {
    return this.direction === 'outbound' ? this.host.key.did : this.peerDid;
  }

  /** Queues an already encoded envelope; false (and counted) when the peer's queue is full. */
  send(text: string): boolean {
    if (this.state !== 'ready') {
      this.host.dropped('not-connected');
      return false;
    }
    if (this.inFlight >= this.host.limits.maxQueuedMessagesPerPeer) {
      this.host.dropped('queue-full');
      return false;
    }
    this.inFlight++;
    this.ws.send(text, (error) => {
      this.inFlight--;
      if (error !== undefined && error !== null) this.host.dropped('socket-error');
    });
    return true;
  }

  /** Called every ping interval: a peer that did not answer the last ping is cut. */
  pingTick(): void {
    if (this.state !== 'ready') return;
    if (this.awaitingPong) {
      this.ws.terminate();
      return;
    }
    this.awaitingPong = true;
    this.ws.ping();
  }

  /** Closes with a refusal code (counted). */
  refuse(reason: RefuseReason): void {
    if (this.state === 'closed' || this.closedLocally) return;
    this.host.refused(reason);
    this.close(CLOSE_CODES[reason], reason);
  }

  close(code: number = CLOSE_GOING_AWAY, reason = 'going away'): void {
    this.closedLocally = true;
    this.clearHandshakeTimer();
    const ws = this.ws;
    if (ws.readyState === ws.CLOSED) return;
    if (ws.readyState === ws.CONNECTING) ws.terminate();
    else ws.close(code, reason);
  }

  /** Resolves once the socket has closed. */
  whenClosed(): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    // After this side refused the socket, what the peer still sends is moot.
    if (this.state === 'closed' || (this.closedLocally && this.state === 'handshake')) return;
    this.lastSeenMs = this.host.nowMs();
    this.awaitingPong = false;
    if (isBinary) return this.bad('binary');
    const text = (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.bad('not-json');
    }
    if (this.state === 'ready') this.onEnvelope(value);
    else if (this.peerHello === undefined) this.onHello(value);
    else this.onAuth(value);
  }

  private onHello(value: unknown): void {
    const parsed = helloSchema.safeParse(value);
    if (!parsed.success) return this.refuse('bad-hello');
    const hello = parsed.data;
    if (hello.did === this.host.key.did) return this.refuse('self');
    if (this.expectedDid !== undefined && hello.did !== this.expectedDid) return this.refuse('wrong-did');
    try {
      this.publicKey = publicKeyObjectOfDid(hello.did);
    } catch {
      return this.refuse('bad-hello');
    }
    this.peerDid = hello.did;
    const refusal = this.host.admit(this, hello);
    if (refusal !== undefined) return this.refuse(refusal);
    this.peerHello = hello;
    this.theirHelloRaw = value;
    this.sendRaw(JSON.stringify(makeAuth(this.host.key, this.myHello as Hello, hello)));
  }

  private onAuth(value: unknown): void {
    const parsed = authSchema.safeParse(value);
    const hello = this.peerHello as Hello;
    if (!parsed.success || !verifyAuth(parsed.data, this.myHello as Hello, this.theirHelloRaw, this.publicKey as KeyObject)) {
      return this.refuse('bad-auth');
    }
    this.clearHandshakeTimer();
    this.dedupe = new DedupeWindow(this.host.limits.dedupeWindow, hello.seq);
    this.state = 'ready';
    this.wasReady = true;
    const refusal = this.host.ready(this);
    if (refusal !== undefined) this.refuse(refusal);
  }

  private onEnvelope(value: unknown): void {
    const parsed = envelopeSchema.safeParse(value);
    if (!parsed.success) return this.bad('bad-frame');
    const envelope = parsed.data;
    if (envelope.from !== this.peerDid) return this.bad('from-mismatch');
    if (!verifyEnvelope(envelope, this.publicKey as KeyObject)) return this.bad('bad-signature');
    const verdict = (this.dedupe as DedupeWindow).check(envelope.seq);
    if (verdict !== 'new') return this.bad(verdict);
    this.host.envelope(this, envelope);
  }

  /** A bad frame: counted; during the handshake it also ends the socket. */
  private bad(reason: RejectReason): void {
    this.host.rejected(reason);
    if (this.state === 'handshake') this.refuse(this.peerHello === undefined ? 'bad-hello' : 'bad-auth');
  }

  private sendRaw(text: string): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(text);
  }

  private onClose(code: number): void {
    if (this.state === 'closed') return;
    const wasHandshake = this.state === 'handshake';
    this.state = 'closed';
    this.clearHandshakeTimer();
    if (wasHandshake && !this.closedLocally && code >= 4000 && code < 5000) {
      this.refusedByPeer = true;
      this.host.refused('refused-by-peer');
    }
    this.host.closed(this);
    for (const resolve of this.closeWaiters.splice(0)) resolve();
  }

  private clearHandshakeTimer(): void {
    if (this.handshakeTimer !== undefined) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = undefined;
  }
}
