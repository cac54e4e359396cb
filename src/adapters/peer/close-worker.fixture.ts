/**
 * Child process of graceful-close.test.ts: three nodes co-sign a slot, one more configured peer is
 * down (so a redial timer is pending), then everything is closed and the process must exit by
 * itself: any socket, server or timer left open would keep it alive. Prints `final <n>` and
 * `closed <resources still keeping the loop alive>`; never calls process.exit.
 */
import type { Address } from 'viem';
import { aStatement } from '../../core/ledger/statement.fixture.js';
import { idOf } from '../../core/ledger/statement.js';
import { simValidatorKey } from '../../core/ledger/validator-keys.js';
import { PeerNetwork } from './peer-network.js';
import { nodeKey, TEST_SEED } from './peer-test-kit.fixture.js';
import { StatementCoSigner } from './statement-co-signer.js';

const names = ['dso', 'c1', 'c2'] as const;
const microgrid = idOf('area:riverside');
const domain = { chainId: 31337n, settlement: '0x5FbDB2315678afecb367f032d93F642f64180aa3' as Address };
const validators = names.map((n) => simValidatorKey(TEST_SEED, `validator:${n}`));
const ghost = nodeKey('ghost');

const nets: PeerNetwork[] = [];
for (const [i, name] of names.entries()) {
  const peers = [
    ...names.slice(0, i).map((other, j) => ({ did: nodeKey(other).did, url: (nets[j] as PeerNetwork).url })),
    ...names.slice(i + 1).map((other) => ({ did: nodeKey(other).did })),
    { did: ghost.did, url: 'ws://127.0.0.1:9' }, // nobody listens there: a redial stays pending
  ];
  nets.push(await PeerNetwork.start({
    key: nodeKey(name), listen: { host: '127.0.0.1', port: 0 }, peers,
    limits: { pingIntervalMs: 1_000, reconnect: { initialMs: 5_000, maxMs: 60_000, jitter: 0 } },
  }));
}
const cosigners = nets.map((network, i) => new StatementCoSigner({
  network, key: validators[i] as (typeof validators)[number], microgrid, domain, validators: validators.map((v) => v.address),
}));
const final = new Promise<number>((resolve) => cosigners[0]?.onFinal((f) => { if (f.signatures.length === names.length) resolve(f.signatures.length); }));
while (nets.some((n) => n.connectedPeers().length < names.length - 1)) await new Promise((r) => setTimeout(r, 5));
for (const cosigner of cosigners) cosigner.cast(aStatement({ microgrid, slot: 1n }));
console.log(`final ${await final}`);
for (const cosigner of cosigners) cosigner.close();
await Promise.all(nets.map((n) => n.close()));
// Handles closed by close() are released in the loop's close phase: let two iterations pass.
for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
// What still keeps the event loop alive, apart from this process's own stdio pipes.
const left = process.getActiveResourcesInfo().filter((r) => r !== 'PipeWrap' && r !== 'TTYWrap');
console.log(`closed ${JSON.stringify(left)}`);
