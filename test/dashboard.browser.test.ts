/**
 * The node dashboard (src/web/) in a real browser, against a node's HTTP/WebSocket API: it loads,
 * follows the live stream, draws its charts, triggers a demo outage and shows the island, and shows
 * a statement's proof, with no console errors and no request leaving the node. Needs Chromium (see
 * test/support/chromium.ts).
 *
 * Every test runs against the stand-in of test/support/dashboard-fake-node.ts; the ones that do not
 * drive the stand-in also run against a real node started in this process (`serveNode`). With
 * GRIDMESH_DASHBOARD_URL, both point at a running node (e.g. `gridmesh serve`, then GRIDMESH_DASHBOARD_URL=http://127.0.0.1:8080/).
 * Against a real node the tests that drive the fake (dropping the stream, skipping slots, hostile
 * text, closed demo mode) are skipped, and the outage test needs the node's demo mode.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AreaView, NodeInfo, StatementView } from '../src/server/node/node-view.js';
import { describeWithChromium, launchChromium } from './support/chromium.js';
import { HOSTILE_MESSAGE, HOSTILE_SITE, startFakeNode, type FakeNode, type FakeNodeOptions } from './support/dashboard-fake-node.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aScenarioInput } from '../src/core/sim/scenario.fixture.js';
import { parseNodeConfig } from '../src/server/node/node-config.js';
import { serveNode } from '../src/server/serve-node.js';

const EXTERNAL_URL = process.env.GRIDMESH_DASHBOARD_URL;
const external = EXTERNAL_URL !== undefined && EXTERNAL_URL !== '';
const WAIT_MS = 15_000;

/** The node the page is served from: the fake, a real one started here, or one named by GRIDMESH_DASHBOARD_URL. */
interface DashboardTarget {
  url: string;
  fake?: FakeNode;
  close(): Promise<void>;
}

/** 'fake': the stand-in; 'node': a real `gridmesh serve` node in this process (small town, accelerated, demo mode). */
type TargetKind = 'fake' | 'node';

async function startTarget(options: FakeNodeOptions, kind: TargetKind): Promise<DashboardTarget> {
  if (external) return { url: new URL('/', EXTERNAL_URL).href, close: async () => undefined };
  if (kind === 'node') return startRealNode();
  const fake = await startFakeNode(options);
  return { url: fake.url, fake, close: () => fake.close() };
}

async function startRealNode(): Promise<DashboardTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'gridmesh-dashboard-node-'));
  const scenario = join(dir, 'town.json');
  writeFileSync(scenario, JSON.stringify(aScenarioInput({ days: 0.5 })));
  const served = await serveNode(parseNodeConfig({
    node: { id: 'dashboard-test' }, scenario, dataDir: join(dir, 'data'), http: { port: 0 }, mqtt: { embedded: { port: 0 } },
    clock: { speed: 1500, graceFraction: 0.2 }, demo: { outageButton: true },
  }));
  await served.node.waitForSlot(2, WAIT_MS);
  return {
    url: `${served.url}/`,
    close: async () => {
      await served.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function getJson<T>(target: DashboardTarget, path: string): Promise<T> {
  const response = await fetch(new URL(path, target.url));
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return (await response.json()) as T;
}

/**
 * A connected microgrid to cut off: an outage islands a microgrid, while an area above the
 * microgrids (a DSO, a city) goes dark and its microgrids island. AreaView has no microgrid flag,
 * so prefer the node's own area, then the deepest area that settles statements (a settlement unit;
 * a DSO can be one too).
 */
async function microgridToCut(target: DashboardTarget): Promise<AreaView> {
  const [info, areas, statements] = await Promise.all([
    getJson<NodeInfo>(target, '/api/v1/node'), getJson<AreaView[]>(target, '/api/v1/areas'), getJson<StatementView[]>(target, '/api/v1/statements'),
  ]);
  const settling = new Set(statements.map((s) => s.microgrid));
  const parents = new Map(areas.map((a) => [a.id, a.parent]));
  const depth = (id: string): number => {
    let d = 0;
    for (let p = parents.get(id); p !== null && p !== undefined && d < areas.length; p = parents.get(p)) d++;
    return d;
  };
  const connected = areas.filter((a) => a.parent !== null && a.status === 'connected');
  const units = connected.filter((a) => settling.has(a.id)).sort((a, b) => depth(b.id) - depth(a.id));
  const area = connected.find((a) => a.id === info.area) ?? units[0];
  if (area === undefined) throw new Error('no connected microgrid to cut off');
  return area;
}

/** The few DOM shapes the in-page functions use (the project compiles without the DOM library). */
interface PageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}
interface PageGlobal {
  document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): ArrayLike<PageElement> };
  __pwned?: number;
}

