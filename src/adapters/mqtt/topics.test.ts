import { describe, expect, it } from 'vitest';
import { aDevice } from '../../core/identity/identity.fixture.js';
import { MqttError } from './mqtt-errors.js';
import { channelFilter, deviceTopic, deviceTopicIdOfDid, parseDeviceTopic } from './topics.js';

const device = aDevice();

describe('topics', () => {
  it('names a device by the multibase part of its did:key and percent-encodes the area', () => {
    const topic = deviceTopic({ did: device.did, area: 'riverside/street-3' }, 'telemetry');
    expect(topic).toBe(`gridmesh/v1/riverside%2Fstreet-3/${device.did.slice('did:key:'.length)}/telemetry`);
    expect(deviceTopicIdOfDid(device.did)).toMatch(/^z6Mk[1-9A-HJ-NP-Za-km-z]{44}$/);
  });

  it('parses back what it builds', () => {
    const topic = deviceTopic({ did: device.did, area: 'a b/c+#' }, 'state');
    expect(parseDeviceTopic(topic)).toEqual({ did: device.did, area: 'a b/c+#', channel: 'state' });
  });

  it('builds subscription filters for all areas or one', () => {
    expect(channelFilter('telemetry')).toBe('gridmesh/v1/+/+/telemetry');
    expect(channelFilter('state', 'riverside/street-3')).toBe('gridmesh/v1/riverside%2Fstreet-3/+/state');
  });

  it('error: refuses topics that are not device topics', () => {
    const id = deviceTopicIdOfDid(device.did);
    for (const topic of [
      'gridmesh/v2/a/' + id + '/telemetry', `gridmesh/v1/a/${id}/bids`, `gridmesh/v1/a/${id}x/telemetry`,
      `gridmesh/v1/a/b/${id}/telemetry`, `gridmesh/v1//${id}/telemetry`, `gridmesh/v1/a%2f/${id}/telemetry`,
      `gridmesh/v1/%E0%A4%A/${id}/telemetry`, 'x'.repeat(600),
    ]) {
      expect(parseDeviceTopic(topic)).toBeNull();
    }
  });

  it('error: a DID that is not a did:key is a bad-topic MqttError', () => {
    expect(() => deviceTopic({ did: 'did:web:example.org', area: 'a' }, 'reply')).toThrow(MqttError);
    expect(() => deviceTopic({ did: device.did, area: '' }, 'reply')).toThrow(/area/);
  });
});
