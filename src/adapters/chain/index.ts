/** gridmesh's trust layer on an EVM chain (ADR 0011): contracts, embedded chain, JSON-RPC chain. */
export type { Eip1193Like, MinedTx, TxRequest } from './chain-connection.js';
export { ChainError, ContractRevertError, decodeRevert, type DecodedRevert } from './chain-errors.js';
export type {
  ChainBlock,
  ChainJournal,
  ChainSender,
  ContractAddresses,
  DeviceInfo,
  DeviceRecord,
  DeviceStatus,
  JournalTx,
  SettlementChain,
  SubmitOutcome,
  SubmitResult,
  TxResult,
} from './chain-types.js';
export { ARTIFACTS_URL, CONTRACT_ARTIFACTS, type ContractArtifact, type ContractName } from './contract-artifacts.js';
export { DEFAULT_BLOCK_GAS_LIMIT, DEFAULT_INITIAL_DATE, EMBEDDED_CHAIN_ID, openEmbeddedChain, type EmbeddedChain, type EmbeddedChainOptions } from './embedded-chain.js';
export { connectChain, type ConnectChainOptions, type RpcChain } from './rpc-chain.js';
export { DEFAULT_DEVICE_BATCH_SIZE } from './settlement-chain.js';
export { compareAddresses, signDigest, signStatement, sortValidators } from './statement-signing.js';
