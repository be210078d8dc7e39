import { Button, Group, Text } from '@mantine/core';
import { useCallback, useState } from 'react';

/**
 * Cursor pagination as the API does it (`first` + `after`): a stack of the cursors that opened each
 * page, so Previous goes back exactly. Call `reset()` when the filter changes.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const next = useCallback(
    (endCursor: string | null) => {
      if (endCursor) setCursors((stack) => [...stack, endCursor]);
    },
    [setCursors],
  );
  const previous = useCallback(
    () => setCursors((stack) => (stack.length > 1 ? stack.slice(0, -1) : stack)),
    [setCursors],
  );
  const reset = useCallback(() => setCursors([null]), [setCursors]);
  return { after, page: cursors.length, next, previous, reset };
}

export function PageControls({
  page,
  hasNextPage,
  onPrevious,
  onNext,
  label,
}: {
  page: number;
  hasNextPage: boolean;
  onPrevious: () => void;
  onNext: () => void;
  label: string;
}) {
  if (page === 1 && !hasNextPage) return null;
  return (
    <Group justify="space-between" component="nav" aria-label={`${label} pages`} mt="md">
      <Button variant="default" onClick={onPrevious} disabled={page === 1}>
        Previous page
      </Button>
      <Text size="sm" c="dimmed" aria-live="polite">
        Page {page}
      </Text>
      <Button variant="default" onClick={onNext} disabled={!hasNextPage}>
        Next page
      </Button>
    </Group>
  );
}
