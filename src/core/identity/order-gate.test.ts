import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { aDevice, aGatekeeper, anOrder, anOrderGate, slotToSeconds } from './identity.fixture.js';
import type { OrderOutcome } from './order-gate.js';
import { signRevocationList } from './revocation-list.js';
import { signOrder } from './signed-order.js';

const ems = aDevice('house-1/ems');
const reasonOf = (outcome: OrderOutcome) => (outcome.accepted ? 'accepted' : outcome.reason);

describe('order gate', () => {
  it('accepts a signed order for the next slot, returning the order and its leaf bytes', async () => {
    const gate = await anOrderGate([ems]);
    const bytes = anOrder(ems, { slot: 11, orderSeq: 1, side: 'offer', energyWh: 1000, priceMinorPerKwh: -5 });
    const outcome = gate.ingestOrder(bytes, 10);
    if (!outcome.accepted) throw new Error(`rejected: ${outcome.reason}`);
    expect(outcome.order).toMatchObject({ slot: 11, orderSeq: 1, side: 'offer', energyWh: 1000, priceMinorPerKwh: -5 });
    expect(outcome.leaf).toEqual(bytes);
    expect(outcome.device.did).toBe(ems.did);
  });

  it('error: rejects malformed bytes, an unknown participant and a forged signature', async () => {
    const gate = await anOrderGate([ems]);
    const badSide = anOrder(ems);
    badSide[41] = 9;
    expect(reasonOf(gate.ingestOrder(badSide, 10))).toBe('malformed');
    expect(reasonOf(gate.ingestOrder(anOrder(aDevice('stranger')), 10))).toBe('unknown-device');
    const forged = signOrder(aDevice('forger').privateKey, {
      participantKey: ems.publicKeyRaw, slot: 11, orderSeq: 1, side: 'offer', priorityClass: 0, energyWh: 100, priceMinorPerKwh: 1,
    });
    expect(reasonOf(gate.ingestOrder(forged, 10))).toBe('bad-signature');
  });

  it('error: rejects a replayed order and any order whose sequence does not increase', async () => {
    const gate = await anOrderGate([ems]);
    const first = anOrder(ems, { orderSeq: 5 });
    expect(reasonOf(gate.ingestOrder(first, 10))).toBe('accepted');
    expect(reasonOf(gate.ingestOrder(first, 10))).toBe('replay');
    expect(reasonOf(gate.ingestOrder(anOrder(ems, { orderSeq: 4, slot: 12 }), 10))).toBe('replay');
    expect(reasonOf(gate.ingestOrder(anOrder(ems, { orderSeq: 6, slot: 11 }), 10))).toBe('accepted');
  });

  it('error: rejects orders for past slots and beyond the look-ahead window', async () => {
    const gate = await anOrderGate([ems], {}, { maxAheadSlots: 4 });
    expect(reasonOf(gate.ingestOrder(anOrder(ems, { slot: 9 }), 10))).toBe('stale-slot');
    expect(reasonOf(gate.ingestOrder(anOrder(ems, { slot: 15 }), 10))).toBe('future-slot');
    expect(reasonOf(gate.ingestOrder(anOrder(ems, { slot: 14 }), 10))).toBe('accepted');
  });

  it('error: rejects orders of a revoked or expired credential', async () => {
    const gate = await anOrderGate([ems], { credentialId: 'ems-1', expiresAtSeconds: slotToSeconds(30) });
    gate.applyRevocationList(signRevocationList(aGatekeeper().privateKey, { sequence: 1, revoked: [{ credentialId: 'ems-1', effectiveSlot: 20 }] }));
    expect(reasonOf(gate.ingestOrder(anOrder(ems, { slot: 20, orderSeq: 1 }), 19))).toBe('revoked');
    expect(reasonOf(gate.ingestOrder(anOrder(ems, { slot: 19, orderSeq: 2 }), 19))).toBe('accepted');
    const expiring = await anOrderGate([ems], { expiresAtSeconds: slotToSeconds(12), notBeforeSeconds: slotToSeconds(11) });
    expect(reasonOf(expiring.ingestOrder(anOrder(ems, { slot: 10, orderSeq: 1 }), 10))).toBe('not-yet-valid');
    expect(reasonOf(expiring.ingestOrder(anOrder(ems, { slot: 12, orderSeq: 2 }), 10))).toBe('credential-expired');
  });

  it('error: rejects implausible energy (zero, above rated power × tolerance × slot) and prices', async () => {
    const gate = await anOrderGate([ems], { ratedPowerW: 10_000 });
    expect(reasonOf(gate.ingestOrder(anOrder(ems, { orderSeq: 1, energyWh: 0 }), 10))).toBe('implausible');
    expect(reasonOf(gate.ingestOrder(anOrder(ems, { orderSeq: 2, energyWh: 2751 }), 10))).toBe('implausible');
    expect(reasonOf(gate.ingestOrder(anOrder(ems, { orderSeq: 3, priceMinorPerKwh: 1_000_001 }), 10))).toBe('implausible');
    expect(reasonOf(gate.ingestOrder(anOrder(ems, { orderSeq: 4, energyWh: 2750 }), 10))).toBe('accepted');
    expect(gate.counts().rejected.implausible).toBe(3);
  });

  it('rejects any single flipped byte of a signed order', async () => {
    const gate = await anOrderGate([ems]);
    const bytes = anOrder(ems);
    fc.assert(fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), (at, mask) => {
      const flipped = bytes.slice();
      flipped[at]! ^= mask;
      expect(gate.ingestOrder(flipped, 10).accepted).toBe(false);
    }), { numRuns: 300 });
    expect(reasonOf(gate.ingestOrder(bytes, 10))).toBe('accepted');
  });
});
