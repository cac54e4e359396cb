import { afterEach, describe, expect, it } from 'vitest';
import { PeerError } from './peer-errors.js';
import type { PeerMessage } from './peer-network.js';
import { eventually, nodeKey, RawPeer, TestNodes } from './peer-test-kit.fixture.js';

const nodes = new TestNodes();
const rawPeers: RawPeer[] = [];
afterEach(async () => {
  await Promise.all(rawPeers.splice(0).map((p) => p.close()));
  await nodes.closeAll();
});

function inbox(node: { subscribe(topic: string, h: (m: PeerMessage) => void): () => void }, topic: string): PeerMessage[] {
  const messages: PeerMessage[] = [];
  node.subscribe(topic, (m) => { messages.push(m); });
  return messages;
}

async function raw(url: string, name: string, firstSeq?: number): Promise<RawPeer> {
  const peer = await RawPeer.connect(url, nodeKey(name), firstSeq);
  rawPeers.push(peer);
  return peer;
}

describe('PeerNetwork handshake', () => {
  it('connects two nodes that dial each other over one authenticated link and delivers signed messages once', async () => {
    const a = await nodes.start('a');
    const b = await nodes.start('b');
    a.addPeer({ did: b.did, url: b.url });
    b.addPeer({ did: a.did, url: a.url });
    await eventually(() => a.connectedPeers().length === 1 && b.connectedPeers().length === 1, 'a and b connected');
    // Both dialled: at most one socket survives (the one dialled by the smaller DID); wait for it.
    await eventually(() => a.counts().connects === 1 && b.counts().connects === 1 && a.counts().disconnects === 0, 'one link');
    const atB = inbox(b, 'grid.test');
    const atA = inbox(a, 'grid.test');
    expect(a.publish('grid.test', { hello: 'from a', n: 1 })).toBe(1);
    expect(b.send(a.did, 'grid.test', ['from b'])).toBe(true);
    await eventually(() => atB.length === 1 && atA.length === 1, 'both messages');
    expect(atB[0]).toMatchObject({ from: a.did, topic: 'grid.test', body: { hello: 'from a', n: 1 } });
    expect(atA[0]).toMatchObject({ from: b.did, body: ['from b'] });
    const [status] = a.peers();
    expect(status).toMatchObject({ did: b.did, url: b.url, source: 'configured', connected: true, blocked: false });
    expect(typeof status?.lastSeenMs).toBe('number');
    expect(a.counts().rejected['bad-signature']).toBe(0);
  });

  it('refuses a dialled peer whose DID is not the one configured for its URL', async () => {
    const b = await nodes.start('b');
    const a = await nodes.start('a', {}, [{ did: nodeKey('c').did, url: b.url }]);
    await eventually(() => a.counts().refused['wrong-did'] >= 1, 'a refuses b posing as c');
    expect(a.connectedPeers()).toEqual([]);
    expect(b.connectedPeers()).toEqual([]);
    expect(a.peers()).toEqual([expect.objectContaining({ did: nodeKey('c').did, connected: false })]);
  });

  it('refuses unknown inbound DIDs unless acceptUnknownPeers is set', async () => {
    const closed = await nodes.start('closed-door');
    const open = await nodes.start('open-door', { acceptUnknownPeers: true });
    const a = await nodes.start('a', {}, [{ did: closed.did, url: closed.url }, { did: open.did, url: open.url }]);
    await eventually(() => closed.counts().refused['unknown-peer'] >= 1 && a.counts().refused['refused-by-peer'] >= 1, 'closed door refuses a');
    await eventually(() => open.connectedPeers().includes(a.did), 'open door accepts a');
    expect(closed.connectedPeers()).toEqual([]);
    expect(open.peers()).toEqual([expect.objectContaining({ did: a.did, source: 'inbound', connected: true })]);
  });

  it('refuses an impostor that claims a known DID without its key, and a socket that never says hello', async () => {
    const victim = nodeKey('victim');
    const b = await nodes.start('b', { limits: { handshakeTimeoutMs: 100 } }, [{ did: victim.did }]);
    // b answers the hello with its own proof before it checks the impostor's: then it closes.
    const impostor = await RawPeer.connect(b.url, nodeKey('mallory'), 1, victim.did);
    expect(await impostor.closed()).toBe(4007);
    expect(b.counts().refused['bad-auth']).toBe(1);
    const { WebSocket } = await import('ws');
    const silent = new WebSocket(b.url);
    const code = await new Promise<number>((resolve) => silent.on('close', (c) => resolve(c)));
    expect(code).toBe(4008);
    expect(b.counts().refused['handshake-timeout']).toBe(1);
    expect(b.connectedPeers()).toEqual([]);
  });

  it('learns the peers a configured peer announces and dials them', async () => {
    const a = await nodes.start('a');
    const b = await nodes.start('b');
    const hub = await nodes.start('hub', {}, [{ did: a.did, url: a.url }, { did: b.did, url: b.url }]);
    a.addPeer({ did: hub.did, url: hub.url });
    b.addPeer({ did: hub.did, url: hub.url });
    // a and b were told of each other only by the hub's hello.
    await eventually(() => a.connectedPeers().includes(b.did) && b.connectedPeers().includes(a.did), 'a and b linked', 8_000);
    expect(a.peers().find((p) => p.did === b.did)).toMatchObject({ source: 'learned', url: b.url });
  });
});

