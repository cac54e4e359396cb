/**
 * Escaping for the three places the report puts text into HTML: element content and attribute
 * values, a JSON data block, and inline `<script>`/`<style>` code. Every string that comes from a
 * run (scenario names, area ids) goes through one of these.
 */

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

/**
 * JSON for a `<script type="application/json">` block. `<` becomes `\u003c`, so neither `</script>`
 * nor `<!--` can end or change the block, and `JSON.parse` still reads the same value. U+2028/2029
 * are escaped too, so the text is also a valid JavaScript literal.
 */
export function jsonForScriptBlock(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Third-party JavaScript to inline in `<script>`. A `</script` or `<!--` can only occur inside a
 * string or regex literal, where `<\/` and `<\!` mean the same characters, so rewriting them keeps
 * the code's meaning while keeping the HTML parser inside the element.
 */
export function inlineScriptCode(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** Third-party CSS to inline in `<style>`: `</style` can only occur in a string or comment. */
export function inlineStyleCode(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}
