/** Checks of the peer network's options: a bad option is a PeerError before anything listens. */
import { isDidKey } from '../../core/identity/did-key.js';
import { PeerError } from './peer-errors.js';
import type { PeerConfig, PeerNetworkOptions } from './peer-network-types.js';
import { isPeerUrl } from './wire-frames.js';

export function checkPeerNetworkOptions(options: PeerNetworkOptions): void {
  const { host, port } = options.listen;
  if (typeof host !== 'string') throw new PeerError('bad-config', 'listen.host: expected a string');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new PeerError('bad-config', `listen.port: expected 0..65535 (got ${port})`);
  if (options.advertiseUrl !== undefined && !isPeerUrl(options.advertiseUrl)) {
    throw new PeerError('bad-config', `advertiseUrl: expected a ws:// or wss:// URL (got ${options.advertiseUrl})`);
  }
  const seen = new Set<string>();
  for (const peer of options.peers ?? []) {
    checkPeerConfig(peer, options.key.did);
    if (seen.has(peer.did)) throw new PeerError('bad-config', `peer ${peer.did} is listed twice`);
    seen.add(peer.did);
  }
}

export function checkPeerConfig(peer: PeerConfig, self: string): void {
  if (!isDidKey(peer.did)) throw new PeerError('bad-config', `peer did: expected an Ed25519 did:key (got ${String(peer.did).slice(0, 80)})`);
  if (peer.did === self) throw new PeerError('bad-config', 'a node cannot list itself as a peer');
  if (peer.url !== undefined && !isPeerUrl(peer.url)) throw new PeerError('bad-config', `peer ${peer.did}: url must be ws:// or wss:// (got ${peer.url})`);
}
