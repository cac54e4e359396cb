import { describe, expect, it } from 'vitest';
import { GateError } from './identity-errors.js';
import { ImportAccount, type ImportGrant } from './import-authorisation.js';

const capped: ImportGrant = { authorisedImportWh: 1000, authorisedPeriodSlots: 4 };
const prepaid: ImportGrant = { authorisedImportWh: null, authorisedPeriodSlots: 4, prepaid: true };

describe('import authorisation', () => {
  it('flags the reading that takes a device beyond its authorised import and caps the rest', () => {
    const account = new ImportAccount();
    expect(account.remainingWh(capped, 0)).toBe(1000);
    expect(account.record(capped, 0, 600)).toBe(false);
    expect(account.remainingWh(capped, 1)).toBe(400);
    expect(account.record(capped, 1, 400)).toBe(false);
    expect(account.remainingWh(capped, 2)).toBe(0);
    expect(account.record(capped, 2, 1)).toBe(true);
    expect(account.remainingWh(capped, 3)).toBe(0);
  });

  it('starts a fresh allowance each period; past periods are closed', () => {
    const account = new ImportAccount();
    account.record(capped, 3, 900);
    expect(account.remainingWh(capped, 4)).toBe(1000);
    expect(account.record(capped, 4, 700)).toBe(false);
    expect(account.remainingWh(capped, 5)).toBe(300);
    expect(account.remainingWh(capped, 3)).toBe(0);
    expect(account.remainingWh(capped, 8)).toBe(1000);
  });

  it('never caps an unlimited, non-prepaid device', () => {
    const account = new ImportAccount();
    const unlimited: ImportGrant = { authorisedImportWh: null, authorisedPeriodSlots: 1 };
    expect(account.record(unlimited, 0, 4_000_000_000)).toBe(false);
    expect(account.remainingWh(unlimited, 0)).toBeNull();
  });

  it('limits a prepaid device by a balance that only top-ups raise', () => {
    const account = new ImportAccount();
    expect(account.remainingWh(prepaid, 0)).toBe(0);
    expect(account.topUp(prepaid, 500)).toBe(500);
    expect(account.record(prepaid, 0, 300)).toBe(false);
    expect(account.remainingWh(prepaid, 0)).toBe(200);
    expect(account.record(prepaid, 5, 300)).toBe(true); // a new period does not refill the balance
    expect(account.balanceWh).toBe(-100);
    expect(account.remainingWh(prepaid, 5)).toBe(0);
    expect(account.topUp(prepaid, 150)).toBe(50);
    expect(account.remainingWh(prepaid, 5)).toBe(50);
  });

  it('applies both the period limit and the balance to a capped prepaid device', () => {
    const account = new ImportAccount();
    const both: ImportGrant = { ...capped, prepaid: true };
    account.topUp(both, 5000);
    expect(account.remainingWh(both, 0)).toBe(1000);
    account.record(both, 0, 900);
    expect(account.remainingWh(both, 0)).toBe(100);
  });

  it('error: refuses a top-up of a non-prepaid device or a bad amount', () => {
    const account = new ImportAccount();
    expect(() => account.topUp(capped, 10)).toThrow(GateError);
    expect(() => account.topUp(capped, 10)).toThrow(expect.objectContaining({ reason: 'not-prepaid' }));
    expect(() => account.topUp(prepaid, 0)).toThrow(expect.objectContaining({ reason: 'bad-amount' }));
    expect(() => account.topUp(prepaid, 1.5)).toThrow(/integer/);
  });
});
