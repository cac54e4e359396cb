/** `--chain-rpc URL` (simulate, ledger): an http(s) URL of an EVM JSON-RPC endpoint, checked at the edge. */
import { UsageError } from '../core/errors.js';

export function parseChainRpcUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--chain-rpc must be an http(s) URL such as http://127.0.0.1:8545, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--chain-rpc must be an http(s) URL, got "${text}"`);
  return text;
}
