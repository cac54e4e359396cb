/**
 * uPlot's script and stylesheet, read from the installed `uplot` package when a report is rendered,
 * so the report inlines them and opens offline.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ReportError } from './report-error.js';

export interface UplotAssets {
  script: string;
  css: string;
  version: string;
}

export function readUplotAssets(): UplotAssets {
  const require = createRequire(import.meta.url);
  try {
    const script = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
    const css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
    const pkg = JSON.parse(readFileSync(require.resolve('uplot/package.json'), 'utf8')) as { version?: unknown };
    return { script, css, version: typeof pkg.version === 'string' ? pkg.version : 'unknown' };
  } catch (cause) {
    throw new ReportError('cannot read the uPlot chart library for the report', {
      details: ['the `uplot` package must be installed (npm install)'],
      cause,
    });
  }
}
