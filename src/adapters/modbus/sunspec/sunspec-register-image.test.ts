import { describe, expect, it } from 'vitest';
import { MODBUS_EXCEPTION, SunSpecRegisterImage } from './sunspec-register-image.js';

describe('SunSpec register image', () => {
  const anImage = (): SunSpecRegisterImage => new SunSpecRegisterImage(40000, [{ block: [124, 2, 10, 20], writableOffsets: [3] }]);

  it('lays out marker, models and end model from the base address', () => {
    expect(anImage().read(40000, 8)).toEqual([0x5375, 0x6e53, 124, 2, 10, 20, 0xffff, 0]);
    expect(anImage().modelAddress(124)).toBe(40002);
  });

  it('writes writable registers', () => {
    const image = anImage();
    image.write(40005, [99]);
    expect(image.get(124, 3)).toBe(99);
  });

  it('error: writes to read-only registers and reads outside the image are illegal addresses', () => {
    const code = { modbusErrorCode: MODBUS_EXCEPTION.illegalDataAddress };
    expect(() => anImage().write(40004, [1, 2])).toThrow(expect.objectContaining(code));
    expect(() => anImage().read(40007, 2)).toThrow(expect.objectContaining(code));
  });
});
