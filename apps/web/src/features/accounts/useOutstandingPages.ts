import type { ObservableQuery } from '@apollo/client';
import { useApolloClient } from '@apollo/client/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  OutstandingCreditsDocument,
  type OutstandingCreditRowFragment,
  type OutstandingCreditsQuery,
  type OutstandingCreditsQueryVariables,
} from '../../gql/graphql';

/** Credits a page shows. */
export const OUTSTANDING_PAGE_SIZE = 50;
/** What a page asks for: one more than it shows, so the extra credit says there is a next page. */
export const OUTSTANDING_PAGE_ASK = OUTSTANDING_PAGE_SIZE + 1;

type Row = OutstandingCreditRowFragment;

interface PageState {
  /** The last rows the API sent (kept while the page is fetched again). */
  rows: readonly Row[] | undefined;
  error: unknown;
}

export interface OutstandingPages {
  /** The first page and every page loaded since, oldest first, each credit once. */
  credits: readonly Row[];
  hasMore: boolean;
  loadingMore: boolean;
  /** Why the last "Load more" failed (it can be pressed again). */
  error: unknown;
  /** Whether any page past the first was asked for. */
  loadedMore: boolean;
  loadMore: () => void;
}

/**
 * "Load more" over `outstandingCredits(first, after)`, where `after` is the id of the last credit
 * shown. The first page comes from the screen's own query (`firstPage`, asked with
 * OUTSTANDING_PAGE_ASK); each later page is a watched OutstandingCredits query that the cache does
 * not keep (CustomerAccount has no id, so two of its shapes in the cache would replace each
 * other). Being watched, later pages are fetched again with the screen's: by name after a refund
 * (`refetchQueries: ['OutstandingCredits']`) and by the refetch of every active query after a
 * refusal that says the state moved on. A page fetched again may overlap the next (credits before
 * its cursor were used up), so each credit shows once, where it first appears.
 */
export function useOutstandingPages(
  customerId: string,
  firstPage: readonly Row[] | undefined,
): OutstandingPages {
  const client = useApolloClient();
  // The cursor that opened each later page, in order; kept with the customer they belong to.
  const [cursors, setCursors] = useState<{ customerId: string; after: string[] }>({
    customerId,
    after: [],
  });
  const [pages, setPages] = useState<Record<string, PageState>>({});
  const watched = useRef(
    new Map<
      string,
      {
        query: ObservableQuery<OutstandingCreditsQuery, OutstandingCreditsQueryVariables>;
        unsubscribe: () => void;
      }
    >(),
  );
  const after = useMemo(
    () => (cursors.customerId === customerId ? cursors.after : []),
    [cursors, customerId],
  );
  const keyOf = useCallback((cursor: string) => `${customerId}\u0000${cursor}`, [customerId]);

  useEffect(() => {
    const live = watched.current;
    const wanted = new Set(after.map(keyOf));
    for (const [key, entry] of live) {
      if (!wanted.has(key)) {
        entry.unsubscribe();
        live.delete(key);
      }
    }
    for (const cursor of after) {
      const key = keyOf(cursor);
      if (live.has(key)) continue;
      const query = client.watchQuery({
        query: OutstandingCreditsDocument,
        variables: { customerId, first: OUTSTANDING_PAGE_ASK, after: cursor },
        fetchPolicy: 'no-cache',
        notifyOnNetworkStatusChange: true,
      });
      const update = (next: Partial<PageState>) =>
        setPages((prev) => ({
          ...prev,
          [key]: { rows: prev[key]?.rows, error: undefined, ...next },
        }));
      const subscription = query.subscribe({
        next: (result) => {
          const rows =
            result.dataState === 'complete'
              ? (result.data.customerAccount?.outstandingCredits ?? [])
              : undefined;
          update({ ...(rows ? { rows } : {}), error: result.error });
        },
        error: (error: unknown) => update({ error }),
      });
      live.set(key, { query, unsubscribe: () => subscription.unsubscribe() });
    }
  }, [after, client, customerId, keyOf]);

  // Unmounting stops watching (and StrictMode's second mount watches again, above).
  useEffect(() => {
    const live = watched.current;
    return () => {
      for (const entry of live.values()) entry.unsubscribe();
      live.clear();
    };
  }, []);

  const credits = useMemo(() => {
    const seen = new Set<string>();
    const shown: Row[] = [];
    const add = (rows: readonly Row[]) => {
      for (const row of rows.slice(0, OUTSTANDING_PAGE_SIZE)) {
        if (seen.has(row.id)) continue;
        seen.add(row.id);
        shown.push(row);
      }
    };
    add(firstPage ?? []);
    for (const cursor of after) {
      const rows = pages[keyOf(cursor)]?.rows;
      if (!rows) break;
      add(rows);
    }
    return shown;
  }, [after, firstPage, keyOf, pages]);

  const last = after.length ? pages[keyOf(after[after.length - 1]!)] : undefined;
  const lastRows = after.length ? last?.rows : firstPage;
  // Only the first answer for a page is "loading more"; fetching it again keeps what it showed.
  const loadingMore = after.length > 0 && !last?.rows && !last?.error;
  const error = after.length > 0 && !last?.rows ? last?.error : undefined;
  const hasMore = loadingMore || Boolean(error) || (lastRows?.length ?? 0) > OUTSTANDING_PAGE_SIZE;

  const loadMore = useCallback(() => {
    if (loadingMore || !hasMore) return;
    const failed = error ? after[after.length - 1] : undefined;
    if (failed) {
      // The last page did not come: ask for it again.
      const key = keyOf(failed);
      setPages((prev) => ({ ...prev, [key]: { rows: undefined, error: undefined } }));
      void watched.current
        .get(key)
        ?.query.refetch()
        .catch((failure: unknown) =>
          setPages((prev) =>
            prev[key]?.rows || prev[key]?.error
              ? prev
              : { ...prev, [key]: { rows: undefined, error: failure } },
          ),
        );
      return;
    }
    const cursor = credits[credits.length - 1]?.id;
    if (!cursor || after.includes(cursor)) return;
    setCursors({ customerId, after: [...after, cursor] });
  }, [after, credits, customerId, error, hasMore, keyOf, loadingMore]);

  return { credits, hasMore, loadingMore, error, loadedMore: after.length > 0, loadMore };
}
