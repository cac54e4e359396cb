import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { HTTP_PORT_DEFAULT, loadNodeConfig, parseNodeConfig } from './node-config.js';

describe('node config', () => {
  it('has a default for everything: Riverside, embedded broker and chain, port 8080, real time', () => {
    const c = parseNodeConfig(undefined);
    expect(c).toMatchObject({ scenario: 'examples/riverside.yaml', dataDir: 'gridmesh-data', http: { port: HTTP_PORT_DEFAULT, host: '127.0.0.1' }, clock: { speed: 1 }, mqtt: { embedded: { port: 1883 } }, chain: {}, devices: { mqttMeters: [] }, demo: { outageButton: false } });
  });

  it('loads the example and resolves its paths from the file\'s folder', async () => {
    const c = await loadNodeConfig('examples/nodes/riverside-demo.yaml');
    expect(c.scenario).toBe(resolve('examples/riverside.yaml'));
    expect(c.dataDir).toBe(resolve('gridmesh-data'));
    expect(c).toMatchObject({ clock: { speed: 60 }, devices: { mqttMeters: ['h-0001', 'h-0002'] }, demo: { outageButton: true } });
  });

  it('error: names the path and what was expected for every problem', () => {
    const attempt = () => parseNodeConfig({ http: { port: 70000 }, clock: { speed: -1 }, mqtt: { url: 'http://x' }, operators: [{ did: 'nope', role: 'dso' }], typo: 1 });
    expect(attempt).toThrow(UsageError);
    const message = (() => { try { attempt(); } catch (e) { return (e as Error).message; } return ''; })();
    expect(message).toMatch(/http\.port/);
    expect(message).toMatch(/clock\.speed/);
    expect(message).toMatch(/mqtt/);
    expect(message).toMatch(/operators\.0\.did: a did:key/);
    expect(message).toMatch(/typo/);
  });

  it('error: a file that is not YAML, or missing, is a usage error naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridmesh-config-'));
    try {
      writeFileSync(join(dir, 'bad.yaml'), 'http: [unclosed');
      await expect(loadNodeConfig(join(dir, 'bad.yaml'))).rejects.toThrow(/bad\.yaml: not valid YAML/);
      await expect(loadNodeConfig(join(dir, 'missing.yaml'))).rejects.toThrow(/cannot read the node config .*missing\.yaml/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
