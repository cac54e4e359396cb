/**
 * The typed wrapper over the three contracts (ADR 0011), on any `ChainConnection`: deploys them
 * (`deploySettlementContracts`) or attaches to deployed ones (`attachSettlementChain`).
 */
import { getAddress, type Address, type Hex } from 'viem';
import type { ChainConnection, MinedTx } from './chain-connection.js';
import { ChainError } from './chain-errors.js';
import type {
  ChainBlock,
  ChainSender,
  ContractAddresses,
  DeviceInfo,
  DeviceStatus,
  SettlementChain,
  SubmitResult,
  TxResult,
} from './chain-types.js';
import { deployData, eventTopic, functionCodec, type FunctionCodec } from './contract-codec.js';

/** Devices per `registerDevices` transaction: ~72k gas each, so a batch stays under 2^24 gas (EIP-7825). */
export const DEFAULT_DEVICE_BATCH_SIZE = 200;

export interface SettlementChainOptions {
  readonly deviceBatchSize?: number;
  /** Called by `close()` (closes the connection by default). */
  readonly onClose?: () => Promise<void>;
}

const ZERO_HASH: Hex = `0x${'0'.repeat(64)}`;
const ZERO_ADDRESS: Address = '0x0000000000000000000000000000000000000000';

let codecs: ReturnType<typeof makeCodecs> | undefined;
function makeCodecs() {
  const reg = (n: string) => functionCodec('DeviceRegistry', n);
  const cred = (n: string) => functionCodec('SettlementCredits', n);
  const set = (n: string) => functionCodec('Settlement', n);
  return {
    grantGatekeeper: reg('grantGatekeeper'),
    revokeGatekeeper: reg('revokeGatekeeper'),
    registerDevices: reg('registerDevices'),
    revokeDevice: reg('revokeDevice'),
    isActive: reg('isActive'),
    isGatekeeper: reg('isGatekeeper'),
    deviceOf: reg('deviceOf'),
    setSettlement: cred('setSettlement'),
    settlementOfCredits: cred('settlement'),
    balanceOf: cred('balanceOf'),
    totalPositive: cred('totalPositive'),
    registerMicrogrid: set('registerMicrogrid'),
    submitStatement: set('submitStatement'),
    statementHashOf: set('statementHashOf'),
    validatorsOf: set('validatorsOf'),
    quorumOf: set('quorumOf'),
    committedCount: set('committedCount'),
    registryOfSettlement: set('registry'),
    creditsOfSettlement: set('credits'),
    committedTopic: eventTopic('Settlement', 'StatementCommitted'),
    duplicateTopic: eventTopic('Settlement', 'StatementDuplicate'),
    conflictTopic: eventTopic('Settlement', 'StatementConflict'),
  };
}
function c(): ReturnType<typeof makeCodecs> {
  codecs ??= makeCodecs();
  return codecs;
}

function txResult(m: MinedTx): TxResult {
  return { txHash: m.txHash, blockNumber: m.blockNumber, gasUsed: m.gasUsed };
}

const DEVICE_STATUS: readonly DeviceStatus[] = ['none', 'active', 'revoked'];

/**
 * Deploys whichever of registry, credits and settlement are missing (`already` lists the contracts
 * already deployed, in that order, e.g. after a journal replay) and wires credits → settlement.
 */
export async function deploySettlementContracts(conn: ChainConnection, already: readonly Address[] = []): Promise<ContractAddresses> {
  const from = conn.defaultSender;
  const deploy = async (name: 'DeviceRegistry' | 'SettlementCredits' | 'Settlement', args: readonly unknown[]): Promise<Address> => {
    const mined = await conn.send({ from, to: null, data: deployData(name, args) }, `deploy ${name}`);
    if (mined.contractAddress === null) throw new ChainError(`deploy ${name}: no contract address in the receipt`);
    return getAddress(mined.contractAddress);
  };
  const registry = already[0] ?? (await deploy('DeviceRegistry', [from]));
  const credits = already[1] ?? (await deploy('SettlementCredits', []));
  const settlement = already[2] ?? (await deploy('Settlement', [registry, credits, from]));
  const wired = c().settlementOfCredits.decode(await conn.call(credits, c().settlementOfCredits.encode([]), 'SettlementCredits.settlement'))[0] as Address;
  if (wired === ZERO_ADDRESS) {
    await conn.send({ from, to: credits, data: c().setSettlement.encode([settlement]) }, 'SettlementCredits.setSettlement');
  }
  return { registry, credits, settlement };
}

