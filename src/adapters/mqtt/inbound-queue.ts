/**
 * A bounded FIFO between the MQTT client's message events and the gateway's processing. Beyond
 * `capacity` messages a new one is dropped (and counted by the caller): under a burst the node
 * sheds the newest input rather than growing memory without limit.
 */
import { MqttError } from './mqtt-errors.js';

export const INBOUND_QUEUE_MESSAGES_MAX_DEFAULT = 10_000;
export const INBOUND_QUEUE_MESSAGES_MAX_LIMIT = 10_000_000;

export class InboundQueue<T> {
  private items: T[] = [];
  private head = 0;

  constructor(readonly capacity: number = INBOUND_QUEUE_MESSAGES_MAX_DEFAULT) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > INBOUND_QUEUE_MESSAGES_MAX_LIMIT) {
      throw new MqttError('bad-config', `inboundQueueMessagesMax: expected an integer from 1 to ${INBOUND_QUEUE_MESSAGES_MAX_LIMIT} (got ${capacity})`);
    }
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** False (and the item is not kept) when the queue is full. */
  offer(item: T): boolean {
    if (this.length >= this.capacity) return false;
    this.items.push(item);
    return true;
  }

  take(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    // Compact now and then, so taking stays O(1) without the array growing forever.
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
