import { useCallback } from 'react';
import { useCurrent } from './current';
import { formatWireMoney, type WireMoney } from './money';

/** Formats money for the signed-in business's country, e.g. GH₵1,250.00 or R$ 1.250,00. */
export function useMoney(): (value: WireMoney) => string {
  const { locale } = useCurrent();
  return useCallback((value: WireMoney) => formatWireMoney(value, locale), [locale]);
}
