import { describe, expect, it } from 'vitest';
import { DASHBOARD_CONTENT_SECURITY_POLICY, dashboardHtml } from './dashboard-page.js';
import { DASHBOARD_SCRIPT } from './dashboard-script.js';

function idsIn(html: string): string[] {
  return [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1] ?? '');
}

describe('dashboardHtml', () => {
  const html = dashboardHtml();

  it('is one self-contained page: uPlot, styles and script inline, nothing loaded from elsewhere', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+rel="stylesheet"/i);
    expect(html).toContain('<link rel="icon" href="data:,">');
    expect(html).toMatch(/uPlot 1\.\d+\.\d+ \(MIT licence\)/);
    expect(html.match(/<script>/g)).toHaveLength(2);
  });

  it('has a strict Content-Security-Policy that lets the page reach only its own node', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${DASHBOARD_CONTENT_SECURITY_POLICY}">`);
    expect(DASHBOARD_CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'",
    );
  });

  it('escapes the title', () => {
    const page = dashboardHtml({ title: '<script>alert("x")</script> & co' });
    expect(page).toContain('<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</title>');
    expect(page).toContain('<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</h1>');
    expect(page).not.toContain('<script>alert');
  });

  it('uses the title as given, with a leading "gridmesh" as the brand', () => {
    const page = dashboardHtml({ title: 'gridmesh: <north>' });
    expect(page).toContain('<title>gridmesh: &lt;north&gt;</title>');
    expect(page).toContain('<h1><span class="brand">gridmesh</span>: &lt;north&gt;</h1>');
    expect(dashboardHtml()).toContain('<title>gridmesh node dashboard</title>');
  });

  it('gives each element a unique id, and has every element the script looks up', () => {
    const ids = idsIn(html);
    expect(new Set(ids).size).toBe(ids.length);
    const used = new Set([
      ...[...DASHBOARD_SCRIPT.matchAll(/\$\('([a-z-]+)'\)/g)].map((m) => m[1]),
      ...[...DASHBOARD_SCRIPT.matchAll(/setText\('([a-z-]+)'/g)].map((m) => m[1]),
      ...[...DASHBOARD_SCRIPT.matchAll(/id: '(chart-[a-z]+)'/g)].map((m) => m[1]),
    ]);
    expect(used.size).toBeGreaterThan(20);
    for (const id of used) expect(ids, `#${id}`).toContain(id);
  });

  it('has a browser script that parses and uses no template literals or HTML insertion', () => {
    expect(() => new Function(DASHBOARD_SCRIPT)).not.toThrow();
    expect(DASHBOARD_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    expect(DASHBOARD_SCRIPT).not.toContain('`');
  });
});
