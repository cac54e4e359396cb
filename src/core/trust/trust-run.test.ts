import { describe, expect, it } from 'vitest';
import { aScenario } from '../sim/scenario.fixture.js';
import { simulate } from '../sim/simulate.js';
import { prepareTrust } from './trust-setup.js';
import type { TrustSlotRecord } from './trust-run.js';
import type { Scenario, ScenarioInput } from '../sim/scenario-schema.js';
import { statementHash } from '../ledger/statement.js';
import { verifyProof, MerkleTree } from '../ledger/merkle-tree.js';
import { recoverSignerSync } from '../ledger/statement-signing.js';

/** A forged key, a replaying meter and an over-reporting one, in the second and third hour. */
const ROGUE_EVENTS: ScenarioInput['events'] = [
  { kind: 'rogue-device', site: 'n1-h0', behaviour: 'forged-key', startHour: 1, durationHours: 2 },
  { kind: 'rogue-device', site: 'n1-h1', behaviour: 'replay', startHour: 1, durationHours: 2 },
  { kind: 'rogue-device', site: 'n2-h2', behaviour: 'over-report', startHour: 1, durationHours: 2 },
];

const domain = { chainId: 31337n, settlement: '0x5FbDB2315678afecb367f032d93F642f64180aa3' as const };

async function run(scenario: Scenario, days = 0.5): Promise<{ records: TrustSlotRecord[]; result: ReturnType<typeof simulate> }> {
  const slots = Math.round((days * 24 * 60) / scenario.slotMinutes);
  const setup = await prepareTrust(scenario, scenario.seed, slots);
  const records: TrustSlotRecord[] = [];
  const result = simulate(scenario, { days, trust: { setup, domain, outbox: { slot: (r) => records.push(r) } } });
  return { records, result };
}

describe('trust layer in a simulated run', () => {
  it('accepts every honest reading and order and finalises one statement per unit and slot', async () => {
    const { records, result } = await run(aScenario());
    const t = result.metrics.trust;
    expect(t).toBeDefined();
    if (t === undefined) return;
    expect(Object.values(t.readings.rejected).every((n) => n === 0)).toBe(true);
    expect(Object.values(t.orders.rejected).every((n) => n === 0)).toBe(true);
    expect(t.readings.accepted).toBeGreaterThan(0);
    expect(t.statements.final).toBe(records.length * t.units.length);
    expect(t.statements.noQuorum).toBe(0);
    expect(t.dissent.count).toBe(0);
    for (const r of records) {
      for (const u of r.units) {
        const s = u.statement;
        expect(s).not.toBeNull();
        if (s === null) continue;
        expect(s.deltasMinor.reduce((a, b) => a + b, 0n)).toBe(0n);
        expect(u.hash).toBe(statementHash(s));
        expect(u.signatures.length).toBeGreaterThanOrEqual(3);
        for (const sig of u.signatures) expect(recoverSignerSync(domain.chainId, domain.settlement, statementHash(s), sig)).toMatch(/^0x/);
      }
    }
  });

  it('every reading is provable against its statement root', async () => {
    const { records } = await run(aScenario(), 0.1);
    const u = records[3]?.units.find((x) => x.readings.length > 2);
    expect(u?.statement).toBeTruthy();
    if (u?.statement == null) return;
    const tree = new MerkleTree();
    for (const leaf of u.readings) tree.append(leaf.bytes);
    expect(tree.root()).toBe(u.statement.readingsRoot);
    const proof = tree.proof(1);
    expect(verifyProof(u.readings[1]?.bytes as Uint8Array, proof, u.statement.readingsRoot)).toBe(true);
    expect(verifyProof(u.readings[2]?.bytes as Uint8Array, proof, u.statement.readingsRoot)).toBe(false);
  });

  it('rejects the readings of rogue meters by reason and does not settle them', async () => {
    const scenario = aScenario({
      events: ROGUE_EVENTS,
    });
    const { result } = await run(scenario);
    const t = result.metrics.trust;
    if (t === undefined) throw new Error('no trust metrics');
    const twoHours = 120 / scenario.slotMinutes;
    expect(t.readings.rejected['bad-signature']).toBe(twoHours);
    // The replayed record is a replay while it is recent, then stale (beyond trust.maxLateSlots).
    expect(t.readings.rejected.replay).toBe(scenario.trust.maxLateSlots);
    expect(t.readings.rejected.replay + t.readings.rejected['stale-slot']).toBe(twoHours);
    expect(t.readings.rejected.implausible).toBe(twoHours);
    expect(t.rejectedReadings.map((r) => r.reason)).toContain('implausible');
  });

  it('detects a dishonest validator and still finalises with the honest quorum', async () => {
    const { records, result } = await run(aScenario({ trust: { dishonestValidator: { microgrid: 'n1', index: 1 } } }), 0.1);
    const t = result.metrics.trust;
    if (t === undefined) throw new Error('no trust metrics');
    expect(t.dissent.count).toBe(records.length);
    expect(t.statements.noQuorum).toBe(0);
    expect(t.dissent.listed[0]?.unit).toBe('n1');
    expect(t.dissent.listed[0]?.fields.some((f) => f.startsWith('deltasMinor') || f === 'tradesRoot')).toBe(true);
  });

  it('caps a consumer at its authorised import', async () => {
    const { result } = await run(aScenario({ trust: { siteAuthorisedImportKwhPerDay: { 'n1-h1': 1 } } }), 1);
    const t = result.metrics.trust;
    if (t === undefined) throw new Error('no trust metrics');
    expect(t.cappedSiteSlots).toBeGreaterThan(0);
  });

  it('marks statements of a cut-off unit as produced offline', async () => {
    const { records, result } = await run(aScenario({ events: [{ kind: 'comm-cut', area: 'n2', startHour: 1, durationHours: 2 }] }), 0.5);
    expect(result.metrics.trust?.statements.producedOffline).toBe(120 / aScenario().slotMinutes);
    expect(records[4]?.units.find((u) => u.areaId === 'n2')?.online).toBe(false);
    expect(records[4]?.units.find((u) => u.areaId === 'n1')?.online).toBe(true);
  });
});

describe('trustOwnSignatures (a node skips verifying the signatures it has just made)', () => {
  it('gives the same results, rejections included: rogue meters\' records are still verified', async () => {
    const scenario = aScenario({
      events: ROGUE_EVENTS,
    });
    const days = 0.25;
    const setup = await prepareTrust(scenario, scenario.seed, Math.round((days * 24 * 60) / scenario.slotMinutes));
    const full = simulate(scenario, { days, trust: { setup, domain } });
    const trusting = simulate(scenario, { days, trust: { setup, domain, trustOwnSignatures: true } });
    expect(trusting.metrics.trust?.readings.rejected['bad-signature']).toBeGreaterThan(0);
    expect(trusting.metrics.trust).toEqual(full.metrics.trust);
    expect(trusting.resultsHash).toBe(full.resultsHash);
  });
});