describe('PeerNetwork envelopes', () => {
  it('rejects and counts forged, misattributed, replayed and malformed frames, and keeps the link', async () => {
    const mallory = nodeKey('mallory');
    const b = await nodes.start('b', {}, [{ did: mallory.did }]);
    const got = inbox(b, 'grid.test');
    const peer = await raw(b.url, 'mallory', 5_000);
    await eventually(() => b.connectedPeers().includes(mallory.did), 'mallory authenticated');

    const forged = { ...peer.envelope('grid.test', { amountMinor: 10 }), body: { amountMinor: 10_000 } };
    peer.sendFrame(forged);
    const carol = nodeKey('carol');
    peer.sendFrame(peer.envelope('grid.test', { x: 1 }, carol)); // well signed, but not by the socket's DID
    peer.sendFrame('{not json');
    peer.sendFrame({ v: 1, from: mallory.did, topic: 'grid.test' });
    const good = peer.envelope('grid.test', { ok: true });
    peer.sendFrame(good);
    peer.sendFrame(good); // replay within the session
    const old = peer.envelope('grid.test', { old: true });
    peer.sendFrame({ ...peer.envelope('grid.test', { stale: true }), seq: 10 }); // below the hello's seq (sig now wrong too)
    peer.sendFrame(old);

    await eventually(() => got.length === 2, 'the two good messages');
    const rejected = b.counts().rejected;
    expect(rejected['bad-signature']).toBe(2);
    expect(rejected['from-mismatch']).toBe(1);
    expect(rejected['not-json']).toBe(1);
    expect(rejected['bad-frame']).toBe(1);
    expect(rejected.duplicate).toBe(1);
    expect(got.map((m) => m.body)).toEqual([{ ok: true }, { old: true }]);
    expect(b.connectedPeers()).toEqual([mallory.did]);
  });

  it('rejects a replay of an earlier session below the new hello seq', async () => {
    const mallory = nodeKey('mallory');
    const b = await nodes.start('b', {}, [{ did: mallory.did }]);
    const got = inbox(b, 'grid.test');
    const first = await raw(b.url, 'mallory', 100);
    const captured = first.envelope('grid.test', { n: 1 });
    first.sendFrame(captured);
    await eventually(() => got.length === 1, 'first session message');
    await first.close();
    const second = await raw(b.url, 'mallory', 200);
    second.sendFrame(captured);
    second.sendFrame(second.envelope('grid.test', { n: 2 }));
    await eventually(() => got.length === 2, 'second session message');
    expect(b.counts().rejected.stale).toBe(1);
    expect(got.map((m) => m.body)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('rejects an oversize message (closing that socket only) and refuses to send one', async () => {
    const mallory = nodeKey('mallory');
    const b = await nodes.start('b', { limits: { maxMessageBytes: 8 * 1024 } }, [{ did: mallory.did }]);
    const got = inbox(b, 'grid.test');
    const peer = await raw(b.url, 'mallory');
    peer.sendFrame(peer.envelope('grid.test', { blob: 'x'.repeat(9 * 1024) }));
    expect(await peer.closed()).toBe(1009);
    expect(b.counts().rejected.oversize).toBe(1);
    const again = await raw(b.url, 'mallory', 10_000);
    again.sendFrame(again.envelope('grid.test', { small: true }));
    await eventually(() => got.length === 1, 'a small message after the oversize one');
    expect(() => b.publish('grid.test', { blob: 'y'.repeat(9 * 1024) })).toThrow(PeerError);
    expect(() => b.publish('bad topic!', {})).toThrow(/not a topic/);
  });

  it('drops and counts messages beyond the per-peer send queue', async () => {
    const b = await nodes.start('b');
    const a = await nodes.start('a', { limits: { maxQueuedMessagesPerPeer: 2 } }, [{ did: b.did, url: b.url }]);
    b.addPeer({ did: a.did });
    await eventually(() => a.connectedPeers().length === 1 && b.connectedPeers().length === 1, 'linked');
    const got = inbox(b, 'grid.burst');
    const queued = Array.from({ length: 10 }, (_, i) => a.publish('grid.burst', { i }));
    expect(queued).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(a.counts().dropped['queue-full']).toBe(8);
    await eventually(() => got.length === 2, 'the two queued messages');
    expect(a.send(nodeKey('nobody').did, 'grid.burst', {})).toBe(false);
    expect(a.counts().dropped['not-connected']).toBe(1);
  });

  it('counts a throwing subscriber and still delivers to the others', async () => {
    const b = await nodes.start('b');
    const a = await nodes.start('a', {}, [{ did: b.did, url: b.url }]);
    b.addPeer({ did: a.did });
    await eventually(() => b.connectedPeers().length === 1 && a.connectedPeers().length === 1, 'linked');
    b.subscribe('grid.test', () => { throw new Error('subscriber bug'); });
    b.subscribe('grid.test', async () => { await Promise.reject(new Error('async subscriber bug')); });
    const got = inbox(b, 'grid.test');
    a.publish('grid.test', 1);
    await eventually(() => got.length === 1 && b.counts().rejected['handler-error'] === 2, 'delivery and two handler errors');
  });
});

describe('PeerNetwork links', () => {
  it('block cuts a link and refuses its reconnections; unblock restores it', async () => {
    const b = await nodes.start('b');
    const a = await nodes.start('a', {}, [{ did: b.did, url: b.url }]);
    b.addPeer({ did: a.did }); // b learns a's URL from a's hello and redials it after a cut
    await eventually(() => a.connectedPeers().length === 1 && b.connectedPeers().length === 1, 'linked');
    const events: string[] = [];
    b.onPeer((e) => events.push(e.connected ? 'up' : 'down'));
    a.block(b.did);
    await eventually(() => a.connectedPeers().length === 0 && b.connectedPeers().length === 0, 'cut');
    await eventually(() => a.counts().refused.blocked >= 1, 'b redials and is refused');
    expect(a.peers()[0]).toMatchObject({ blocked: true, connected: false });
    a.unblock(b.did);
    await eventually(() => a.connectedPeers().length === 1 && b.connectedPeers().length === 1, 'healed');
    expect(events[0]).toBe('down');
    expect(events.at(-1)).toBe('up');
  });

  it('reconnects with backoff after the peer restarts on the same port', async () => {
    const bKey = nodeKey('b');
    const b1 = await nodes.start('b');
    const port = Number(new URL(b1.url).port);
    const a = await nodes.start('a', {}, [{ did: bKey.did, url: b1.url }]);
    b1.addPeer({ did: a.did });
    await eventually(() => a.connectedPeers().length === 1, 'linked');
    await b1.close();
    await eventually(() => a.connectedPeers().length === 0, 'a sees b gone');
    await eventually(() => a.counts().dialFailures >= 2, 'a keeps redialling');
    const b2 = await nodes.start('b', { listen: { host: '127.0.0.1', port } }, [{ did: a.did }]);
    expect(b2.url).toBe(b1.url);
    await eventually(() => a.connectedPeers().length === 1 && b2.connectedPeers().length === 1, 'relinked');
  });

  it('close is graceful: peers see 1001 going away and a closed node refuses to publish', async () => {
    const mallory = nodeKey('mallory');
    const b = await nodes.start('b', {}, [{ did: mallory.did }]);
    const peer = await raw(b.url, 'mallory');
    await b.close();
    expect(await peer.closed()).toBe(1001);
    expect(() => b.publish('grid.test', {})).toThrow(/closed/);
    await b.close(); // idempotent
  });
});
