import { describe, expect, it } from 'vitest';
import { aDevice, aReading } from '../../core/identity/identity.fixture.js';
import { parsePayload } from './payload-parse.js';
import { commandPayloadSchema, statePayloadSchema, telemetryPayloadOf, telemetryPayloadSchema } from './payload-schemas.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('parsePayload', () => {
  it('parses a telemetry payload carrying a signed reading', () => {
    const payload = telemetryPayloadOf(aReading(aDevice()));
    const parsed = parsePayload(bytes(JSON.stringify(payload)), telemetryPayloadSchema, 1024);
    expect(parsed).toEqual({ ok: true, value: payload });
    expect(JSON.stringify(payload).length).toBeLessThan(200);
  });

  it('error: oversize is checked before the bytes are parsed', () => {
    const parsed = parsePayload(bytes('x'.repeat(2000)), telemetryPayloadSchema, 1024);
    expect(parsed).toEqual({ ok: false, error: { code: 'oversize', message: 'payload of 2000 bytes exceeds the limit of 1024 bytes' } });
  });

  it('error: bad JSON and invalid UTF-8', () => {
    expect(parsePayload(bytes('{"v":1,'), statePayloadSchema, 1024)).toMatchObject({ ok: false, error: { code: 'bad-json' } });
    expect(parsePayload(Uint8Array.from([0x7b, 0xff, 0x7d]), statePayloadSchema, 1024)).toMatchObject({ ok: false, error: { code: 'bad-json' } });
  });

  it('error: names the path of a schema error', () => {
    expect(parsePayload(bytes('{"v":1,"slot":3,"pluggedIn":"yes"}'), statePayloadSchema, 1024))
      .toMatchObject({ ok: false, error: { code: 'bad-schema', path: 'pluggedIn', message: expect.stringMatching(/^pluggedIn: /) } });
    expect(parsePayload(bytes('{"v":2,"slot":3}'), statePayloadSchema, 1024)).toMatchObject({ ok: false, error: { path: 'v' } });
    expect(parsePayload(bytes('{"v":1,"slot":3,"extra":1}'), statePayloadSchema, 1024)).toMatchObject({ ok: false, error: { code: 'bad-schema' } });
    expect(parsePayload(bytes('[]'), statePayloadSchema, 1024)).toMatchObject({ ok: false, error: { code: 'bad-schema', message: expect.stringMatching(/^\(root\): /) } });
  });

  it('accepts a command within its bounds', () => {
    const command = { v: 1, commandId: 'ems:42', slot: 100, setpointPowerW: -5000, durationSlots: 4 };
    expect(commandPayloadSchema.parse(command)).toEqual(command);
  });
});
