import { describe, expect, it } from 'vitest';
import { MqttFrameGuard } from './mqtt-frame-guard.js';

/** A PUBLISH-like packet: type byte, varint remaining length, body. */
function packet(bodyBytes: number): Uint8Array {
  const length: number[] = [];
  let rest = bodyBytes;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    length.push(byte);
  } while (rest > 0);
  return Uint8Array.from([0x30, ...length, ...new Array<number>(bodyBytes).fill(7)]);
}

describe('MqttFrameGuard', () => {
  it('passes packets up to the limit, also split across chunks', () => {
    const guard = new MqttFrameGuard(300);
    const stream = Uint8Array.from([...packet(0), ...packet(200), ...packet(297)]);
    for (let i = 0; i < stream.length; i += 7) expect(guard.feed(stream.subarray(i, i + 7))).toBe('ok');
  });

  it('error: reports a packet above the limit from its header alone', () => {
    const guard = new MqttFrameGuard(300);
    expect(guard.feed(packet(10))).toBe('ok');
    expect(guard.feed(packet(298).subarray(0, 3))).toBe('too-large');
  });

  it('error: reports a remaining length longer than 4 bytes as malformed', () => {
    expect(new MqttFrameGuard(1e9).feed(Uint8Array.from([0x30, 0xff, 0xff, 0xff, 0xff]))).toBe('malformed');
  });
});
