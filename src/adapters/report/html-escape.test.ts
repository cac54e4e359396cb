import { describe, expect, it } from 'vitest';
import { escapeHtml, inlineScriptCode, jsonForScriptBlock } from './html-escape.js';

describe('html escaping', () => {
  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('keeps </script> and <!-- out of a JSON block and reads back the same value', () => {
    const value = { name: '</script><!--<script>', line: 'a\u2028b' };
    const json = jsonForScriptBlock(value);
    expect(json).not.toMatch(/<\/|<!--/);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('rewrites </script in inlined code without changing what a string literal means', () => {
    const code = 'var s = "</SCRIPT><!--";';
    const inlined = inlineScriptCode(code);
    expect(inlined).not.toMatch(/<\/script|<!--/i);
    expect(new Function(`${inlined}; return s;`)()).toBe('</SCRIPT><!--');
  });
});
