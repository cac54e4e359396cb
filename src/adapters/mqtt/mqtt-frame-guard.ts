/**
 * Watches the MQTT fixed headers of a byte stream (one type byte, then the "remaining length" as a
 * 1-4 byte varint) and says when a packet would exceed the size limit, before its body arrives.
 * aedes has no packet size option: the embedded broker closes a connection as soon as this guard
 * reports an oversize packet, so a client cannot make the broker buffer megabytes.
 */
export type FrameVerdict = 'ok' | 'too-large' | 'malformed';

type State = 'type' | 'length' | 'body';

export class MqttFrameGuard {
  private state: State = 'type';
  private remainingBytes = 0;
  private lengthMultiplier = 1;
  private lengthBytes = 0;

  constructor(readonly maxPacketBytes: number) {}

  /** Feeds the next chunk of the stream; after 'too-large' or 'malformed' the stream must close. */
  feed(chunk: Uint8Array): FrameVerdict {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'body') {
        const take = Math.min(this.remainingBytes, chunk.length - i);
        this.remainingBytes -= take;
        i += take;
        if (this.remainingBytes === 0) this.state = 'type';
      } else if (this.state === 'type') {
        i++;
        this.state = 'length';
        this.remainingBytes = 0;
        this.lengthMultiplier = 1;
        this.lengthBytes = 0;
      } else {
        const verdict = this.lengthByte(chunk[i] as number);
        i++;
        if (verdict !== 'ok') return verdict;
      }
    }
    return 'ok';
  }

  private lengthByte(byte: number): FrameVerdict {
    this.remainingBytes += (byte & 0x7f) * this.lengthMultiplier;
    this.lengthMultiplier *= 128;
    this.lengthBytes++;
    if ((byte & 0x80) !== 0) return this.lengthBytes >= 4 ? 'malformed' : 'ok';
    // Whole packet = type byte + length bytes + remaining length.
    if (1 + this.lengthBytes + this.remainingBytes > this.maxPacketBytes) return 'too-large';
    this.state = this.remainingBytes === 0 ? 'type' : 'body';
    return 'ok';
  }
}
