import { describe, expect, it } from 'vitest';
import { InboundQueue } from './inbound-queue.js';
import { MqttError } from './mqtt-errors.js';

describe('InboundQueue', () => {
  it('keeps order and refuses items beyond its capacity', () => {
    const queue = new InboundQueue<number>(2);
    expect([queue.offer(1), queue.offer(2), queue.offer(3)]).toEqual([true, true, false]);
    expect([queue.take(), queue.offer(4), queue.take(), queue.take(), queue.take()]).toEqual([1, true, 2, 4, undefined]);
  });

  it('stays FIFO across compaction', () => {
    const queue = new InboundQueue<number>(5000);
    for (let i = 0; i < 3000; i++) queue.offer(i);
    const taken: number[] = [];
    for (let i = 0; i < 2000; i++) taken.push(queue.take() as number);
    for (let i = 3000; i < 4000; i++) queue.offer(i);
    while (queue.length > 0) taken.push(queue.take() as number);
    expect(taken).toEqual(Array.from({ length: 4000 }, (_, i) => i));
  });

  it('error: a capacity that is not a positive integer is a bad-config MqttError', () => {
    expect(() => new InboundQueue(0)).toThrow(MqttError);
  });
});
