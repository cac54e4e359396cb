import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aScenarioInput } from '../../core/sim/scenario.fixture.js';
import { parseNodeConfig } from './node-config.js';
import { nodePeerKey } from './node-peers.js';
import { GridmeshNode } from './node-runtime.js';
import { startHardhatNode, type HardhatNode } from '../../adapters/chain/hardhat-node.fixture.js';
import { freePort } from '../../adapters/free-port.fixture.js';

const SEED = 7;
/** Microgrid n1's validators: its three controller nodes and the DSO's node. */
const VALIDATORS = ['validator:n1:0', 'validator:n1:1', 'validator:n1:2', 'validator:dso:dso'];


/** Starts the four validators' nodes of `n1`, peered with each other; `chain(k)` is node k's chain config. */
async function startMicrogridNodes(dir: string, id: string, speed: number, chain: (k: number, started: readonly GridmeshNode[]) => object): Promise<GridmeshNode[]> {
  const scenario = join(dir, 'town.json');
  writeFileSync(scenario, JSON.stringify(aScenarioInput({ days: 0.5 })));
  const ports = await Promise.all(VALIDATORS.map(() => freePort()));
  const dids = VALIDATORS.map((v) => nodePeerKey(SEED, v).did);
  const nodes: GridmeshNode[] = [];
  for (const [k, validator] of VALIDATORS.entries()) {
    const config = parseNodeConfig({
      node: { id: `${id}-${k}` }, scenario, seed: SEED, dataDir: join(dir, `data-${k}`), mqtt: { embedded: { port: 0 } },
      clock: { speed, graceFraction: 0.2 }, chain: chain(k, nodes),
      peers: {
        listen: { port: ports[k] }, validator,
        nodes: VALIDATORS.flatMap((_, j) => (j === k ? [] : [{ url: `ws://127.0.0.1:${ports[j]}`, did: dids[j] as string }])),
      },
    });
    nodes.push(await GridmeshNode.start({ config }));
  }
  return nodes;
}

async function until(what: string, probe: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (probe()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a microgrid\'s nodes co-sign over the peer network, through a cut from the DSO node and its healing', () => {
  let dir: string;
  const nodes: GridmeshNode[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gridmesh-peers-'));
    nodes.push(...await startMicrogridNodes(dir, 'node', 3000, () => ({})));
  }, 60_000);

  afterAll(async () => {
    for (const n of nodes) await n.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const statement = (node: GridmeshNode, slot: number) => node.view.statements({ limit: 500, microgrid: 'n1' }).find((s) => s.slot === slot);
  const dso = () => nodes[3] as GridmeshNode;
  const controllers = () => nodes.slice(0, 3);

  it('settles with every node, keeps settling 3 of 4 while the DSO node is cut off, and reconciles after', async () => {
    // Connected: every node queues n1's statements with the peers' signatures.
    await Promise.all(nodes.map((n) => n.waitForSlot(3, 30_000)));
    await until('slot 1 final on every node', () => nodes.every((n) => (statement(n, 1)?.signatures ?? 0) >= 3), 10_000);
    expect(nodes.every((n) => n.peers?.counts().peersConnected === 3)).toBe(true);

    // Cut every link between the DSO node and the controllers.
    const dsoDid = dso().peers?.network.did as string;
    for (const c of controllers()) {
      c.peers?.network.block(dsoDid);
      dso().peers?.network.block(c.peers?.network.did as string);
    }
    const cutAt = Math.max(...nodes.map((n) => n.settledSlot)) + 1;
    await Promise.all(nodes.map((n) => n.waitForSlot(cutAt + 4, 30_000)));
    const island = [cutAt + 1, cutAt + 2, cutAt + 3];
    await until('the controllers settle the cut slots among themselves', () => controllers().every((c) => island.every((s) => statement(c, s)?.signatures === 3)), 10_000);
    expect(island.every((s) => statement(dso(), s) === undefined)).toBe(true);
    expect(dso().peers?.counts().peersConnected).toBe(0);

    // Heal: the DSO node receives the votes it missed, reaches the quorum and queues the statements.
    for (const c of controllers()) {
      c.peers?.network.unblock(dsoDid);
      dso().peers?.network.unblock(c.peers?.network.did as string);
    }
    await until('the DSO node reconciled the cut slots', () => island.every((s) => (statement(dso(), s)?.signatures ?? 0) >= 3), 20_000);
    const hashes = island.map((s) => new Set(nodes.map((n) => statement(n, s)?.hash)));
    expect(hashes.every((h) => h.size === 1)).toBe(true);
    // Each node submitted them to its chain; the DSO node's one after the healing.
    await until('committed on the DSO node\'s chain', () => island.every((s) => statement(dso(), s)?.status === 'committed'), 20_000);
  }, 120_000);
});

describe('co-signing nodes on one shared chain (a separate JSON-RPC EVM node)', () => {
  let dir: string;
  let chain: HardhatNode;
  const nodes: GridmeshNode[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gridmesh-peers-chain-'));
    chain = await startHardhatNode();
    // The first node deploys the contracts; the others attach to them.
    nodes.push(...await startMicrogridNodes(dir, 'shared', 1500, (k, started) => ({ rpc: chain.rpcUrl, ...(k === 0 ? {} : { contracts: (started[0] as GridmeshNode).contracts }) })));
  }, 120_000);

  afterAll(async () => {
    for (const n of nodes) await n.stop();
    await chain?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const statement = (node: GridmeshNode, slot: number) => node.view.statements({ limit: 500, microgrid: 'n1' }).find((s) => s.slot === slot);

  it('settles each statement once on the chain; the DSO node\'s statements of the cut are duplicates there after the heal', async () => {
    const dso = nodes[3] as GridmeshNode;
    const controllers = nodes.slice(0, 3);
    await Promise.all(nodes.map((n) => n.waitForSlot(2, 60_000)));
    const dsoDid = dso.peers?.network.did as string;
    for (const c of controllers) {
      c.peers?.network.block(dsoDid);
      dso.peers?.network.block(c.peers?.network.did as string);
    }
    const cutAt = Math.max(...nodes.map((n) => n.settledSlot)) + 1;
    await Promise.all(nodes.map((n) => n.waitForSlot(cutAt + 3, 60_000)));
    const island = [cutAt + 1, cutAt + 2];
    await until('the controllers committed the cut slots', () => island.every((s) => controllers.some((c) => statement(c, s)?.status === 'committed')), 30_000);
    for (const c of controllers) {
      c.peers?.network.unblock(dsoDid);
      dso.peers?.network.unblock(c.peers?.network.did as string);
    }
    await until('the DSO node reconciled and found them on chain', () => island.every((s) => statement(dso, s)?.status === 'duplicate'), 30_000);
    // Exactly one node committed each slot's statement; the others found it there.
    for (const s of island) {
      const statuses = nodes.map((n) => statement(n, s)?.status);
      expect(statuses.filter((x) => x === 'committed')).toHaveLength(1);
      expect(statuses.filter((x) => x === 'duplicate')).toHaveLength(3);
    }
  }, 180_000);
});
