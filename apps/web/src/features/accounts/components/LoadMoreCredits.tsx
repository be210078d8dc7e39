import { Button, Group, Loader, Text } from '@mantine/core';
import { useEffect, useId, useRef } from 'react';
import { requestErrorMessage } from '../../../shared/errors';
import type { OutstandingPages } from '../useOutstandingPages';

/**
 * "Load more credits" under a list of outstanding credits: says how many are shown, stays
 * focusable while the next page loads (busy, with a spinner), and is gone once every credit is
 * shown; focus then moves to the line that says so. Nothing when one page holds them all.
 */
export function LoadMoreCredits({ pages, shown }: { pages: OutstandingPages; shown: number }) {
  const statusId = useId();
  const status = useRef<HTMLParagraphElement>(null);
  const pressed = useRef(false);
  const { hasMore, loadingMore, loadedMore, error, loadMore } = pages;

  // The button just pressed is gone: its focus went nowhere, so give it to the line that says why.
  useEffect(() => {
    if (hasMore || !pressed.current) return;
    pressed.current = false;
    const focused = document.activeElement;
    if (!focused || focused === document.body) status.current?.focus();
  }, [hasMore]);

  if (!hasMore && !loadedMore) return null;
  const credits = shown === 1 ? 'credit' : 'credits';
  return (
    <Group gap="sm" align="center">
      {hasMore && (
        <Button
          type="button"
          variant="default"
          aria-describedby={statusId}
          aria-busy={loadingMore}
          aria-disabled={loadingMore}
          leftSection={loadingMore ? <Loader size={14} aria-hidden /> : undefined}
          onClick={() => {
            pressed.current = true;
            loadMore();
          }}
        >
          Load more credits
        </Button>
      )}
      <Text
        ref={status}
        id={statusId}
        size="sm"
        c="dimmed"
        role="status"
        tabIndex={-1}
        style={{ outline: 'none' }}
      >
        {loadingMore
          ? 'Loading more credits…'
          : hasMore
            ? `${shown} ${credits} shown, oldest first.`
            : `All ${shown} outstanding ${credits} shown.`}
      </Text>
      {error !== undefined && !loadingMore && (
        <Text size="sm" c="red" role="alert">
          Could not load more credits: {requestErrorMessage(error)}
        </Text>
      )}
    </Group>
  );
}
