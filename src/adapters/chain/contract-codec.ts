/**
 * ABI encoding of the contracts' functions and events, with selectors computed once (viem's
 * `encodeFunctionData` would look the function up and hash its signature on every call, which shows
 * on the hot path of `submitStatement`).
 */
import {
  concatHex,
  decodeAbiParameters,
  encodeAbiParameters,
  encodeDeployData,
  toEventSelector,
  toFunctionSelector,
  type AbiEvent,
  type AbiFunction,
  type AbiParameter,
  type Hex,
} from 'viem';
import { CONTRACT_ARTIFACTS, type ContractName } from './contract-artifacts.js';

export interface FunctionCodec {
  readonly name: string;
  encode(args: readonly unknown[]): Hex;
  decode(result: Hex): readonly unknown[];
}

function canonicalType(p: AbiParameter): string {
  if (p.type.startsWith('tuple') && 'components' in p) return `(${p.components.map(canonicalType).join(',')})${p.type.slice(5)}`;
  return p.type;
}

export function functionCodec(contract: ContractName, name: string): FunctionCodec {
  const item = CONTRACT_ARTIFACTS[contract].abi.find((i): i is AbiFunction => i.type === 'function' && i.name === name);
  if (item === undefined) throw new Error(`${contract} has no function ${name}`);
  const selector = toFunctionSelector(`${name}(${item.inputs.map(canonicalType).join(',')})`);
  return {
    name: `${contract}.${name}`,
    encode: (args) => concatHex([selector, encodeAbiParameters(item.inputs, args as unknown[])]),
    decode: (result) => decodeAbiParameters(item.outputs, result),
  };
}

export function eventTopic(contract: ContractName, name: string): Hex {
  const item = CONTRACT_ARTIFACTS[contract].abi.find((i): i is AbiEvent => i.type === 'event' && i.name === name);
  if (item === undefined) throw new Error(`${contract} has no event ${name}`);
  return toEventSelector(`${name}(${item.inputs.map(canonicalType).join(',')})`);
}

export function deployData(contract: ContractName, args: readonly unknown[]): Hex {
  const { abi, bytecode } = CONTRACT_ARTIFACTS[contract];
  return encodeDeployData({ abi, bytecode, args: args as unknown[] });
}
