import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Address, Hex } from 'viem';
import { idOf } from '../../core/ledger/statement.js';
import { deployRaw, expectRevert, readFn, sendFn } from './chain.fixture.js';
import type { DeviceRecord, SettlementChain } from './chain-types.js';
import { eventTopic } from './contract-codec.js';
import { openEmbeddedChain, type EmbeddedChain } from './embedded-chain.js';

const ZERO: Address = '0x0000000000000000000000000000000000000000';

function device(name: string, kind = 1): DeviceRecord {
  return { device: idOf(`device:${name}`), area: idOf('area:riverside'), credentialHash: idOf(`cred:${name}`), ratedPowerW: 7400, kind };
}

describe('DeviceRegistry', () => {
  let chain: EmbeddedChain;
  let admin: Address;
  let dso: Address;
  let tso: Address;
  let stranger: Address;
  let asDso: SettlementChain;
  let asTso: SettlementChain;
  let asStranger: SettlementChain;

  beforeAll(async () => {
    chain = await openEmbeddedChain();
    [admin, dso, tso, stranger] = chain.accounts as [Address, Address, Address, Address];
    asDso = chain.withSender({ address: dso });
    asTso = chain.withSender({ address: tso });
    asStranger = chain.withSender({ address: stranger });
    await chain.grantGatekeeper(dso);
    await chain.grantGatekeeper(tso);
  });
  afterAll(() => chain.close());

  it('refuses a zero admin', async () => {
    await expectRevert(deployRaw(chain, admin, 'DeviceRegistry', [ZERO]), 'ZeroAddress()');
  });

  it('lets only the admin grant and revoke gatekeepers', async () => {
    expect(await readFn(chain, 'DeviceRegistry', chain.addresses.registry, 'admin')).toEqual([admin]);
    await expectRevert(asDso.grantGatekeeper(stranger), `NotAdmin(${dso})`);
    await expectRevert(asDso.revokeGatekeeper(tso), `NotAdmin(${dso})`);
    await expectRevert(chain.grantGatekeeper(ZERO), 'ZeroAddress()');
    expect(await chain.isGatekeeper(dso)).toBe(true);
    expect(await chain.isGatekeeper(stranger)).toBe(false);
  });

  it('emits GatekeeperGranted/Revoked only on a change', async () => {
    const g = chain.accounts[9] as Address;
    const granted = eventTopic('DeviceRegistry', 'GatekeeperGranted');
    const revoked = eventTopic('DeviceRegistry', 'GatekeeperRevoked');
    const logsOf = async (p: Promise<{ txHash: Hex }>) => {
      const { txHash } = await p;
      const r = (await chain.provider.request({ method: 'eth_getTransactionReceipt', params: [txHash] })) as { logs: { topics: Hex[] }[] };
      return r.logs.map((l) => l.topics[0]);
    };
    expect(await logsOf(chain.grantGatekeeper(g))).toEqual([granted]);
    expect(await logsOf(chain.grantGatekeeper(g))).toEqual([]);
    expect(await chain.isGatekeeper(g)).toBe(true);
    expect(await logsOf(chain.revokeGatekeeper(g))).toEqual([revoked]);
    expect(await logsOf(chain.revokeGatekeeper(g))).toEqual([]);
    expect(await chain.isGatekeeper(g)).toBe(false);
  });

  it('lets a gatekeeper register a device, once, and records it', async () => {
    const d = device('heat-pump-1', 3);
    expect(await chain.isActive(d.device)).toBe(false);
    expect((await chain.deviceOf(d.device)).status).toBe('none');
    const before = (await readFn(chain, 'DeviceRegistry', chain.addresses.registry, 'activeCount'))[0] as bigint;
    await sendFn(chain, dso, 'DeviceRegistry', chain.addresses.registry, 'registerDevice', [d.device, d.area, d.credentialHash, d.ratedPowerW, d.kind]);
    expect(await chain.isActive(d.device)).toBe(true);
    expect(await chain.deviceOf(d.device)).toEqual({ ...d, gatekeeper: dso, status: 'active' });
    expect((await readFn(chain, 'DeviceRegistry', chain.addresses.registry, 'activeCount'))[0]).toBe(before + 1n);
    await expectRevert(asTso.registerDevices([d]), `AlreadyRegistered(${d.device})`);
    await expectRevert(
      sendFn(chain, tso, 'DeviceRegistry', chain.addresses.registry, 'registerDevice', [d.device, d.area, d.credentialHash, 1, 1]),
      `AlreadyRegistered(${d.device})`,
    );
  });

  it('refuses registrations by non-gatekeepers, including the admin and a revoked gatekeeper', async () => {
    const d = device('ev-1');
    await expectRevert(asStranger.registerDevices([d]), `NotGatekeeper(${stranger})`);
    await expectRevert(chain.registerDevices([d]), `NotGatekeeper(${admin})`);
    await expectRevert(
      sendFn(chain, stranger, 'DeviceRegistry', chain.addresses.registry, 'registerDevice', [d.device, d.area, d.credentialHash, 1, 1]),
      `NotGatekeeper(${stranger})`,
    );
    const former = chain.accounts[8] as Address;
    await chain.grantGatekeeper(former);
    await chain.revokeGatekeeper(former);
    await expectRevert(chain.withSender({ address: former }).registerDevices([d]), `NotGatekeeper(${former})`);
    expect(await chain.isActive(d.device)).toBe(false);
  });

  it('registers thousands of devices in bounded batches, all or nothing per batch', async () => {
    const many = Array.from({ length: 1050 }, (_, i) => device(`bulk-${i}`, i % 5));
    const results = await asDso.registerDevices(many);
    expect(results.length).toBe(Math.ceil(1050 / 200));
    for (const r of results) expect(r.gasUsed).toBeLessThan(2n ** 24n);
    expect(await chain.isActive(many[0]!.device)).toBe(true);
    expect(await chain.isActive(many[1049]!.device)).toBe(true);
    expect((await chain.deviceOf(many[7]!.device)).kind).toBe(2);
    // A batch with a duplicate inside is refused as a whole.
    const a = device('batch-a');
    const b = device('batch-b');
    await expectRevert(asDso.registerDevices([a, b, a]), `AlreadyRegistered(${a.device})`);
    expect(await chain.isActive(a.device)).toBe(false);
    expect(await chain.isActive(b.device)).toBe(false);
  });

  it('refuses batches whose arrays differ in length', async () => {
    const d = device('mismatch');
    await expectRevert(
      sendFn(chain, dso, 'DeviceRegistry', chain.addresses.registry, 'registerDevices', [[d.device], [d.area], [], [1], [1]]),
      'LengthMismatch()',
    );
  });

  it('revokes a device: its gatekeeper or the admin, for good', async () => {
    const [a, b, c] = [device('rev-a'), device('rev-b'), device('rev-c')];
    await asDso.registerDevices([a, b, c]);
    await expectRevert(asTso.revokeDevice(a.device), `NotDeviceGatekeeper(${a.device}, ${tso})`);
    await expectRevert(asStranger.revokeDevice(a.device), `NotDeviceGatekeeper(${a.device}, ${stranger})`);
    await asDso.revokeDevice(a.device);
    expect(await chain.isActive(a.device)).toBe(false);
    expect((await chain.deviceOf(a.device)).status).toBe('revoked');
    await chain.revokeDevice(b.device);
    expect(await chain.isActive(b.device)).toBe(false);
    await expectRevert(asDso.revokeDevice(a.device), `DeviceIsRevoked(${a.device})`);
    await expectRevert(asTso.registerDevices([a]), `DeviceIsRevoked(${a.device})`);
    await expectRevert(chain.revokeDevice(idOf('device:never')), `UnknownDevice(${idOf('device:never')})`);
    expect(await chain.isActive(c.device)).toBe(true);
  });

  it('a gatekeeper whose role was revoked can no longer revoke its devices; the admin can', async () => {
    const g = chain.accounts[7] as Address;
    const asG = chain.withSender({ address: g });
    await chain.grantGatekeeper(g);
    const d = device('orphan');
    await asG.registerDevices([d]);
    await chain.revokeGatekeeper(g);
    await expectRevert(asG.revokeDevice(d.device), `NotDeviceGatekeeper(${d.device}, ${g})`);
    expect(await chain.isActive(d.device)).toBe(true);
    await chain.revokeDevice(d.device);
    expect(await chain.isActive(d.device)).toBe(false);
  });
});
