import { describe, expect, it } from 'vitest';
import { trustSection } from './trust-section.js';
import type { TrustMetrics, ChainMetrics } from '../../core/trust/trust-metrics.js';

const counts = (rejected: Partial<Record<string, number>> = {}): TrustMetrics['readings'] => ({
  accepted: 100, overAuthorised: 0,
  rejected: { 'malformed': 0, 'unknown-device': 0, 'future-slot': 0, 'stale-slot': 0, 'revoked': 0, 'credential-expired': 0, 'not-yet-valid': 0, 'replay': 0, 'bad-signature': 0, 'implausible': 0, ...rejected } as TrustMetrics['readings']['rejected'],
});

const trust: TrustMetrics = {
  devices: 40, gatekeepers: 1, units: [{ area: 'n1', sites: 20, validators: 4 }],
  readings: counts({ 'bad-signature': 8, 'implausible': 3 }), orders: counts(),
  rejectedReadings: [{ slot: 5, device: 'did:key:z6MkForgedMeterAAAAAAAAAAAAAAAAAAAA', reason: 'bad-signature' }, { slot: 6, device: 'did:key:z6MkLiar<script>', reason: 'implausible' }],
  cappedSiteSlots: 0, statements: { final: 96, noQuorum: 0, producedOffline: 8 },
  dissent: { count: 2, listed: [{ slot: 3, unit: 'n1', validator: 'validator:n1:1', fields: ['deltasMinor[0]'] }] },
};

const chain: ChainMetrics = {
  kind: 'embedded', chainId: 31337, settlement: '0xabc', transactions: 110, gasUsed: 1_000_000, committed: 96, duplicates: 0, conflicts: 0, queued: 0,
  backlogMax: 8, reconciliationSlotsMax: 0, reconciliations: [{ unit: 'n2', statements: 8, reconnectedSlot: 12, committedSlot: 12, wallMs: 30 }],
  balances: { accounts: 21, top: [{ account: 'site:n1-h0', balanceMinor: -1234 }] }, flexibilityPayoutsMinor: 500, submitMs: 300, submitErrors: 0,
};

describe('trust section of the report', () => {
  it('shows rejections by reason, statements, the chain, reconciliation and dissent', () => {
    const html = trustSection({ slotMinutes: 15, metrics: { trust: { ...trust, chain } } as never });
    expect(html).toContain('Trust and settlement');
    expect(html).toContain('bad signature (forged key)');
    expect(html).toMatch(/<td class="num">8<\/td>/);
    expect(html).toContain('96 statements committed');
    expect(html).toContain('site:n1-h0');
    expect(html).toContain('-12.34');
    expect(html).toContain('validator:n1:1');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
  });

  it('is empty for a run without the trust layer', () => {
    expect(trustSection({ slotMinutes: 15, metrics: {} as never })).toBe('');
  });
});
