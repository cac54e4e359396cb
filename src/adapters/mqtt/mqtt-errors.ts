/**
 * Typed errors of the MQTT adapter (the caller's side: bad options, a broker that cannot be reached,
 * a command that does not match its schema). A bad payload from a device is never an exception: the
 * gateway counts it and answers on the device's reply topic (payload-parse.ts, mqtt-gateway.ts).
 */
import { GridmeshError } from '../../core/errors.js';

export type MqttFailure = 'bad-config' | 'bad-topic' | 'bad-command' | 'connect-failed' | 'broker-failed' | 'closed';

export class MqttError extends GridmeshError {
  override readonly name = 'MqttError';
  constructor(readonly reason: MqttFailure, message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, options);
  }
}
