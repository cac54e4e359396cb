import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAbiParameters, type Address, type Hex } from 'viem';
import { idOf } from '../../core/ledger/statement.js';
import { deployRaw, expectRevert, readFn, sendFn } from './chain.fixture.js';
import { eventTopic } from './contract-codec.js';
import { openEmbeddedChain, type EmbeddedChain } from './embedded-chain.js';

const ZERO: Address = '0x0000000000000000000000000000000000000000';

describe('SettlementCredits', () => {
  let chain: EmbeddedChain;
  let deployer: Address;
  let settlement: Address;
  let stranger: Address;
  /** A credits instance whose "settlement" is an ordinary account, to drive applyDeltas directly. */
  let credits: Address;
  const [alice, bob, carol] = [idOf('site:alice'), idOf('site:bob'), idOf('site:carol')];

  const apply = (from: Address, accounts: readonly Hex[], deltas: readonly bigint[]) =>
    sendFn(chain, from, 'SettlementCredits', credits, 'applyDeltas', [accounts, deltas]);
  const balance = async (account: Hex) => (await readFn(chain, 'SettlementCredits', credits, 'balanceOf', [account]))[0] as bigint;
  const totalPositive = async () => (await readFn(chain, 'SettlementCredits', credits, 'totalPositive'))[0] as bigint;

  beforeAll(async () => {
    chain = await openEmbeddedChain();
    [deployer, settlement, stranger] = chain.accounts as [Address, Address, Address];
    credits = await deployRaw(chain, deployer, 'SettlementCredits', []);
  });
  afterAll(() => chain.close());

  it('describes itself ERC-20 style', async () => {
    const r = (fn: string) => readFn(chain, 'SettlementCredits', chain.addresses.credits, fn);
    expect((await r('name'))[0]).toBe('Gridmesh Settlement Credit');
    expect((await r('symbol'))[0]).toBe('GMSC');
    expect((await r('decimals'))[0]).toBe(2);
    expect((await r('settlement'))[0]).toBe(chain.addresses.settlement);
    expect((await r('deployer'))[0]).toBe(deployer);
  });

  it('refuses changes before the settlement contract is set', async () => {
    await expectRevert(apply(settlement, [alice], [0n]), `NotSettlement(${settlement})`);
  });

  it('lets only the deployer set the settlement contract, once, and not to zero', async () => {
    await expectRevert(sendFn(chain, stranger, 'SettlementCredits', credits, 'setSettlement', [settlement]), `NotDeployer(${stranger})`);
    await expectRevert(sendFn(chain, deployer, 'SettlementCredits', credits, 'setSettlement', [ZERO]), 'ZeroAddress()');
    await sendFn(chain, deployer, 'SettlementCredits', credits, 'setSettlement', [settlement]);
    await expectRevert(sendFn(chain, deployer, 'SettlementCredits', credits, 'setSettlement', [stranger]), `SettlementAlreadySet(${settlement})`);
    // The wired instance of the embedded chain is set already, too.
    await expectRevert(
      sendFn(chain, deployer, 'SettlementCredits', chain.addresses.credits, 'setSettlement', [stranger]),
      `SettlementAlreadySet(${chain.addresses.settlement})`,
    );
  });

  it('applies balanced deltas from the settlement contract only, with signed balances', async () => {
    await expectRevert(apply(stranger, [alice, bob], [5n, -5n]), `NotSettlement(${stranger})`);
    await expectRevert(apply(deployer, [alice, bob], [5n, -5n]), `NotSettlement(${deployer})`);
    const mined = await apply(settlement, [alice, bob, carol, alice], [700n, -1000n, 0n, 300n]);
    expect(await balance(alice)).toBe(1000n);
    expect(await balance(bob)).toBe(-1000n);
    expect(await balance(carol)).toBe(0n);
    expect(await totalPositive()).toBe(1000n);
    // One BalanceChanged per non-zero change: (account, delta, balance after).
    const changed = eventTopic('SettlementCredits', 'BalanceChanged');
    const events = mined.logs.filter((l) => l.topics[0] === changed).map((l) => [l.topics[1], ...decodeAbiParameters([{ type: 'int256' }, { type: 'int256' }], l.data)]);
    expect(events).toEqual([[alice, 700n, 700n], [bob, -1000n, -1000n], [alice, 300n, 1000n]]);
  });

  it('keeps totalPositive equal to the sum of positive balances as signs flip', async () => {
    await apply(settlement, [alice, bob], [-1500n, 1500n]); // alice 1000 → -500, bob -1000 → 500
    expect(await balance(alice)).toBe(-500n);
    expect(await balance(bob)).toBe(500n);
    expect(await totalPositive()).toBe(500n);
    await apply(settlement, [alice, bob, carol], [500n, -700n, 200n]); // 0, -200, 200
    expect(await totalPositive()).toBe(200n);
  });

  it('refuses unbalanced deltas and mismatched lengths', async () => {
    await expectRevert(apply(settlement, [alice, bob], [5n, -4n]), 'NotBalanced(1)');
    await expectRevert(apply(settlement, [alice, bob], [5n]), 'LengthMismatch(2, 1)');
    expect(await balance(alice)).toBe(0n);
  });

  it('refuses a delta outside [-2^128, 2^128), naming its index; the bounds themselves apply', async () => {
    const limit = 2n ** 128n;
    await expectRevert(apply(settlement, [alice, bob], [limit, -limit]), 'DeltaOutOfRange(0)');
    await expectRevert(apply(settlement, [alice, bob, carol], [1n, -limit - 1n, limit]), 'DeltaOutOfRange(1)');
    await expectRevert(apply(settlement, [alice, bob], [2n ** 255n - 1n, -(2n ** 255n - 1n)]), 'DeltaOutOfRange(0)');
    await apply(settlement, [alice, bob, carol], [limit - 1n, -limit, 1n]);
    expect(await balance(bob)).toBe(-200n - limit);
    expect(await totalPositive()).toBe(200n + limit);
    await apply(settlement, [alice, bob, bob, carol], [1n - limit, limit - 1n, 1n, -1n]);
    expect(await balance(bob)).toBe(-200n);
    expect(await totalPositive()).toBe(200n);
  });
});