/** Checks that the addresses hold the contracts and that they are wired to each other. */
export async function verifySettlementContracts(conn: ChainConnection, a: ContractAddresses): Promise<void> {
  for (const [name, address] of Object.entries(a)) {
    const code = (await conn.request('eth_getCode', [address, 'latest'])) as Hex;
    if (code === '0x' || code === '0x0') throw new ChainError(`no contract at the ${name} address ${address}`);
  }
  const mismatches: string[] = [];
  const expectAddress = async (contract: Address, codec: FunctionCodec, want: Address, what: string) => {
    try {
      const got = codec.decode(await conn.call(contract, codec.encode([]), codec.name))[0] as Address;
      if (getAddress(got) !== getAddress(want)) mismatches.push(`${codec.name}() at ${contract} is ${got}, not the ${what} ${want}`);
    } catch {
      mismatches.push(`${contract} does not answer ${codec.name}()`);
    }
  };
  await expectAddress(a.settlement, c().registryOfSettlement, a.registry, 'registry');
  await expectAddress(a.settlement, c().creditsOfSettlement, a.credits, 'credits');
  await expectAddress(a.credits, c().settlementOfCredits, a.settlement, 'settlement');
  if (mismatches.length > 0) throw new ChainError('the contract addresses do not belong together', { details: mismatches });
}

