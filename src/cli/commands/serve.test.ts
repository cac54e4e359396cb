import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveConfig } from './serve.js';
import { usageFailure } from './usage-failure.fixture.js';

describe('gridmesh serve: options over the config', () => {
  it('runs the Riverside example with embedded defaults when given nothing', async () => {
    const c = await serveConfig({});
    expect(c.scenario).toBe(resolve('examples/riverside.yaml'));
    expect(c).toMatchObject({ http: { port: 8080 }, clock: { speed: 1 }, mqtt: { embedded: { port: 1883 } }, demo: { outageButton: false } });
  });

  it('takes the command line over the config file', async () => {
    const c = await serveConfig({ config: 'examples/nodes/riverside-demo.yaml', port: '0', speed: '900', data: '/tmp/x', mqttUrl: 'mqtt://broker:1883' });
    expect(c).toMatchObject({ http: { port: 0 }, clock: { speed: 900 }, dataDir: '/tmp/x', mqtt: { url: 'mqtt://broker:1883' }, devices: { mqttMeters: ['h-0001', 'h-0002'] } });
    expect((await serveConfig({ mqttPort: '0', demo: true })).mqtt).toEqual({ embedded: { host: '127.0.0.1', port: 0 } });
  });

  it('error: a bad option or config exits with code 2 naming it', async () => {
    expect((await usageFailure(serveConfig({ port: '70000' }))).message).toMatch(/--port must be a port number/);
    expect((await usageFailure(serveConfig({ speed: '-1' }))).message).toMatch(/--speed must be a positive number/);
    expect((await usageFailure(serveConfig({ mqttUrl: 'http://x' }))).message).toMatch(/mqtt/);
    expect((await usageFailure(serveConfig({ config: 'no/such/node.yaml' }))).message).toMatch(/cannot read the node config/);
  });
});
