/**
 * The MQTT topic scheme (docs/mqtt.md):
 *
 *   gridmesh/v1/<area>/<device>/<channel>
 *
 * - `v1` is the scheme version; a change that breaks devices gets a new root.
 * - `<area>` is the connection credential's area, percent-encoded as one topic level
 *   (encodeURIComponent: `riverside/street-3` -> `riverside%2Fstreet-3`), so `/`, `+` and `#` never
 *   appear raw inside it.
 * - `<device>` is the multibase part of the device's did:key (`did:key:z6Mk…` -> `z6Mk…`, 48
 *   base58btc characters: URL- and topic-safe).
 * - channels: device -> node `telemetry` (signed readings), `state` and `orders` (a participant's
 *   signed bids and offers; `<device>` is then the participant's DID); node -> device `commands`
 *   (setpoints) and `reply` (errors about the device's own bad payloads).
 */
import { DID_KEY_MAX_LENGTH, isDidKey } from '../../core/identity/did-key.js';
import { MqttError } from './mqtt-errors.js';

export const TOPIC_ROOT = 'gridmesh/v1';
export const DEVICE_CHANNELS = ['telemetry', 'state', 'orders', 'commands', 'reply'] as const;
export type DeviceChannel = (typeof DEVICE_CHANNELS)[number];
/** Channels a device publishes on (and the gateway subscribes to). */
export const INBOUND_CHANNELS = ['telemetry', 'state', 'orders'] as const satisfies readonly DeviceChannel[];
export type InboundChannel = (typeof INBOUND_CHANNELS)[number];

/** Longest topic the gateway looks at; longer ones are counted as bad topics without parsing. */
export const TOPIC_CHARS_MAX = 512;
/** Longest area name (matches the credential's text field bound). */
export const AREA_CHARS_MAX = 256;

const DID_PREFIX = 'did:key:';

export interface DeviceAddress {
  /** The device's did:key. */
  readonly did: string;
  /** The area of its connection credential (decoded, e.g. `riverside/street-3`). */
  readonly area: string;
}

export interface DeviceTopic extends DeviceAddress {
  readonly channel: DeviceChannel;
}

/** `z6Mk…`: the did's multibase part, one topic level. */
export function deviceTopicIdOfDid(did: string): string {
  if (!isDidKey(did)) throw new MqttError('bad-topic', `expected a did:key of an Ed25519 key (got ${JSON.stringify(did.slice(0, 80))})`);
  return did.slice(DID_PREFIX.length);
}

export function areaTopicLevel(area: string): string {
  if (area.length === 0 || area.length > AREA_CHARS_MAX) {
    throw new MqttError('bad-topic', `area: expected 1 to ${AREA_CHARS_MAX} characters (got ${area.length})`);
  }
  return encodeURIComponent(area);
}

export function deviceTopic(device: DeviceAddress, channel: DeviceChannel): string {
  return `${TOPIC_ROOT}/${areaTopicLevel(device.area)}/${deviceTopicIdOfDid(device.did)}/${channel}`;
}

/** The subscription filter for one channel of every device, or of the devices of one area. */
export function channelFilter(channel: DeviceChannel, area?: string): string {
  return `${TOPIC_ROOT}/${area === undefined ? '+' : areaTopicLevel(area)}/+/${channel}`;
}

/** The device and channel a topic names, or null when it is not a well-formed device topic. */
export function parseDeviceTopic(topic: string): DeviceTopic | null {
  if (topic.length > TOPIC_CHARS_MAX || !topic.startsWith(`${TOPIC_ROOT}/`)) return null;
  const levels = topic.slice(TOPIC_ROOT.length + 1).split('/');
  if (levels.length !== 3) return null;
  const [areaLevel, deviceLevel, channel] = levels as [string, string, string];
  if (!(DEVICE_CHANNELS as readonly string[]).includes(channel)) return null;
  const did = DID_PREFIX + deviceLevel;
  if (did.length > DID_KEY_MAX_LENGTH || !isDidKey(did)) return null;
  const area = decodeArea(areaLevel);
  if (area === null) return null;
  return { did, area, channel: channel as DeviceChannel };
}

function decodeArea(level: string): string | null {
  if (level.length === 0) return null;
  try {
    const area = decodeURIComponent(level);
    // Only the canonical encoding names an area, so one area has exactly one topic level.
    return area.length <= AREA_CHARS_MAX && encodeURIComponent(area) === level ? area : null;
  } catch {
    return null;
  }
}
