import { useQuery } from '@apollo/client/react';
import { Button, Group } from '@mantine/core';
import { CustomerInitialsDocument } from '../../gql/graphql';

/**
 * The A–Z filter: All, then the initials the business's customer names actually start with
 * (folded by the API, so "Émile" is under E; another alphabet's letters appear when names use
 * them; "#" for names that start with no letter). One pressed letter at a time.
 */
export function InitialBar({
  value,
  onChange,
}: {
  value: string | null;
  onChange: (letter: string | null) => void;
}) {
  const { data } = useQuery(CustomerInitialsDocument, { fetchPolicy: 'cache-and-network' });
  const letters = data?.customerInitials ?? [];
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
      {letters.map((letter) => (
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
