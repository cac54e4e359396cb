/**
 * Typed errors of the peer network adapter: the caller's side only (bad options, a body that cannot
 * be sent, a network that is closed). What arrives from a peer is never an exception: a bad frame
 * or a refused connection is counted (`PeerNetwork.counts()`) and the node carries on.
 */
import { GridmeshError } from '../../core/errors.js';

export type PeerFailure =
  | 'bad-config'
  | 'bad-topic'
  | 'bad-body'
  | 'too-large'
  | 'listen-failed'
  | 'closed'
  | 'bad-statement'
  | 'equivocation';

export class PeerError extends GridmeshError {
  override readonly name = 'PeerError';
  constructor(readonly reason: PeerFailure, message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, options);
  }
}
