import { describe, expect, it } from 'vitest';
import { SignedMessageError } from './identity-errors.js';
import { aDevice } from './identity.fixture.js';
import { decodeSignedOrder, encodeOrder, orderProblem, signOrder, SIGNED_ORDER_BYTES, verifySignedOrder, type SignedOrderFields } from './signed-order.js';

const participant = aDevice('house-1/ems');
const order: SignedOrderFields = {
  participantKey: participant.publicKeyRaw, slot: 42, orderSeq: 7, side: 'offer', priorityClass: 3, energyWh: 1500, priceMinorPerKwh: -12,
};

describe('signed orders', () => {
  it('lays out the 51 signed bytes as documented (price as two\'s complement int32)', () => {
    const bytes = encodeOrder(order);
    expect(bytes).toHaveLength(51);
    expect(bytes[0]).toBe(0x21);
    expect(Buffer.from(bytes.subarray(33)).toString('hex')).toBe('0000002a' + '00000007' + '01' + '03' + '000005dc' + 'fffffff4');
  });

  it('signs, decodes and verifies an order', () => {
    const signed = signOrder(participant.privateKey, order);
    expect(signed).toHaveLength(SIGNED_ORDER_BYTES);
    expect(SIGNED_ORDER_BYTES).toBe(115);
    const { participantKey, signature, bytes, ...fields } = decodeSignedOrder(signed);
    expect(participantKey).toEqual(participant.publicKeyRaw);
    expect(signature).toHaveLength(64);
    expect(bytes).toBe(signed);
    expect(fields).toEqual({ slot: 42, orderSeq: 7, side: 'offer', priorityClass: 3, energyWh: 1500, priceMinorPerKwh: -12 });
    expect(verifySignedOrder(signed, participant.publicKey)).toBe(true);
    expect(decodeSignedOrder(signOrder(participant.privateKey, { ...order, side: 'bid' })).side).toBe('bid');
  });

  it('error: rejects a bad side or priority byte, length or version', () => {
    const signed = signOrder(participant.privateKey, order);
    const badSide = signed.slice();
    badSide[41] = 2;
    expect(orderProblem(badSide)).toMatch(/side/);
    const badPriority = signed.slice();
    badPriority[42] = 5;
    expect(() => decodeSignedOrder(badPriority)).toThrow(/priorityClass: expected 0..4/);
    expect(() => decodeSignedOrder(signed.subarray(1))).toThrow(SignedMessageError);
    expect(verifySignedOrder(badSide, participant.publicKey)).toBe(false);
  });

  it('error: names a field out of range when encoding', () => {
    expect(() => encodeOrder({ ...order, priorityClass: 5 })).toThrow(/priorityClass/);
    expect(() => encodeOrder({ ...order, priceMinorPerKwh: 2 ** 31 })).toThrow(/priceMinorPerKwh/);
    expect(() => encodeOrder({ ...order, side: 'sell' as 'bid' })).toThrow(/side: expected "bid" or "offer"/);
    expect(() => encodeOrder({ ...order, participantKey: new Uint8Array(0) })).toThrow(/participantKey/);
  });
});