/**
 * Removes and returns Chromium's own console report of a response with `status` ("Failed to load
 * resource"), which it logs for every such fetch; the tests that provoke one expect it.
 */
function takeBrowserReports(problems: string[], status: number): string[] {
  const pattern = new RegExp(`^console\\.error: Failed to load resource: the server responded with a status of ${status}\\b`);
  const taken = problems.filter((p) => pattern.test(p));
  problems.splice(0, problems.length, ...problems.filter((p) => !pattern.test(p)));
  return taken;
}

interface OpenedDashboard {
  page: Page;
  /** Console errors, uncaught page errors, and requests that left the node's origin. */
  problems: string[];
}

for (const kind of ['fake', 'node'] as const) describeWithChromium(`node dashboard in Chromium (${kind === 'fake' ? 'the stand-in node' : 'a real node'})`, () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function withDashboard(options: FakeNodeOptions, body: (opened: OpenedDashboard, target: DashboardTarget) => Promise<void>): Promise<void> {
    const target = await startTarget(options, kind);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    const origin = new URL(target.url).origin;
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (new URL(request.url()).origin !== origin) problems.push(`request outside the node: ${request.url()}`);
    });
    try {
      await page.goto(target.url);
      await page.waitForSelector('#connection[data-state="live"]', { timeout: WAIT_MS });
      await body({ page, problems }, target);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
      await target.close();
    }
  }

  async function lastSlot(page: Page): Promise<number> {
    return Number(await page.getAttribute('#last-slot', 'data-slot'));
  }

  async function waitForSlotAfter(page: Page, slot: number): Promise<void> {
    await page.waitForFunction(
      (after) => Number((globalThis as unknown as PageGlobal).document.querySelector('#last-slot')?.getAttribute('data-slot') ?? -1) > after,
      slot,
      { timeout: WAIT_MS },
    );
  }

  it('loads the node, follows the live stream and draws the charts', async () => {
    await withDashboard({}, async ({ page }, target) => {
      const node = await getJson<NodeInfo>(target, '/api/v1/node');
      await expect(page.textContent('#node-id')).resolves.toBe(node.nodeId);
      const shown = await page.$eval('#last-slot', (el) => ({ slot: Number(el.getAttribute('data-slot')), text: el.textContent }));
      const first = shown.slot;
      expect(first).toBeGreaterThanOrEqual(0);
      expect(shown.text).toMatch(new RegExp(`^${first} · \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d$`));
      await waitForSlotAfter(page, first);

      await page.waitForFunction(
        () => Array.from((globalThis as unknown as PageGlobal).document.querySelectorAll('[data-chart]'))
          .every((el) => el.getAttribute('data-rendered') === 'true' && el.querySelectorAll('canvas').length === 1),
        null,
        { timeout: WAIT_MS },
      );
      const charts = await page.$$eval('[data-chart]', (els) => els.map((el) => ({
        id: el.id, points: Number(el.getAttribute('data-points')), lastSlot: Number(el.getAttribute('data-last-slot')),
      })));
      expect(charts.map((c) => c.id)).toEqual(['chart-power', 'chart-prices', 'chart-soc']);
      for (const chart of charts) expect(chart.points, chart.id).toBeGreaterThan(1);

      const areas = await getJson<AreaView[]>(target, '/api/v1/areas');
      const listed = await page.$$eval('#area-tree li[data-area]', (els) => els.map((el) => el.getAttribute('data-area')));
      expect(listed.sort()).toEqual(areas.map((a) => a.id).sort());
      for (const area of areas.filter((a) => a.parent !== null)) {
        await expect(page.locator(`#area-tree li[data-area="${area.parent}"] li[data-area="${area.id}"]`).count()).resolves.toBe(1);
      }
      await expect(page.locator('#devices tr').count()).resolves.toBeGreaterThan(0);
      await expect(page.locator('#statements tr').count()).resolves.toBeGreaterThan(0);
      await expect(page.textContent('#state')).resolves.toBe(node.state);
    });
  });

  it('a demo outage islands the area: the tree highlights it and the alerts say so', async (context) => {
    const node = external ? await getJson<NodeInfo>({ url: new URL('/', EXTERNAL_URL).href, close: async () => undefined }, '/api/v1/node') : null;
    if (node !== null && !node.demoOutageOpen) context.skip();
    await withDashboard({}, async ({ page }, target) => {
      const area = await microgridToCut(target);
      const row = `#area-tree li[data-area="${area.id}"]`;
      await expect(page.getAttribute(row, 'data-status')).resolves.toBe('connected');
      await expect(page.isEnabled('#outage-button')).resolves.toBe(true);

      await page.selectOption('#outage-area', area.id);
      await page.fill('#outage-slots', '20');
      await page.click('#outage-button');

      await page.waitForSelector('#outage-result[data-outcome="accepted"]', { timeout: WAIT_MS });
      await expect(page.textContent('#outage-result')).resolves.toMatch(new RegExp(`${area.id} is cut off from slot \\d+ to slot \\d+`));
      await page.waitForSelector(`${row}[data-status="islanded"].islanded`, { timeout: WAIT_MS });
      await expect(page.textContent(`${row} .area-status`)).resolves.toBe('islanded');
      await page.waitForSelector(`#alerts li[data-kind="islanded"][data-area="${area.id}"]`, { timeout: WAIT_MS });
      await expect(page.textContent('#alerts li[data-kind="islanded"]')).resolves.toContain(area.id);
      await page.waitForFunction(() => (globalThis as unknown as PageGlobal).document.querySelector('#island-price-figure.islanded') !== null, null, { timeout: WAIT_MS });
    });
  });

  it('shows the Merkle proof of a statement\'s first reading', async () => {
    await withDashboard({}, async ({ page }) => {
      const button = page.locator('#statements tr button:not([disabled])').first();
      const row = page.locator('#statements tr', { has: page.locator('button:not([disabled])') }).first();
      const slot = await row.getAttribute('data-slot');
      const microgrid = await row.getAttribute('data-microgrid');
      await button.click();
      await page.waitForFunction(() => ((globalThis as unknown as PageGlobal).document.querySelector('#proof')?.textContent ?? '').startsWith('{'), null, { timeout: WAIT_MS });
      const proof = JSON.parse((await page.textContent('#proof')) ?? '') as Record<string, unknown>;
      expect(proof).toMatchObject({ format: 'gridmesh-ledger-proof/1', slot: Number(slot), kind: 'readings', index: 0 });
      expect([proof.unit, proof.microgrid]).toContain(microgrid);
    });
  });

  it.skipIf(external || kind === 'node')('disables the outage control without demo mode, naming the operator signature it needs', async () => {
    await withDashboard({ demoOutageOpen: false }, async ({ page }) => {
      await expect(page.isDisabled('#outage-button')).resolves.toBe(true);
      await expect(page.isDisabled('#outage-area')).resolves.toBe(true);
      await expect(page.textContent('#outage-note')).resolves.toMatch(/operator signature.*docs\/api\.md/);
    });
  });

  it.skipIf(external || kind === 'node')('reconnects after the stream closes and fills in the slots it missed', async () => {
    await withDashboard({}, async ({ page }, target) => {
      const fake = target.fake as FakeNode;
      const firstSlot = Number(await page.getAttribute('#chart-power', 'data-first-slot'));
      await waitForSlotAfter(page, await lastSlot(page));
      fake.dropStreams();
      await page.waitForSelector('#connection[data-state="live"]:not([data-reconnects="0"])', { timeout: WAIT_MS });
      const resumed = await lastSlot(page);
      await waitForSlotAfter(page, resumed + 2);
      // The missed slots are fetched after the reconnect: wait until the series has no gap (a gap never closes).
      await page.waitForFunction((first) => {
        const el = (globalThis as unknown as PageGlobal).document.querySelector('#chart-power');
        return el !== null && Number(el.getAttribute('data-points')) === Number(el.getAttribute('data-last-slot')) - first + 1;
      }, firstSlot, { timeout: WAIT_MS });
      const chart = await page.$eval('#chart-power', (el) => ({ points: Number(el.getAttribute('data-points')), last: Number(el.getAttribute('data-last-slot')) }));
      expect(chart.points).toBe(chart.last - firstSlot + 1);
    });
  });

  it.skipIf(external || kind === 'node')('keeps at most 2,000 points per series', async () => {
    await withDashboard({}, async ({ page }, target) => {
      const fake = target.fake as FakeNode;
      fake.skipSlots(2_500);
      await waitForSlotAfter(page, fake.lastSlot());
      await page.waitForFunction(
        () => Array.from((globalThis as unknown as PageGlobal).document.querySelectorAll('[data-chart]')).every((el) => el.getAttribute('data-points') === '2000'),
        null,
        { timeout: WAIT_MS },
      );
      const chart = await page.$eval('#chart-power', (el) => ({ first: Number(el.getAttribute('data-first-slot')), last: Number(el.getAttribute('data-last-slot')) }));
      expect(chart.last - chart.first + 1).toBe(2_000);
    });
  });

  it.skipIf(external || kind === 'node')('shows why the node refused an outage, and checks the duration before sending', async () => {
    await withDashboard({}, async ({ page, problems }, target) => {
      await page.fill('#outage-slots', '0');
      await page.click('#outage-button');
      await expect(page.textContent('#outage-result')).resolves.toMatch(/whole number of slots from 1 to 672/);
      await page.fill('#outage-slots', '4');
      await page.$eval('#outage-area', (select) => {
        const doc = (globalThis as unknown as { document: { createElement(tag: string): { value: string; textContent: string } } }).document;
        const option = doc.createElement('option');
        option.value = 'nowhere';
        option.textContent = 'nowhere';
        (select as unknown as { appendChild(child: unknown): void; value: string }).appendChild(option);
      });
      await page.selectOption('#outage-area', 'nowhere');
      await page.click('#outage-button');
      await page.waitForSelector('#outage-result[data-outcome="error"]', { timeout: WAIT_MS });
      await expect(page.textContent('#outage-result')).resolves.toBe('Refused: no area nowhere');
      expect(target.fake?.outages).toEqual([]);
      expect(takeBrowserReports(problems, 404)).toHaveLength(1);
    });
  });

  it.skipIf(external || kind === 'node')('works with a node that keeps a shorter history than the page asks for', async () => {
    await withDashboard({ historyMax: 40 }, async ({ page, problems }) => {
      await page.waitForFunction(
        () => (globalThis as unknown as PageGlobal).document.querySelectorAll('#alerts li').length > 0,
        null,
        { timeout: WAIT_MS },
      );
      const points = Number(await page.getAttribute('#chart-power', 'data-points'));
      expect(points).toBeGreaterThan(0);
      expect(points).toBeLessThanOrEqual(40 + 20);
      await expect(page.locator('#statements tr').count()).resolves.toBeGreaterThan(0);
      await expect(page.isHidden('#problem')).resolves.toBe(true);
      // The page learns the node's cap by halving (a few 400s the browser reports), then keeps to it.
      const refused = takeBrowserReports(problems, 400).length;
      expect(refused).toBeGreaterThan(0);
      await waitForSlotAfter(page, (await lastSlot(page)) + 25);
      expect(takeBrowserReports(problems, 400)).toEqual([]);
    });
  });

  it.skipIf(external || kind === 'node')('shows text from the API as text, never as HTML', async () => {
    await withDashboard({ hostileText: true }, async ({ page }) => {
      await page.waitForFunction((message) => ((globalThis as unknown as PageGlobal).document.querySelector('#alerts')?.textContent ?? '').includes(message), HOSTILE_MESSAGE, { timeout: WAIT_MS });
      await expect(page.textContent('#devices')).resolves.toContain(HOSTILE_SITE);
      await expect(page.locator('#dashboard img, #dashboard script').count()).resolves.toBe(0);
      await expect(page.evaluate(() => (globalThis as unknown as PageGlobal).__pwned)).resolves.toBeUndefined();
    });
  });
});
