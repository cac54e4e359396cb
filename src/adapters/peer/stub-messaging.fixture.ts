/** A PeerMessaging without sockets: records what is sent, lets a test deliver messages by hand. */
import type { JsonValue } from './canonical-json.js';
import type { PeerEvent, PeerHandler, PeerMessaging, PublishOptions } from './peer-network.js';

export class StubMessaging implements PeerMessaging {
  readonly published: { topic: string; body: JsonValue; exclude: readonly string[] }[] = [];
  readonly sent: { did: string; topic: string; body: JsonValue }[] = [];
  private readonly handlers = new Map<string, Set<PeerHandler>>();
  private readonly peerHandlers = new Set<(event: PeerEvent) => void>();
  private seq = 0;

  constructor(readonly did: string) {}

  publish(topic: string, body: JsonValue, options: PublishOptions = {}): number {
    this.published.push({ topic, body, exclude: options.exclude ?? [] });
    return 1;
  }

  send(did: string, topic: string, body: JsonValue): boolean {
    this.sent.push({ did, topic, body });
    return true;
  }

  subscribe(topic: string, handler: PeerHandler): () => void {
    let set = this.handlers.get(topic);
    if (set === undefined) this.handlers.set(topic, (set = new Set()));
    set.add(handler);
    return () => { set.delete(handler); };
  }

  onPeer(handler: (event: PeerEvent) => void): () => void {
    this.peerHandlers.add(handler);
    return () => { this.peerHandlers.delete(handler); };
  }

  /** Delivers a message as if `from` had sent it. */
  deliver(from: string, topic: string, body: unknown): void {
    for (const handler of this.handlers.get(topic) ?? []) {
      void handler({ from, topic, seq: this.seq++, sentAtMs: 0, body: body as JsonValue });
    }
  }

  connect(did: string): void {
    for (const handler of this.peerHandlers) handler({ did, connected: true });
  }

  subscribers(): number {
    return [...this.handlers.values()].reduce((n, s) => n + s.size, 0);
  }
}