/** The typed `SettlementChain` over deployed contracts, sending from `sender` (default: the connection's). */
export function attachSettlementChain(
  conn: ChainConnection,
  addresses: ContractAddresses,
  options: SettlementChainOptions = {},
  sender: Address = conn.defaultSender,
): SettlementChain {
  const batchSize = options.deviceBatchSize ?? DEFAULT_DEVICE_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ChainError(`deviceBatchSize must be a positive integer, got ${batchSize}`);
  const k = c();
  const send = (to: Address, codec: FunctionCodec, args: readonly unknown[]): Promise<MinedTx> =>
    conn.send({ from: sender, to, data: encode(codec, args) }, codec.name);
  const read = async (to: Address, codec: FunctionCodec, args: readonly unknown[]): Promise<readonly unknown[]> =>
    codec.decode(await conn.call(to, encode(codec, args), codec.name));
  const one = async <T>(to: Address, codec: FunctionCodec, args: readonly unknown[]): Promise<T> => (await read(to, codec, args))[0] as T;

  const chain: SettlementChain = {
    chainId: conn.chainId,
    addresses,
    sender,
    withSender: (s: ChainSender) => attachSettlementChain(conn, addresses, options, conn.resolveSender(s)),

    grantGatekeeper: async (g) => txResult(await send(addresses.registry, k.grantGatekeeper, [g])),
    revokeGatekeeper: async (g) => txResult(await send(addresses.registry, k.revokeGatekeeper, [g])),
    registerDevices: async (devices) => {
      const results: TxResult[] = [];
      for (let i = 0; i < devices.length; i += batchSize) {
        const batch = devices.slice(i, i + batchSize);
        results.push(txResult(await send(addresses.registry, k.registerDevices, [
          batch.map((d) => d.device),
          batch.map((d) => d.area),
          batch.map((d) => d.credentialHash),
          batch.map((d) => d.ratedPowerW),
          batch.map((d) => d.kind),
        ])));
      }
      return results;
    },
    revokeDevice: async (device) => txResult(await send(addresses.registry, k.revokeDevice, [device])),
    registerMicrogrid: async (microgrid, validators) => txResult(await send(addresses.settlement, k.registerMicrogrid, [microgrid, [...validators]])),
    submitStatement: async (s, signatures) => {
      const mined = await send(addresses.settlement, k.submitStatement, [s, signatures]);
      return submitResult(mined, addresses.settlement);
    },

    statementHashOf: async (microgrid, slot) => {
      const h = await one<Hex>(addresses.settlement, k.statementHashOf, [microgrid, slot]);
      return h === ZERO_HASH ? null : h;
    },
    balanceOf: (account) => one<bigint>(addresses.credits, k.balanceOf, [account]),
    totalPositive: () => one<bigint>(addresses.credits, k.totalPositive, []),
    isActive: (device) => one<boolean>(addresses.registry, k.isActive, [device]),
    isGatekeeper: (account) => one<boolean>(addresses.registry, k.isGatekeeper, [account]),
    deviceOf: async (device) => {
      const d = await one<{ area: Hex; credentialHash: Hex; gatekeeper: Address; ratedPowerW: number; kind: number; status: number }>(
        addresses.registry, k.deviceOf, [device]);
      return {
        device,
        area: d.area,
        credentialHash: d.credentialHash,
        gatekeeper: d.gatekeeper,
        ratedPowerW: d.ratedPowerW,
        kind: d.kind,
        status: DEVICE_STATUS[d.status] ?? 'none',
      } satisfies DeviceInfo;
    },
    validatorsOf: async (microgrid) => [...(await one<readonly Address[]>(addresses.settlement, k.validatorsOf, [microgrid]))],
    quorumOf: async (microgrid) => Number(await one<bigint>(addresses.settlement, k.quorumOf, [microgrid])),
    committedCount: () => one<bigint>(addresses.settlement, k.committedCount, []),
    blockNumber: async () => BigInt((await conn.request('eth_blockNumber')) as Hex),
    blocks: async (fromBlock = 0n, toBlock) => {
      const last = toBlock ?? BigInt((await conn.request('eth_blockNumber')) as Hex);
      const out: ChainBlock[] = [];
      for (let n = fromBlock; n <= last; n++) {
        const b = (await conn.request('eth_getBlockByNumber', [`0x${n.toString(16)}`, false])) as
          { number: Hex; hash: Hex; parentHash: Hex; timestamp: Hex; transactions: Hex[] } | null;
        if (b === null) break;
        out.push({ number: BigInt(b.number), hash: b.hash, parentHash: b.parentHash, timestamp: BigInt(b.timestamp), transactions: b.transactions });
      }
      return out;
    },
    close: async () => {
      await (options.onClose ?? (() => conn.close()))();
    },
  };
  return chain;
}

/** ABI-encodes a call; bad arguments (an id that is not 32 bytes, a slot beyond uint64) become a ChainError. */
function encode(codec: FunctionCodec, args: readonly unknown[]): Hex {
  try {
    return codec.encode(args);
  } catch (e) {
    const message = e instanceof Error ? (e as { shortMessage?: string }).shortMessage ?? e.message : String(e);
    throw new ChainError(`${codec.name}: invalid arguments: ${message.split('\n')[0] ?? message}`, { cause: e });
  }
}

/** The outcome, read from the event the contract emitted (its data holds the hashes). */
function submitResult(mined: MinedTx, settlement: Address): SubmitResult {
  const k = c();
  const base = txResult(mined);
  const target = settlement.toLowerCase();
  for (const log of mined.logs) {
    if (log.address.toLowerCase() !== target) continue;
    const topic = log.topics[0];
    const word = (i: number): Hex => `0x${log.data.slice(2 + 64 * i, 66 + 64 * i)}`;
    if (topic === k.committedTopic) return { ...base, outcome: 'committed', statementHash: word(0) };
    if (topic === k.duplicateTopic) return { ...base, outcome: 'duplicate', statementHash: word(0) };
    if (topic === k.conflictTopic) return { ...base, outcome: 'conflict', statementHash: word(1), committedHash: word(0) };
  }
  throw new ChainError(`Settlement.submitStatement: no outcome event in transaction ${mined.txHash}`);
}
