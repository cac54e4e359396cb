/** Test helpers for the OCPP 1.6J adapter: a raw charge point and polling for socket-driven state. */
import { RPCClient } from 'ocpp-rpc';

/** A bare OCPP client for misbehaving-charger tests (strict mode off, so it can send bad frames). */
export async function aRawChargePoint(url: string, identity: string, options: { strictMode?: boolean } = {}): Promise<RPCClient> {
  const client = new RPCClient({
    endpoint: url, identity, protocols: ['ocpp1.6'], strictMode: options.strictMode ?? false, reconnect: false, callTimeoutMs: 2_000,
  } as ConstructorParameters<typeof RPCClient>[0]);
  await client.connect();
  return client;
}

/** Polls until `check` returns true (state that arrives over a socket), failing after `timeoutMs`. */
export async function waitUntil(check: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
