import { useQuery } from '@apollo/client/react';
import { Anchor, Badge, Button, Group, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useSearchParams } from '../../app/router';
import { QuoteStatsDocument, QuotesDocument, type QuoteTab } from '../../gql/graphql';
import { useCurrent } from '../../shared/current';
import { formatDate } from '../../shared/dates';
import { QueryError } from '../../shared/errors';
import { PageControls, useCursorPages } from '../../shared/pagination';
import { Empty, Loading } from '../../shared/states';
import { lazyComponent, useWantedOnce } from '../../shared/lazyComponent';
import { useMoney } from '../../shared/useMoney';
import { SampleDataOffer } from '../demo/SampleDataOffer';
import { DownloadCsvButton } from '../exports/DownloadCsvButton';
import { StatTiles } from './components/StatTiles';
import { StatusBadge } from './components/StatusBadge';
import { DEFAULT_TABS, TAB_LABELS } from './quoteActions';

export const QUOTES_PAGE_SIZE = 20;

// The drawer (with its footer's dialogs) and the builder are fetched when first opened: the list
// is what the first load of /quotes needs.
const QuoteDrawer = lazyComponent(() =>
  import('./components/QuoteDrawer').then((module) => module.QuoteDrawer),
);
const QuoteBuilder = lazyComponent(() =>
  import('./components/QuoteBuilder').then((module) => module.QuoteBuilder),
);

function parseTab(value: string | null): QuoteTab {
  const upper = (value ?? 'all').toUpperCase();
  return upper in TAB_LABELS ? (upper as QuoteTab) : 'ALL';
}

export function QuotesPage() {
  const [params, setParams] = useSearchParams();
  const tab = parseTab(params.get('tab'));
  const openQuoteId = params.get('quote');
  const pages = useCursorPages();
  const [builderOpened, builder] = useDisclosure(false);
  const drawerWanted = useWantedOnce(openQuoteId !== null);
  const builderWanted = useWantedOnce(builderOpened);
  const stats = useQuery(QuoteStatsDocument);
  const tabs = stats.data?.quoteStats.tabs ?? DEFAULT_TABS;
  const counts = new Map(stats.data?.quoteStats.tabCounts.map((t) => [t.tab, t.count]) ?? []);

  const update = (change: (next: URLSearchParams) => void) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      change(next);
      return next;
    });
  const selectTab = (value: string | null) => {
    pages.reset();
    update((next) => {
      if (!value || value === 'ALL') next.delete('tab');
      else next.set('tab', value.toLowerCase());
    });
  };
  const openQuote = (id: string | null) =>
    update((next) => (id ? next.set('quote', id) : next.delete('quote')));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Quotes
        </Title>
        <Group gap="xs">
          <DownloadCsvButton
            name="quotes"
            filters={{ tab: tab === 'ALL' ? null : tab }}
            label="Download CSV"
          />
          <Button onClick={builder.open}>New quote</Button>
        </Group>
      </Group>
      {stats.error ? (
        <QueryError error={stats.error} onRetry={() => void stats.refetch()} />
      ) : (
        <StatTiles stats={stats.data?.quoteStats} />
      )}
      <Tabs value={tab} onChange={selectTab} keepMounted={false}>
        <Tabs.List aria-label="Filter quotes by status">
          {tabs.map((value) => {
            const count = counts.get(value);
            return (
              <Tabs.Tab
                key={value}
                value={value}
                // The tab keeps its plain name; the number is said as its description.
                aria-description={count === undefined ? undefined : `${count} quotes`}
                rightSection={
                  count === undefined ? undefined : (
                    <Badge size="sm" variant="light" color="gray" aria-hidden>
                      {count}
                    </Badge>
                  )
                }
              >
                {TAB_LABELS[value]}
              </Tabs.Tab>
            );
          })}
        </Tabs.List>
        {tabs.map((value) => (
          <Tabs.Panel key={value} value={value} pt="md">
            {value === tab && (
              <QuoteList
                tab={tab}
                after={pages.after}
                page={pages.page}
                onNext={pages.next}
                onPrevious={pages.previous}
                onOpen={openQuote}
              />
            )}
          </Tabs.Panel>
        ))}
      </Tabs>
      {drawerWanted && <QuoteDrawer quoteId={openQuoteId} onClose={() => openQuote(null)} />}
      {builderWanted && (
        <QuoteBuilder
          opened={builderOpened}
          onClose={builder.close}
          onCreated={(id) => {
            builder.close();
            openQuote(id);
          }}
        />
      )}
    </Stack>
  );
}

function QuoteList({
  tab,
  after,
  page,
  onNext,
  onPrevious,
  onOpen,
}: {
  tab: QuoteTab;
  after: string | null;
  page: number;
  onNext: (cursor: string | null) => void;
  onPrevious: () => void;
  onOpen: (id: string) => void;
}) {
  const { business, locale } = useCurrent();
  const money = useMoney();
  const { data, loading, error, refetch } = useQuery(QuotesDocument, {
    variables: { tab, first: QUOTES_PAGE_SIZE, after },
  });

  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (loading && !data) return <Loading label="Loading quotes" />;
  const connection = data?.quotes;
  if (!connection || connection.nodes.length === 0) {
    return (
      <Stack>
        <Empty title="No quotes here yet">
          {tab === 'ALL'
            ? 'Create one with New quote.'
            : `No ${TAB_LABELS[tab].toLowerCase()} quotes.`}
        </Empty>
        {tab === 'ALL' && <SampleDataOffer />}
      </Stack>
    );
  }
  return (
    <>
      {/* Below sm the Date column gives way so the status and total fit a phone. */}
      <Table.ScrollContainer minWidth={320} type="native">
        <Table highlightOnHover verticalSpacing="sm">
          <Table.Caption>{TAB_LABELS[tab]} quotes</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Number</Table.Th>
              <Table.Th scope="col" visibleFrom="sm">
                Customer
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Total
              </Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col" visibleFrom="sm">
                Date
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {connection.nodes.map((quote) => (
              <Table.Tr
                key={quote.id}
                onClick={() => onOpen(quote.id)}
                style={{ cursor: 'pointer' }}
              >
                <Table.Td>
                  <Anchor
                    component="button"
                    type="button"
                    onClick={(event: React.MouseEvent) => {
                      event.stopPropagation();
                      onOpen(quote.id);
                    }}
                    aria-label={`Open quote ${quote.number}`}
                  >
                    {quote.number}
                  </Anchor>
                  {quote.title && (
                    <Text size="xs" c="dimmed">
                      {quote.title}
                    </Text>
                  )}
                  {/* On a phone the customer column gives way: the name goes under the number. */}
                  <Text size="xs" hiddenFrom="sm">
                    {quote.customer.name}
                  </Text>
                </Table.Td>
                <Table.Td visibleFrom="sm">{quote.customer.name}</Table.Td>
                <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {money(quote.total)}
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={quote.status} refundedAmount={quote.refundedAmount} />
                </Table.Td>
                <Table.Td visibleFrom="sm">
                  {formatDate(quote.createdAt, locale, business.timezone)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <PageControls
        label="Quotes"
        page={page}
        hasNextPage={connection.pageInfo.hasNextPage}
        onNext={() => onNext(connection.pageInfo.endCursor)}
        onPrevious={onPrevious}
      />
    </>
  );
}
