/**
 * Headless Chromium for browser tests, via playwright-core and the system's Chromium (Debian package
 * `chromium`; never `npx playwright install`, whose downloads fail offline).
 *
 * - Chromium found (CHROMIUM_PATH, else /usr/bin/chromium): `describeWithChromium` is `describe`.
 * - Not found, CI=true: the suite fails with a message naming the fix; CI must not pass silently.
 * - Not found, locally: the suite is skipped and a warning says how to install Chromium.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { describe, it } from 'vitest';

const DEFAULT_PATH = '/usr/bin/chromium';
const CI_MESSAGE = 'Chromium is required in CI: .ci/run installs it with apt-get install -y chromium';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

function findChromium(): { path: string } | { missing: string } {
  const configured = process.env.CHROMIUM_PATH;
  if (configured !== undefined && configured !== '') {
    return existsSync(configured) ? { path: configured } : { missing: `CHROMIUM_PATH=${configured} does not exist` };
  }
  return existsSync(DEFAULT_PATH) ? { path: DEFAULT_PATH } : { missing: `${DEFAULT_PATH} not found` };
}

const found = findChromium();
export const chromiumPath: string | undefined = 'path' in found ? found.path : undefined;
export const chromiumAvailable = chromiumPath !== undefined;
const inCi = process.env.CI === 'true';

/** `describe` for suites that need a browser; see the module comment for what happens without one. */
export function describeWithChromium(name: string, suite: () => void): void {
  if (chromiumAvailable) {
    describe(name, suite);
  } else if (inCi) {
    describe(name, () => {
      it('has Chromium', () => {
        throw new Error(`${CI_MESSAGE} (${'missing' in found ? found.missing : ''})`);
      });
    });
  } else {
    console.warn(
      `[browser tests skipped] ${name}: ${'missing' in found ? found.missing : ''}. ` +
        'Install Chromium with `sudo apt-get install -y chromium`, or set CHROMIUM_PATH to a Chromium binary.',
    );
    describe.skip(name, suite);
  }
}

export async function launchChromium(): Promise<Browser> {
  if (chromiumPath === undefined) throw new Error(inCi ? CI_MESSAGE : 'Chromium is not installed: apt-get install -y chromium');
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
}
