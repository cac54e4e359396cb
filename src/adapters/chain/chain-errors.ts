/**
 * Errors of the chain adapter. A transaction or call the contracts refuse surfaces as a
 * `ContractRevertError` naming the contract error and its arguments (e.g. `BelowQuorum(1, 3)`),
 * decoded from the revert data against the ABIs of the three contracts; everything else (node not
 * reachable, wrong addresses, journal replay diverging) is a `ChainError`.
 */
import { decodeAbiParameters, toFunctionSelector, type Abi, type AbiParameter, type Hex } from 'viem';
import { GridmeshError } from '../../core/errors.js';
import { CONTRACT_ARTIFACTS } from './contract-artifacts.js';

export class ChainError extends GridmeshError {
  override readonly name: string = 'ChainError';
}

export class ContractRevertError extends ChainError {
  override readonly name = 'ContractRevertError';
  /** The Solidity error's name, e.g. `BelowQuorum`; `Error` for a string reason, `Panic` for a panic. */
  readonly errorName: string;
  readonly args: readonly unknown[];
  /** `BelowQuorum(1, 3)`. */
  readonly signature: string;
  /** The raw revert data. */
  readonly data: Hex;
  constructor(action: string, decoded: DecodedRevert, options: { txHash?: Hex; cause?: unknown } = {}) {
    const details = options.txHash === undefined ? [] : [`transaction ${options.txHash}`];
    super(`${action} reverted: ${decoded.signature}`, { details, cause: options.cause });
    this.errorName = decoded.errorName;
    this.args = decoded.args;
    this.signature = decoded.signature;
    this.data = decoded.data;
  }
}

export interface DecodedRevert {
  readonly errorName: string;
  readonly args: readonly unknown[];
  readonly signature: string;
  readonly data: Hex;
}

type AbiError = Extract<Abi[number], { type: 'error' }>;

const PANIC_REASONS: Record<number, string> = {
  0x01: 'assertion failed',
  0x11: 'arithmetic overflow or underflow',
  0x12: 'division by zero',
  0x21: 'invalid enum value',
  0x22: 'invalid storage byte array',
  0x31: 'pop on empty array',
  0x32: 'array index out of bounds',
  0x41: 'out of memory',
  0x51: 'call to an uninitialised function',
};

const BUILTIN_ERRORS: readonly AbiError[] = [
  { type: 'error', name: 'Error', inputs: [{ name: 'message', type: 'string' }] },
  { type: 'error', name: 'Panic', inputs: [{ name: 'code', type: 'uint256' }] },
];

let selectors: Map<Hex, AbiError> | undefined;

/** Selector → error, over the three contracts' ABIs and Solidity's built-in Error and Panic. */
function errorsBySelector(): Map<Hex, AbiError> {
  if (selectors === undefined) {
    selectors = new Map();
    const all = [...BUILTIN_ERRORS, ...Object.values(CONTRACT_ARTIFACTS).flatMap((a) => a.abi.filter((i): i is AbiError => i.type === 'error'))];
    for (const e of all) {
      const sig = `${e.name}(${e.inputs.map(typeOf).join(',')})`;
      selectors.set(toFunctionSelector(sig), e);
    }
  }
  return selectors;
}

function typeOf(p: AbiParameter): string {
  if (p.type.startsWith('tuple') && 'components' in p) return `(${p.components.map(typeOf).join(',')})${p.type.slice(5)}`;
  return p.type;
}

function formatArg(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return v.startsWith('0x') ? v : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(formatArg).join(', ')}]`;
  return String(v);
}

/** Decodes revert data; unknown selectors keep the raw data. */
export function decodeRevert(data: Hex): DecodedRevert {
  const item = data.length >= 10 ? errorsBySelector().get(data.slice(0, 10).toLowerCase() as Hex) : undefined;
  if (item === undefined) {
    return { errorName: 'unknown', args: [], signature: data === '0x' ? 'no reason given' : `unknown error ${data}`, data };
  }
  let args: readonly unknown[];
  try {
    args = decodeAbiParameters(item.inputs, `0x${data.slice(10)}`);
  } catch {
    return { errorName: item.name, args: [], signature: `${item.name}(<undecodable ${data}>)`, data };
  }
  let signature = `${item.name}(${args.map(formatArg).join(', ')})`;
  if (item.name === 'Panic' && typeof args[0] === 'bigint') {
    const reason = PANIC_REASONS[Number(args[0])];
    signature = `Panic(0x${args[0].toString(16)}${reason === undefined ? '' : `: ${reason}`})`;
  }
  return { errorName: item.name, args, signature, data };
}

/** The revert data carried somewhere in a thrown error (its `data`, or down its `cause` chain). */
export function revertDataOf(error: unknown): Hex | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 12 && e !== null && typeof e === 'object'; depth++) {
    const data = (e as { data?: unknown }).data;
    if (typeof data === 'string' && /^0x([0-9a-fA-F]{2})*$/.test(data)) return data as Hex;
    if (data !== null && typeof data === 'object') {
      const inner = (data as { data?: unknown }).data;
      if (typeof inner === 'string' && /^0x([0-9a-fA-F]{2})*$/.test(inner)) return inner as Hex;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The transaction hash a failed send reports (Hardhat mines reverting transactions and names them). */
export function failedTxHashOf(error: unknown): Hex | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 12 && e !== null && typeof e === 'object'; depth++) {
    const hash = (e as { transactionHash?: unknown }).transactionHash;
    if (typeof hash === 'string' && /^0x[0-9a-fA-F]{64}$/.test(hash)) return hash as Hex;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Converts any failure of a chain request into a typed error: a `ContractRevertError` if it carries revert data. */
export function toChainError(action: string, error: unknown): ChainError {
  if (error instanceof ChainError) return error;
  const data = revertDataOf(error);
  const txHash = failedTxHashOf(error);
  if (data !== undefined) return new ContractRevertError(action, decodeRevert(data), { cause: error, ...(txHash === undefined ? {} : { txHash }) });
  const message = error instanceof Error ? (error as { shortMessage?: string }).shortMessage ?? error.message : String(error);
  return new ChainError(`${action} failed: ${message.split('\n')[0] ?? message}`, { cause: error });
}
