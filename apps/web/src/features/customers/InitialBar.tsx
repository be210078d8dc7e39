import { Button, Group } from '@mantine/core';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

/** The A–Z filter: one pressed letter at a time, or All. */
export function InitialBar({
  value,
  onChange,
}: {
  value: string | null;
  onChange: (letter: string | null) => void;
}) {
  return (
    <Group gap={4} role="group" aria-label="Filter by first letter">
      <Button
        size="compact-sm"
        variant={value === null ? 'filled' : 'subtle'}
        aria-pressed={value === null}
        onClick={() => onChange(null)}
      >
        All
      </Button>
      {LETTERS.map((letter) => (
        <Button
          key={letter}
          size="compact-sm"
          variant={value === letter ? 'filled' : 'subtle'}
          aria-pressed={value === letter}
          onClick={() => onChange(value === letter ? null : letter)}
        >
          {letter}
        </Button>
      ))}
    </Group>
  );
}
