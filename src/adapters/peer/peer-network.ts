/**
 * Signed messaging between the gridmesh nodes of a microgrid (its controller nodes and its DSO
 * node) over WebSockets between configured peers (ADR 0014, docs/peer-network.md).
 *
 * Each node listens and dials every peer it knows a URL for, redialling with capped exponential
 * backoff. Both ends of a socket prove their did:key (peer-handshake.ts); a dialled peer must be the
 * DID configured for its URL, and an inbound DID that is neither configured nor learned is refused
 * unless `acceptUnknownPeers`. Peers also learn the addresses their configured peers announce in
 * their hellos (bounded, one hop). Every envelope is signed by its sender and checked on receipt.
 *
 * Delivery is best effort and direct (no relaying, no store-and-forward): `publish` reaches the
 * peers connected now. What must survive a cut (statement votes) is reconciled on reconnection by
 * the layer above (statement-co-signer.ts).
 */
import { createServer, type Server } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { isDidKey } from '../../core/identity/did-key.js';
import { isJsonValue, type JsonValue } from './canonical-json.js';
import { checkPeerConfig, checkPeerNetworkOptions } from './peer-config-checks.js';
import { signEnvelope } from './envelope-signing.js';
import { CLOSE_CODES, PeerConnection, type ConnectionHost } from './peer-connection.js';
import { copyPeerCounts, emptyPeerCounts, type PeerCounts } from './peer-counts.js';
import { PeerError } from './peer-errors.js';
import { makeHello, newChallenge } from './peer-handshake.js';
import { resolvePeerLimits, type PeerLimits } from './peer-limits.js';
import { reconnectDelayMs } from './reconnect-backoff.js';
import type {
  PeerConfig, PeerEvent, PeerHandler, PeerMessage, PeerMessaging, PeerNetworkOptions, PeerSource, PeerStatus, PublishOptions,
} from './peer-network-types.js';
import { isTopic, WIRE_VERSION, type Envelope, type Hello } from './wire-frames.js';
import { listenTcp } from '../tcp-listen.js';

export type {
  PeerConfig, PeerEvent, PeerHandler, PeerMessage, PeerMessaging, PeerNetworkOptions, PeerSource, PeerStatus, PublishOptions,
} from './peer-network-types.js';

