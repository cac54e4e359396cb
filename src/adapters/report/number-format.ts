/**
 * Numbers as a person reads them in the report's tables: grouped thousands, a fixed number of
 * decimals. Fixed to `en-US` so a report is the same on every machine.
 */
const formatters = new Map<number, Intl.NumberFormat>();

export function formatNumber(value: number, decimals = 1): string {
  if (!Number.isFinite(value)) return '–';
  let formatter = formatters.get(decimals);
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    formatters.set(decimals, formatter);
  }
  // Avoid "-0.0" for tiny negative rounding noise.
  const text = formatter.format(value);
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
}

export function formatInteger(value: number): string {
  return formatNumber(value, 0);
}
