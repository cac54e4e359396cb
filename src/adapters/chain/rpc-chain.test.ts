/**
 * Proves `--chain-rpc URL`: a real external JSON-RPC node (`hardhat node` in a child process), the
 * contracts deployed over HTTP, a quorum-signed statement committed, balances read back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Address, Hex } from 'viem';
import { idOf, statementHash } from '../../core/ledger/statement.js';
import { expectRevert, statementOf, validators } from './chain.fixture.js';
import { startHardhatNode, type HardhatNode } from './hardhat-node.fixture.js';
import { freePort } from '../free-port.fixture.js';
import { ChainError } from './chain-errors.js';
import { connectChain, type RpcChain } from './rpc-chain.js';
import { signStatement } from './statement-signing.js';

/** Hardhat's well-known dev account #1 (funded on every `hardhat node`). */
const DEV_KEY_1: Hex = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const DEV_ADDRESS_1: Address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

describe('JSON-RPC chain (hardhat node in a child process)', () => {
  let node: HardhatNode | undefined;
  let rpcUrl: string;
  let chain: RpcChain;
  const vs = validators(4, 'rpc');
  const mg = idOf('area:rpc');

  beforeAll(async () => {
    node = await startHardhatNode();
    rpcUrl = node.rpcUrl;
    chain = await connectChain({ rpcUrl });
  }, 90_000);

  afterAll(async () => {
    await chain?.close();
    await node?.stop();
  });

  it('deploys the contracts from the node\'s unlocked account', async () => {
    expect(chain.deployed).toBe(true);
    expect(chain.chainId).toBe(31337n);
    expect(chain.sender).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expect(await chain.committedCount()).toBe(0n);
  });

  it('commits a quorum-signed statement and reads balances back', async () => {
    await chain.registerMicrogrid(mg, vs.map((v) => v.address));
    expect(await chain.quorumOf(mg)).toBe(3);
    const s = statementOf(mg, 1n, { 'site:r1': 500n, 'site:r2': -200n, 'market:rpc': -300n });
    const sigs = await signStatement(s, chain.chainId, chain.addresses.settlement, vs.slice(0, 3).map((v) => v.key));
    const r = await chain.submitStatement(s, sigs);
    expect(r.outcome).toBe('committed');
    expect(r.statementHash).toBe(statementHash(s));
    expect(await chain.balanceOf(idOf('site:r1'))).toBe(500n);
    expect(await chain.balanceOf(idOf('market:rpc'))).toBe(-300n);
    expect(await chain.statementHashOf(mg, 1n)).toBe(statementHash(s));
    expect((await chain.submitStatement(s, sigs)).outcome).toBe('duplicate');
    const blocks = await chain.blocks();
    expect(blocks.flatMap((b) => b.transactions)).toContain(r.txHash);
  });

  it('decodes reverts over HTTP', async () => {
    const s = statementOf(mg, 2n, { 'site:r1': 1n, 'site:r2': -1n });
    const sigs = await signStatement(s, chain.chainId, chain.addresses.settlement, vs.slice(0, 2).map((v) => v.key));
    await expectRevert(chain.submitStatement(s, sigs), 'BelowQuorum(2, 3)');
  });

  it('attaches to deployed contracts and signs locally with a private key', async () => {
    const other = await connectChain({ rpcUrl, privateKey: DEV_KEY_1, addresses: chain.addresses });
    expect(other.deployed).toBe(false);
    expect(other.sender).toBe(DEV_ADDRESS_1);
    expect(other.addresses).toEqual(chain.addresses);
    await expectRevert(other.grantGatekeeper(DEV_ADDRESS_1), `NotAdmin(${DEV_ADDRESS_1})`);
    const s = statementOf(mg, 3n, { 'site:r1': -50n, 'site:r2': 50n });
    const r = await other.submitStatement(s, await signStatement(s, other.chainId, other.addresses.settlement, vs.slice(1).map((v) => v.key)));
    expect(r.outcome).toBe('committed');
    expect(await chain.balanceOf(idOf('site:r1'))).toBe(450n);
    // withSender with a key on the admin's handle.
    await chain.grantGatekeeper(DEV_ADDRESS_1);
    const gk = chain.withSender({ privateKey: DEV_KEY_1 });
    await gk.registerDevices([{ device: idOf('device:rpc'), area: mg, credentialHash: idOf('c'), ratedPowerW: 1, kind: 1 }]);
    expect(await chain.isActive(idOf('device:rpc'))).toBe(true);
    await other.close();
  });

  it('refuses addresses that do not hold the contracts', async () => {
    const { registry, credits, settlement } = chain.addresses;
    await expect(connectChain({ rpcUrl, addresses: { registry, credits, settlement: DEV_ADDRESS_1 } })).rejects.toThrow(/no contract at the settlement address/);
    const e = await connectChain({ rpcUrl, addresses: { registry: credits, credits: registry, settlement } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ChainError);
    expect((e as ChainError).message).toBe('the contract addresses do not belong together');
    expect((e as ChainError).details.length).toBe(3);
  });

  it('reports an unreachable node, a bad URL and a bad key clearly', async () => {
    const port = await freePort();
    await expect(connectChain({ rpcUrl: `http://127.0.0.1:${port}`, requestTimeoutMs: 2000 })).rejects.toThrow(/cannot reach the chain at/);
    await expect(connectChain({ rpcUrl: 'ftp://example' })).rejects.toThrow(/must start with http/);
    await expect(connectChain({ rpcUrl, privateKey: '0x1234' })).rejects.toThrow(/private key/);
  });
});
