import { Group, TextInput } from '@mantine/core';
import { useSearchParams } from '../../app/router';

const DATE_KEY = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD from the address, or null for anything else (a hand-edited link). */
function dateParam(value: string | null): string | null {
  return value && DATE_KEY.test(value) && !Number.isNaN(Date.parse(value)) ? value : null;
}

export interface DateRange {
  readonly from: string | null;
  readonly to: string | null;
}

/**
 * ?from=&to= in the address: business-local days, both included, so a link or a reload shows
 * the same list. `onChange` runs before the address changes (e.g. to go back to page 1).
 */
export function useDateRangeParams(onChange?: () => void) {
  const [params, setParams] = useSearchParams();
  const range: DateRange = { from: dateParam(params.get('from')), to: dateParam(params.get('to')) };
  const setRange = (name: keyof DateRange, value: string | null) => {
    onChange?.();
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value && dateParam(value)) next.set(name, value);
      else next.delete(name);
      return next;
    });
  };
  return { range, setRange };
}

/** "From" and "To" day pickers (the browser's own date input: keyboard and screen-reader ready). */
export function DateRangeFilter({
  range,
  onChange,
}: {
  range: DateRange;
  onChange: (name: keyof DateRange, value: string | null) => void;
}) {
  const toBeforeFrom = range.from && range.to && range.to < range.from;
  return (
    <Group gap="xs" align="flex-start" wrap="nowrap">
      <TextInput
        type="date"
        label="From"
        value={range.from ?? ''}
        max={range.to ?? undefined}
        onChange={(e) => onChange('from', e.currentTarget.value || null)}
        w={160}
      />
      <TextInput
        type="date"
        label="To"
        value={range.to ?? ''}
        min={range.from ?? undefined}
        onChange={(e) => onChange('to', e.currentTarget.value || null)}
        error={toBeforeFrom ? 'Ends before it starts' : undefined}
        w={160}
      />
    </Group>
  );
}