interface PeerState {
  readonly did: string;
  url: string | undefined;
  source: PeerSource;
  /** The authenticated connection in use. */
  ready: PeerConnection | undefined;
  /** An outbound socket in handshake. */
  dialing: PeerConnection | undefined;
  attempt: number;
  timer: NodeJS.Timeout | undefined;
  lastSeenMs: number | undefined;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

export class PeerNetwork implements PeerMessaging {
  readonly did: string;
  /** `ws://host:port` where this node listens (the actual port when 0 was asked). */
  readonly url: string;
  readonly limits: PeerLimits;
  private readonly peerStates = new Map<string, PeerState>();
  private readonly blocked = new Set<string>();
  private readonly connections = new Set<PeerConnection>();
  private readonly subscriptions = new Map<string, Set<PeerHandler>>();
  private readonly peerListeners = new Set<(event: PeerEvent) => void>();
  private readonly counters = emptyPeerCounts();
  private readonly host: ConnectionHost;
  private readonly nowMs: () => number;
  private readonly random: () => number;
  private readonly advertiseUrl: string | undefined;
  private nextSeq: number;
  private learnedCount = 0;
  private pingTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly options: PeerNetworkOptions,
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    port: number,
    limits: PeerLimits,
  ) {
    this.did = options.key.did;
    this.limits = limits;
    this.nowMs = options.nowMs ?? Date.now;
    this.random = options.random ?? Math.random;
    const host = options.listen.host;
    this.url = `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;
    this.advertiseUrl = options.advertiseUrl ?? (WILDCARD_HOSTS.has(host) ? undefined : this.url);
    // Seqs continue across restarts as long as the clock moves forward (replays of an earlier
    // session fall below the hello's seq); 1000 per ms lasts past the year 2250 in a safe integer.
    this.nextSeq = Math.max(0, Math.floor(this.nowMs())) * 1000;
    this.host = {
      key: options.key,
      limits,
      nowMs: this.nowMs,
      admit: (connection, hello) => this.admit(connection, hello),
      ready: (connection) => this.onReady(connection),
      envelope: (connection, envelope) => this.onEnvelope(connection, envelope),
      rejected: (reason) => { this.counters.rejected[reason]++; },
      refused: (reason) => { this.counters.refused[reason]++; },
      dropped: (reason) => { this.counters.dropped[reason]++; },
      closed: (connection) => this.onClosed(connection),
    };
  }

  /** Listens, then dials every peer with a URL (in the background). */
  static async start(options: PeerNetworkOptions): Promise<PeerNetwork> {
    const limits = resolvePeerLimits(options.limits);
    checkPeerNetworkOptions(options);
    const server = createServer((_request, response) => {
      response.writeHead(426, { 'content-type': 'text/plain' }).end('gridmesh peer endpoint: WebSocket only\n');
    });
    // TCP sockets this server holds (handshaking ones included); the handshake-level bound is below.
    server.maxConnections = limits.maxConnections;
    const wss = new WebSocketServer({ server, maxPayload: limits.maxMessageBytes, perMessageDeflate: false, clientTracking: false });
    let port: number;
    try {
      port = await listenTcp(server, options.listen.port, options.listen.host);
    } catch (cause) {
      wss.close();
      throw new PeerError('listen-failed', `cannot listen on ${options.listen.host}:${options.listen.port}`, { cause });
    }
    const network = new PeerNetwork(options, server, wss, port, limits);
    wss.on('connection', (ws) => network.onInbound(ws));
    // After listening, a server error is an accept failure (e.g. out of file descriptors): the
    // socket is lost, the node carries on; each WebSocket reports its own errors.
    server.on('error', () => { network.counters.refused['too-many-connections']++; });
    wss.on('error', () => { /* re-emitted http server errors, handled above */ });
    for (const peer of options.peers ?? []) network.peerStates.set(peer.did, newPeerState(peer.did, peer.url, 'configured'));
    for (const state of network.peerStates.values()) network.dial(state);
    if (limits.pingIntervalMs > 0) {
      network.pingTimer = setInterval(() => network.pingAll(), limits.pingIntervalMs);
      network.pingTimer.unref();
    }
    return network;
  }

  /** Adds (or updates) a configured peer and dials it if it has a URL. */
  addPeer(peer: PeerConfig): void {
    this.assertOpen();
    checkPeerConfig(peer, this.did);
    let state = this.peerStates.get(peer.did);
    if (state === undefined) {
      state = newPeerState(peer.did, peer.url, 'configured');
      this.peerStates.set(peer.did, state);
    } else {
      if (state.source === 'learned') this.learnedCount--;
      state.source = 'configured';
      if (peer.url !== undefined) state.url = peer.url;
    }
    this.dial(state);
  }

  publish(topic: string, body: JsonValue, options: PublishOptions = {}): number {
    const text = this.encode(topic, body);
    const exclude = new Set(options.exclude ?? []);
    let queued = 0;
    for (const state of this.peerStates.values()) {
      if (state.ready === undefined || exclude.has(state.did)) continue;
      if (state.ready.send(text)) queued++;
    }
    this.counters.sent += queued;
    return queued;
  }

  send(did: string, topic: string, body: JsonValue): boolean {
    const text = this.encode(topic, body);
    const connection = this.peerStates.get(did)?.ready;
    if (connection === undefined) {
      this.counters.dropped['not-connected']++;
      return false;
    }
    const queued = connection.send(text);
    if (queued) this.counters.sent++;
    return queued;
  }

  subscribe(topic: string, handler: PeerHandler): () => void {
    if (!isTopic(topic)) throw new PeerError('bad-topic', `not a topic: ${JSON.stringify(topic)} (letters, digits, . _ / -; at most 64)`);
    let handlers = this.subscriptions.get(topic);
    if (handlers === undefined) this.subscriptions.set(topic, (handlers = new Set()));
    const own = (message: PeerMessage): void | Promise<void> => handler(message);
    handlers.add(own);
    return () => { handlers.delete(own); };
  }

  onPeer(handler: (event: PeerEvent) => void): () => void {
    const own = (event: PeerEvent): void => handler(event);
    this.peerListeners.add(own);
    return () => { this.peerListeners.delete(own); };
  }

  peers(): PeerStatus[] {
    return [...this.peerStates.values()].map((s) => ({
      did: s.did,
      ...(s.url === undefined ? {} : { url: s.url }),
      source: s.source,
      connected: s.ready !== undefined,
      blocked: this.blocked.has(s.did),
      ...(s.lastSeenMs === undefined ? {} : { lastSeenMs: s.lastSeenMs }),
    }));
  }

  /** DIDs of the peers connected now. */
  connectedPeers(): string[] {
    return [...this.peerStates.values()].filter((s) => s.ready !== undefined).map((s) => s.did);
  }

  counts(): PeerCounts {
    return copyPeerCounts(this.counters);
  }

  /** Cuts the link to `did`: drops its sockets, refuses its connections and stops dialling it. */
  block(did: string): void {
    this.blocked.add(did);
    const state = this.peerStates.get(did);
    if (state?.timer !== undefined) clearTimeout(state.timer);
    if (state !== undefined) state.timer = undefined;
    for (const connection of this.connections) {
      if (connection.peerDid === did || connection.expectedDid === did) connection.close(CLOSE_CODES.blocked, 'blocked');
    }
  }

  /** Restores the link to `did`: dials it at once if its URL is known. */
  unblock(did: string): void {
    this.blocked.delete(did);
    const state = this.peerStates.get(did);
    if (state === undefined || this.closing !== undefined) return;
    state.attempt = 0;
    if (state.timer !== undefined) clearTimeout(state.timer);
    state.timer = undefined;
    this.dial(state);
  }

  /**
   * Stops dialling, closes every socket with 1001 (going away), waiting up to closeTimeoutMs for
   * the peers to answer before cutting the rest, and stops listening. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    for (const state of this.peerStates.values()) {
      if (state.timer !== undefined) clearTimeout(state.timer);
      state.timer = undefined;
    }
    const open = [...this.connections];
    for (const connection of open) connection.close();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, this.limits.closeTimeoutMs); });
    await Promise.race([Promise.all(open.map((c) => c.whenClosed())), timeout]);
    clearTimeout(timer);
    for (const connection of open) if (connection.state !== 'closed') connection.ws.terminate();
    await Promise.all(open.map((c) => c.whenClosed()));
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private assertOpen(): void {
    if (this.closing !== undefined) throw new PeerError('closed', 'the peer network is closed');
  }

  private encode(topic: string, body: JsonValue): string {
    this.assertOpen();
    if (!isTopic(topic)) throw new PeerError('bad-topic', `not a topic: ${JSON.stringify(topic)} (letters, digits, . _ / -; at most 64)`);
    if (!isJsonValue(body)) throw new PeerError('bad-body', 'a body must be plain JSON data (finite numbers, plain objects, bounded nesting)');
    const envelope = signEnvelope({
      v: WIRE_VERSION, from: this.did, topic, seq: this.nextSeq++, sentAtMs: Math.max(0, Math.floor(this.nowMs())), body,
    }, this.options.key.privateKey);
    const text = JSON.stringify(envelope);
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > this.limits.maxMessageBytes) {
      throw new PeerError('too-large', `the message is ${bytes} bytes; at most ${this.limits.maxMessageBytes} (maxMessageBytes)`);
    }
    return text;
  }

  private hello(): Hello {
    const peers: { did: string; url: string }[] = [];
    let bytes = 0;
    const budget = this.limits.maxMessageBytes - 1024;
    for (const state of this.peerStates.values()) {
      if (peers.length >= this.limits.maxHelloPeers) break;
      if (state.url === undefined || state.source === 'inbound' || this.blocked.has(state.did)) continue;
      bytes += state.did.length + state.url.length + 20;
      if (bytes > budget) break;
      peers.push({ did: state.did, url: state.url });
    }
    return makeHello(this.did, newChallenge(), this.nextSeq, this.advertiseUrl, peers);
  }

  private onInbound(ws: WebSocket): void {
    if (this.closing !== undefined) {
      ws.terminate();
      return;
    }
    if (this.connections.size >= this.limits.maxConnections) {
      this.counters.refused['too-many-connections']++;
      ws.close(CLOSE_CODES['too-many-connections'], 'too-many-connections');
      return;
    }
    this.connections.add(new PeerConnection(ws, 'inbound', undefined, () => this.hello(), this.host));
  }

  private dial(state: PeerState): void {
    if (this.closing !== undefined || state.url === undefined || this.blocked.has(state.did)) return;
    if (state.ready !== undefined || state.dialing !== undefined || state.timer !== undefined) return;
    if (this.connections.size >= this.limits.maxConnections) {
      this.scheduleRedial(state);
      return;
    }
    const ws = new WebSocket(state.url, {
      maxPayload: this.limits.maxMessageBytes, perMessageDeflate: false, handshakeTimeout: this.limits.handshakeTimeoutMs,
    });
    const connection = new PeerConnection(ws, 'outbound', state.did, () => this.hello(), this.host);
    state.dialing = connection;
    this.connections.add(connection);
  }

  private scheduleRedial(state: PeerState): void {
    if (this.closing !== undefined || state.url === undefined || this.blocked.has(state.did)) return;
    if (state.ready !== undefined || state.dialing !== undefined || state.timer !== undefined) return;
    const delay = reconnectDelayMs(this.limits.reconnect, state.attempt++, this.random);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      this.dial(state);
    }, delay);
  }

  private admit(connection: PeerConnection, hello: Hello): 'blocked' | 'unknown-peer' | undefined {
    if (this.blocked.has(hello.did)) return 'blocked';
    if (connection.direction === 'inbound' && !this.peerStates.has(hello.did) && this.options.acceptUnknownPeers !== true) return 'unknown-peer';
    return undefined;
  }

  private onReady(connection: PeerConnection): 'duplicate' | undefined {
    const did = connection.peerDid as string;
    let state = this.peerStates.get(did);
    if (state === undefined) {
      state = newPeerState(did, undefined, 'inbound');
      this.peerStates.set(did, state);
    }
    if (state.dialing === connection) state.dialing = undefined;
    const current = state.ready;
    if (current !== undefined && current !== connection) {
      if (preferred(current, connection) === current) return 'duplicate';
      state.ready = connection;
      current.refuse('duplicate');
    }
    const wasConnected = current !== undefined;
    state.ready = connection;
    state.attempt = 0;
    state.lastSeenMs = this.nowMs();
    if (state.timer !== undefined) clearTimeout(state.timer);
    state.timer = undefined;
    if (!wasConnected) this.counters.connects++;
    this.learnFrom(state, connection.peerHello as Hello);
    this.emitPeer({ did, connected: true });
    return undefined;
  }

  /** A peer's own announced URL fills in a known peer without one; configured peers teach others. */
  private learnFrom(state: PeerState, hello: Hello): void {
    if (state.source === 'inbound') return;
    if (state.url === undefined && hello.url !== undefined) state.url = hello.url;
    if (this.options.learnPeers === false || state.source !== 'configured') return;
    for (const entry of hello.peers.slice(0, this.limits.maxHelloPeers)) {
      if (entry.did === this.did || this.blocked.has(entry.did) || !isDidKey(entry.did)) continue;
      const known = this.peerStates.get(entry.did);
      if (known !== undefined) {
        if (known.url === undefined && known.source !== 'inbound') {
          known.url = entry.url;
          this.dial(known);
        }
        continue;
      }
      if (this.learnedCount >= this.limits.maxLearnedPeers) break;
      const learned = newPeerState(entry.did, entry.url, 'learned');
      this.peerStates.set(entry.did, learned);
      this.learnedCount++;
      this.dial(learned);
    }
  }

  private onEnvelope(connection: PeerConnection, envelope: Envelope): void {
    this.counters.received++;
    const state = this.peerStates.get(envelope.from);
    if (state !== undefined) state.lastSeenMs = connection.lastSeenMs;
    const handlers = this.subscriptions.get(envelope.topic);
    if (handlers === undefined || handlers.size === 0) {
      this.counters.unhandled++;
      return;
    }
    const message: PeerMessage = {
      from: envelope.from, topic: envelope.topic, seq: envelope.seq, sentAtMs: envelope.sentAtMs, body: envelope.body,
    };
    for (const handler of [...handlers]) {
      try {
        const result = handler(message);
        if (result instanceof Promise) result.catch(() => { this.counters.rejected['handler-error']++; });
      } catch {
        this.counters.rejected['handler-error']++;
      }
    }
  }

  private onClosed(connection: PeerConnection): void {
    this.connections.delete(connection);
    const did = connection.peerDid ?? connection.expectedDid;
    if (connection.direction === 'outbound' && !connection.wasReady && !connection.closedLocally && !connection.refusedByPeer) {
      this.counters.dialFailures++;
    }
    if (did === undefined) return;
    const state = this.peerStates.get(did);
    if (state === undefined) return;
    if (state.dialing === connection) state.dialing = undefined;
    if (state.ready === connection) {
      state.ready = undefined;
      this.counters.disconnects++;
      this.emitPeer({ did, connected: false });
      if (state.source === 'inbound') {
        this.peerStates.delete(did);
        return;
      }
    }
    if (state.ready === undefined) this.scheduleRedial(state);
  }

  private pingAll(): void {
    for (const state of this.peerStates.values()) state.ready?.pingTick();
  }

  private emitPeer(event: PeerEvent): void {
    for (const listener of [...this.peerListeners]) {
      try {
        listener(event);
      } catch {
        this.counters.rejected['handler-error']++;
      }
    }
  }
}

/**
 * Of two authenticated sockets between the same two nodes, both ends keep the same one: the one
 * dialled by the smaller DID; if both were dialled by the same side, the newer one.
 */
function preferred(current: PeerConnection, incoming: PeerConnection): PeerConnection {
  const a = current.dialerDid as string;
  const b = incoming.dialerDid as string;
  if (a === b) return incoming;
  return a < b ? current : incoming;
}

function newPeerState(did: string, url: string | undefined, source: PeerSource): PeerState {
  return { did, url, source, ready: undefined, dialing: undefined, attempt: 0, timer: undefined, lastSeenMs: undefined };
}

