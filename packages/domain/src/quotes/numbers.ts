/**
 * Human numbers, per business: cases are YS-000123 (seed "Case numbers"), quotes Q-000123. Six
 * digits at least; the counter simply grows wider past 999999 instead of wrapping.
 */
function padded(prefix: string, sequence: number | bigint): string {
  const n = BigInt(sequence);
  if (n < 1n) throw new RangeError(`A ${prefix} number starts at 1, not ${n}.`);
  return `${prefix}-${n.toString().padStart(6, '0')}`;
}

export const CASE_NUMBER_PREFIX = 'YS';
export const QUOTE_NUMBER_PREFIX = 'Q';

export function formatCaseNumber(sequence: number | bigint): string {
  return padded(CASE_NUMBER_PREFIX, sequence);
}

export function formatQuoteNumber(sequence: number | bigint): string {
  return padded(QUOTE_NUMBER_PREFIX, sequence);
}
