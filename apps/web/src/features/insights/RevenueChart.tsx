import { Box, Paper, Text } from '@mantine/core';
import { parseCurrency, parseMoney } from '@refunds/domain';
import { useState } from 'react';
import type { RevenueQuery } from '../../gql/graphql';
import { useCurrent } from '../../shared/current';
import { formatDay } from '../../shared/dates';
import { Empty } from '../../shared/states';
import { useMoney } from '../../shared/useMoney';

type Day = RevenueQuery['revenue']['days'][number];

/** Minor units of a day's net, read by the domain (never parseFloat); 0 if unreadable. */
function minorUnits(day: Day): bigint {
  const currency = parseCurrency(day.net.currency);
  if (!currency.ok) return 0n;
  const parsed = parseMoney(day.net.amount, currency.value, { allowNegative: true });
  return parsed.ok ? parsed.value.minor : 0n;
}

const WIDTH = 560;
const HEIGHT = 180;
const PAD = 8;
/** Room under the bars for the day labels. */
const AXIS = 22;
/** At most this many day labels, so they never overlap (every day of a 14-day window is ~7). */
const MAX_LABELS = 7;

/**
 * One bar per day; a day with more refunds than payments goes below the zero line in coral (the
 * dip). Every bar is focusable and names its day and amount; hover or focus shows the value in
 * the readout and in a label over that bar. Days are labelled under the bars (about seven).
 */
export function RevenueChart({ days }: { days: readonly Day[] }) {
  const { locale } = useCurrent();
  const money = useMoney();
  const [active, setActive] = useState<number | null>(null);
  if (days.length === 0) return <Empty title="No revenue yet" />;

  const values = days.map(minorUnits);
  const max = values.reduce((m, v) => (v > m ? v : m), 0n);
  const min = values.reduce((m, v) => (v < m ? v : m), 0n);
  const span = max - min === 0n ? 1n : max - min;
  // Pixel geometry only: a ratio of bigints turned into a screen position, never an amount.
  const y = (v: bigint) => PAD + (Number(max - v) / Number(span)) * (HEIGHT - 2 * PAD);
  const zeroY = y(0n);
  const slot = WIDTH / days.length;
  const barWidth = Math.max(4, slot * 0.6);
  const label = (i: number) => {
    const day = days[i];
    return day ? `${formatDay(day.date, locale)}: ${money(day.net)}` : '';
  };
  const shown = active ?? days.length - 1;
  // Label every `step`-th day counting back from today, so the newest day is always named.
  const step = Math.ceil(days.length / MAX_LABELS);
  const labelled = (i: number) => (days.length - 1 - i) % step === 0;

  return (
    <Box pos="relative">
      <Text size="sm" aria-live="polite" data-testid="revenue-readout" mb={4}>
        {label(shown)}
      </Text>
      {active !== null && (
        // Anchored over the hovered or focused bar's slot, in the same percentages the SVG
        // scales by, so the value sits above the right bar at any width.
        <Paper
          shadow="sm"
          withBorder
          px={6}
          py={2}
          pos="absolute"
          top={26}
          left={`${((active + 0.5) / days.length) * 100}%`}
          style={{ transform: 'translateX(-50%)', pointerEvents: 'none', whiteSpace: 'nowrap' }}
          aria-hidden
          data-testid="revenue-tooltip"
          data-day={days[active]?.date}
        >
          <Text size="xs">{label(active)}</Text>
        </Paper>
      )}
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT + AXIS}`}
        width="100%"
        role="group"
        aria-label={`Net revenue per day, ${days.length} days, oldest first`}
        onMouseLeave={() => setActive(null)}
      >
        <line x1={0} x2={WIDTH} y1={zeroY} y2={zeroY} stroke="var(--mantine-color-gray-5)" />
        {days.map((day, i) => {
          const v = values[i] ?? 0n;
          const top = Math.min(y(v), zeroY);
          const height = Math.max(1, Math.abs(y(v) - zeroY));
          const negative = v < 0n;
          return (
            <g key={day.date}>
              {/* The whole slot answers the pointer, not only the bar: no gaps where the last
                  bar's label would linger beside another bar. */}
              <rect
                x={i * slot}
                y={0}
                width={slot}
                height={HEIGHT + AXIS}
                fill="transparent"
                aria-hidden
                data-testid={`revenue-slot-${day.date}`}
                onMouseEnter={() => setActive(i)}
              />
              <rect
                x={i * slot + (slot - barWidth) / 2}
                y={top}
                width={barWidth}
                height={height}
                rx={2}
                fill={
                  negative
                    ? 'var(--mantine-color-coral-6)'
                    : active === i
                      ? 'var(--mantine-color-indigo-8)'
                      : 'var(--mantine-color-indigo-5)'
                }
                tabIndex={0}
                role="img"
                aria-label={label(i)}
                data-negative={negative || undefined}
                onMouseEnter={() => setActive(i)}
                onFocus={() => setActive(i)}
                onBlur={() => setActive(null)}
              ></rect>
              {labelled(i) && (
                <text
                  x={i * slot + slot / 2}
                  y={HEIGHT + AXIS - 6}
                  textAnchor="middle"
                  fontSize={12}
                  fill="var(--mantine-color-dimmed)"
                  aria-hidden
                >
                  {formatDay(day.date, locale)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </Box>
  );
}
