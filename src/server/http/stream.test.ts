import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { aSlotSummary, type FakeNodeView } from './fake-node-view.fixture.js';
import { aTestServer } from './http-test-client.fixture.js';
import { sendOrDrop, type StreamSocket } from './stream.js';

let app: FastifyInstance;
let view: FakeNodeView;
const clients: WebSocket[] = [];

async function listen(...args: Parameters<typeof aTestServer>): Promise<string> {
  ({ app, view } = await aTestServer(...args));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/stream`;
}

/** A client that queues what it receives. */
function connect(url: string): { socket: WebSocket; next: () => Promise<unknown>; closed: Promise<{ code: number; reason: string }>; failed: Promise<Error> } {
  const socket = new WebSocket(url);
  clients.push(socket);
  const inbox: unknown[] = [];
  const waiting: ((message: unknown) => void)[] = [];
  socket.on('message', (data) => {
    const message: unknown = JSON.parse(String(data));
    const waiter = waiting.shift();
    if (waiter === undefined) inbox.push(message);
    else waiter(message);
  });
  const next = () => (inbox.length > 0 ? Promise.resolve(inbox.shift()) : new Promise<unknown>((resolve) => waiting.push(resolve)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  const failed = new Promise<Error>((resolve) => socket.on('error', resolve));
  return { socket, next, closed, failed };
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await app.close();
});

describe('GET /api/v1/stream', () => {
  it('says hello with the node and the latest slot, then sends every slot', async () => {
    const client = connect(await listen());
    expect(await client.next()).toEqual({ type: 'hello', node: view.info(), latest: aSlotSummary(2) });
    view.emitSlot(aSlotSummary(3));
    view.emitSlot(aSlotSummary(4));
    expect(await client.next()).toEqual({ type: 'slot', summary: aSlotSummary(3) });
    expect(await client.next()).toEqual({ type: 'slot', summary: aSlotSummary(4) });
  });

  it('says hello with latest null before the first slot', async () => {
    const client = connect(await listen({ slots: 0 }));
    expect(await client.next()).toMatchObject({ type: 'hello', latest: null });
  });

  it('unsubscribes from the view when the client leaves', async () => {
    const client = connect(await listen());
    await client.next();
    expect(view.listenerCount).toBe(1);
    client.socket.close();
    await client.closed;
    await vi.waitFor(() => expect(view.listenerCount).toBe(0));
  });

  it('error: refuses a client over wsClientsMax with 503, and admits one after a client leaves', async () => {
    const url = await listen({}, { limits: { wsClientsMax: 2 } });
    const first = connect(url);
    const second = connect(url);
    await Promise.all([first.next(), second.next()]);
    const third = connect(url);
    expect((await third.failed).message).toBe('Unexpected server response: 503');
    first.socket.close();
    await vi.waitFor(() => expect(view.listenerCount).toBe(1));
    const fourth = connect(url);
    expect(await fourth.next()).toMatchObject({ type: 'hello' });
  });

  it('error: closes with 1008 on any inbound message', async () => {
    const client = connect(await listen());
    await client.next();
    client.socket.send('hi');
    expect(await client.closed).toEqual({ code: 1008, reason: 'the stream accepts no messages' });
  });

  it('error: closes with 1009 on an inbound message over 4 KiB', async () => {
    const client = connect(await listen());
    await client.next();
    client.socket.send('x'.repeat(4097));
    expect((await client.closed).code).toBe(1009);
    await vi.waitFor(() => expect(view.listenerCount).toBe(0));
  });

  it('error: a plain GET is told to upgrade (426)', async () => {
    ({ app, view } = await aTestServer());
    const response = await app.inject({ method: 'GET', url: '/api/v1/stream' });
    expect(response.statusCode).toBe(426);
    expect(response.json()).toMatchObject({ error: 'upgrade-required' });
  });

  it('closes the stream with 1001 when the server closes', async () => {
    const client = connect(await listen());
    await client.next();
    await app.close();
    expect(await client.closed).toEqual({ code: 1001, reason: 'the node is shutting down' });
  });
});

describe('sendOrDrop', () => {
  const aSocket = (bufferedAmount: number, readyState: number = WebSocket.OPEN) => {
    const socket = { readyState, bufferedAmount, sent: [] as string[], terminated: false, send(data: string) { this.sent.push(data); }, terminate() { this.terminated = true; } };
    return socket satisfies StreamSocket;
  };

  it('sends while the queue stays within the bound', () => {
    const socket = aSocket(90);
    expect(sendOrDrop(socket, '0123456789', 100)).toBe(true);
    expect(socket.sent).toEqual(['0123456789']);
  });

  it('error: drops a client that would queue more than the bound, instead of buffering', () => {
    const socket = aSocket(91);
    expect(sendOrDrop(socket, '0123456789', 100)).toBe(false);
    expect(socket).toMatchObject({ sent: [], terminated: true });
  });

  it('counts the message in bytes, not characters', () => {
    expect(sendOrDrop(aSocket(0), 'é'.repeat(60), 100)).toBe(false);
  });

  it('skips a socket that is not open', () => {
    const socket = aSocket(0, WebSocket.CLOSING);
    expect(sendOrDrop(socket, 'x', 100)).toBe(false);
    expect(socket).toMatchObject({ sent: [], terminated: false });
  });
});
