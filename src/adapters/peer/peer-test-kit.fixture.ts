/**
 * Helpers for the peer tests: seeded node keys, nodes on 127.0.0.1:0 with fast retry settings,
 * polling with a deadline (no fixed sleeps), and a raw peer that speaks the wire protocol by hand
 * so tests can send what a well-behaved node never would.
 */
import { WebSocket } from 'ws';
import { deriveKeyPair, type KeyPair } from '../../core/identity/key-pair.js';
import type { JsonValue } from './canonical-json.js';
import { signEnvelope } from './envelope-signing.js';
import { makeAuth, makeHello, newChallenge } from './peer-handshake.js';
import { PeerNetwork, type PeerConfig, type PeerNetworkOptions } from './peer-network.js';
import { helloSchema, WIRE_VERSION, type Envelope, type Hello } from './wire-frames.js';

export const TEST_SEED = 20261124;

export function nodeKey(name: string): KeyPair {
  return deriveKeyPair(TEST_SEED, `peer-node:${name}`);
}

/** Retries `check` until it returns a value other than false/undefined, or fails after timeoutMs. */
export async function eventually<T>(check: () => T | false | undefined, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== false && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export type TestNodeOptions = Partial<PeerNetworkOptions>;

/** Nodes started by a test, closed by `closeAll` (afterEach). */
export class TestNodes {
  private readonly started: PeerNetwork[] = [];

  async start(name: string, options: TestNodeOptions = {}, peers: readonly PeerConfig[] = []): Promise<PeerNetwork> {
    const node = await PeerNetwork.start({
      peers,
      ...options,
      key: options.key ?? nodeKey(name),
      listen: options.listen ?? { host: '127.0.0.1', port: 0 },
      limits: { handshakeTimeoutMs: 2_000, pingIntervalMs: 0, closeTimeoutMs: 500, ...options.limits, reconnect: { initialMs: 10, maxMs: 100, jitter: 0, ...options.limits?.reconnect } },
    });
    this.started.push(node);
    return node;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.started.splice(0).map((n) => n.close()));
  }
}

/** A hand-driven peer: completes the handshake as `key`, then sends whatever the test says. */
export class RawPeer {
  readonly received: unknown[] = [];
  closeCode: number | undefined;
  private seq: number;

  private constructor(readonly ws: WebSocket, readonly key: KeyPair, readonly theirHello: Hello, firstSeq: number) {
    this.seq = firstSeq;
    ws.on('message', (data) => { this.received.push(JSON.parse(String(data))); });
  }

  /** `claimDid`: the DID put in the hello (default the key's own; another one is an impostor). */
  static connect(url: string, key: KeyPair, firstSeq = 1_000, claimDid = key.did): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const myHello = makeHello(claimDid, newChallenge(), firstSeq, undefined, []);
      let theirHello: Hello | undefined;
      const peer: { value?: RawPeer } = {};
      ws.on('open', () => ws.send(JSON.stringify(myHello)));
      ws.on('error', reject);
      ws.on('close', (code) => {
        if (peer.value !== undefined) peer.value.closeCode = code;
        else reject(new Error(`closed during the handshake: ${code}`));
      });
      const onHandshake = (data: unknown): void => {
        const frame = JSON.parse(String(data)) as { type?: string };
        if (theirHello === undefined) {
          theirHello = helloSchema.parse(frame);
          ws.send(JSON.stringify(makeAuth(key, myHello, theirHello)));
        } else if (frame.type === 'auth') {
          ws.off('message', onHandshake);
          peer.value = new RawPeer(ws, key, theirHello, firstSeq);
          resolve(peer.value);
        }
      };
      ws.on('message', onHandshake);
    });
  }

  /** A correctly signed envelope (by `signer`, default this peer's key) with the next seq. */
  envelope(topic: string, body: unknown, signer: KeyPair = this.key): Envelope {
    return signEnvelope({ v: WIRE_VERSION, from: signer.did, topic, seq: this.seq++, sentAtMs: 1_781_474_400_000, body: body as JsonValue }, signer.privateKey);
  }

  sendFrame(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  closed(): Promise<number> {
    if (this.ws.readyState === this.ws.CLOSED) return Promise.resolve(this.closeCode ?? 1006);
    return new Promise((resolve) => this.ws.once('close', (code) => resolve(code)));
  }

  close(): Promise<number> {
    const done = this.closed();
    this.ws.close();
    return done;
  }
}
