import { afterAll, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { tallyQuorum } from '../../core/ledger/quorum.js';
import { signStatementSync } from '../../core/ledger/statement-signing.js';
import { idOf, statementHash } from '../../core/ledger/statement.js';
import { compareAddresses, simValidatorKey } from '../../core/ledger/validator-keys.js';
import { encodeTradeLeaf } from '../../core/trust/trade-leaf.js';
import { executeUnitSettlement, type UnitSlotInputs } from '../../core/trust/unit-settlement.js';
import { ValidatorPool, ValidatorPoolError, type UnitVoteJob } from './validator-pool.js';

const domain = { chainId: 31337n, settlement: '0x5FbDB2315678afecb367f032d7dFc0Ad11aa3e27' } as const;
const validators = [0, 1, 2, 3].map((k) => simValidatorKey(7, `pool-validator-${k}`)).sort((a, b) => compareAddresses(a.address, b.address));
const SLOT = 12;

function unitInputs(unit: number, overTrade = false): UnitSlotInputs {
  const sites = [0, 1, 2].map((i) => ({ device: `did:key:site-${unit}-${i}`, account: idOf(`site:${unit}-${i}`) }));
  const prices = { shortMinorPerKwh: 40, longMinorPerKwh: 5 };
  return {
    microgrid: idOf(`area:${unit}`), marketAccount: idOf(`market:${unit}`), slot: SLOT, payouts: [],
    readings: sites.map((s, i) => ({ leaf: Uint8Array.of(1, unit, i), device: s.device, account: s.account, importWh: 100 * i, exportWh: 50 })),
    orders: [
      { leaf: Uint8Array.of(2, unit, 0), device: sites[0]!.device, account: sites[0]!.account, side: 'bid' as const, energyWh: 300 },
      { leaf: Uint8Array.of(2, unit, 1), device: sites[1]!.device, account: sites[1]!.account, side: 'offer' as const, energyWh: 200 },
    ],
    trades: [
      encodeTradeLeaf({ account: sites[0]!.account, slot: SLOT, boughtWh: overTrade ? 301 : 120, soldWh: 0, paidMinor: 30, receivedMinor: 0, ...prices }),
      encodeTradeLeaf({ account: sites[1]!.account, slot: SLOT, boughtWh: 0, soldWh: 120, paidMinor: 0, receivedMinor: 25, ...prices }),
    ],
  };
}

const job = (unit: number, overTrade = false): UnitVoteJob => ({ inputs: unitInputs(unit, overTrade), validators, domain });

describe('ValidatorPool', () => {
  const pool = new ValidatorPool({ threads: 2 });
  afterAll(() => pool.close());

  it('votes on worker threads exactly as the validators do in-process, and the votes reach a quorum', async () => {
    const units = [0, 1, 2, 3, 4];
    const results = await Promise.all(units.map((u) => pool.vote(job(u))));
    for (const [k, votes] of results.entries()) {
      const expected = executeUnitSettlement(unitInputs(units[k]!));
      expect([...votes.keys()]).toEqual(validators.map((v) => v.id));
      for (const v of validators) {
        const vote = votes.get(v.id)!;
        expect(vote.statement).toEqual(expected);
        expect(vote.hash).toBe(statementHash(expected));
        expect(vote.signature).toBe(signStatementSync(v.privateKey, domain.chainId, domain.settlement, statementHash(expected)));
      }
      const q = tallyQuorum({ validators, votes });
      expect(q.final).toBe(true);
      if (q.final) expect(q.signatures).toHaveLength(4);
    }
  });

  it('error: a unit whose inputs a validator refuses fails with its reason; the pool goes on', async () => {
    const e = await pool.vote(job(9, true)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidatorPoolError);
    expect((e as ValidatorPoolError).kind).toBe('refused');
    expect((e as Error).message).toMatch(/traded beyond its signed orders in slot 12/);
    expect((await pool.vote(job(10))).size).toBe(4);
  });

  it('error: a thread that dies fails its jobs and is replaced', async () => {
    const p = new ValidatorPool({ threads: 1 });
    try {
      const inFlight = p.vote(job(1));
      await (p as unknown as { jobs: { slots: { worker: Worker }[] } }).jobs.slots[0]!.worker.terminate();
      const e = await inFlight.catch((x: unknown) => x);
      expect((e as ValidatorPoolError).kind).toBe('worker-failed');
      expect((await p.vote(job(2))).size).toBe(4);
    } finally {
      await p.close();
    }
  });

  it('error: bounded jobs in flight, and nothing after close', async () => {
    const p = new ValidatorPool({ threads: 1, maxPending: 2 });
    const accepted = [p.vote(job(1)), p.vote(job(2))];
    const e = await p.vote(job(3)).catch((x: unknown) => x);
    expect((e as ValidatorPoolError).kind).toBe('busy');
    expect((e as Error).message).toBe('the validator pool has 2 jobs in flight (at most 2)');
    expect((await Promise.all(accepted)).map((v) => v.size)).toEqual([4, 4]);
    const late = p.vote(job(4)).catch((x: unknown) => x);
    await p.close();
    expect(((await late) as ValidatorPoolError).kind).toBe('closed');
    expect(((await p.vote(job(5)).catch((x: unknown) => x)) as ValidatorPoolError).kind).toBe('closed');
  });

  it('error: refuses a bad configuration', () => {
    expect(() => new ValidatorPool({ threads: 0 })).toThrow('threads: expected an integer from 1 to 64 (got 0)');
    expect(() => new ValidatorPool({ maxPending: 1.5 })).toThrow('maxPending: expected an integer from 1 to 1000000 (got 1.5)');
  });
});
