import { useQuery } from '@apollo/client/react';
import { Badge, Button, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from '../../app/router';
import {
  type CreditTransactionKind,
  type CreditTransactionRowFragment,
  CreditTransactionsDocument,
  TransactionCustomerOptionsDocument,
} from '../../gql/graphql';
import { useCurrent } from '../../shared/current';
import { formatDateTime } from '../../shared/dates';
import { QueryError } from '../../shared/errors';
import { PageControls, useCursorPages } from '../../shared/pagination';
import { Empty, Loading } from '../../shared/states';
import { refundReasonLabel } from '../../shared/RefundReasonSelect';
import { DownloadCsvButton } from '../exports/DownloadCsvButton';
import { type DateRange, DateRangeFilter, useDateRangeParams } from '../exports/DateRangeFilter';
import { DeleteTransactionDialog } from './components/DeleteTransactionDialog';
import { RefundTransactionDrawer } from './components/RefundTransactionDrawer';
import {
  canDelete,
  canRefund,
  creditsOf,
  formatCredits,
  KIND_COLORS,
  KIND_LABELS,
} from './credits';

export const TRANSACTIONS_PAGE_SIZE = 25;

const KINDS = Object.keys(KIND_LABELS) as CreditTransactionKind[];

function parseKind(value: string | null): CreditTransactionKind | null {
  const upper = value?.toUpperCase();
  return upper && (KINDS as string[]).includes(upper) ? (upper as CreditTransactionKind) : null;
}

/** Every credit transaction, newest first; filters live in the address (?customer=&kind=). */
export function TransactionsPage() {
  const [params, setParams] = useSearchParams();
  const customerId = params.get('customer');
  const kind = parseKind(params.get('kind'));
  const pages = useCursorPages();
  const { range, setRange } = useDateRangeParams(pages.reset);
  const customers = useQuery(TransactionCustomerOptionsDocument);

  const setFilter = (name: 'customer' | 'kind', value: string | null) => {
    pages.reset();
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value) next.set(name, name === 'kind' ? value.toLowerCase() : value);
      else next.delete(name);
      return next;
    });
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Transactions
        </Title>
        <DownloadCsvButton
          name="transactions"
          filters={{ customerId, kind, from: range.from, to: range.to }}
        />
      </Group>
      <Group align="flex-start" role="search" aria-label="Filter transactions">
        <Select
          label="Customer"
          placeholder="All customers"
          searchable
          clearable
          data={(customers.data?.customers.nodes ?? []).map((c) => ({
            value: c.id,
            label: c.name,
          }))}
          value={customerId}
          onChange={(value) => setFilter('customer', value)}
          nothingFoundMessage="No customer of that name"
          w={260}
        />
        <Select
          label="Kind"
          placeholder="All kinds"
          clearable
          data={KINDS.map((value) => ({ value, label: KIND_LABELS[value] }))}
          value={kind}
          onChange={(value) => setFilter('kind', value)}
          w={200}
        />
        <DateRangeFilter range={range} onChange={setRange} />
      </Group>
      <TransactionList customerId={customerId} kind={kind} range={range} pages={pages} />
    </Stack>
  );
}

function TransactionList({
  customerId,
  kind,
  range,
  pages,
}: {
  customerId: string | null;
  kind: CreditTransactionKind | null;
  range: DateRange;
  pages: ReturnType<typeof useCursorPages>;
}) {
  // Ids, not rows: the panels always show the row as last loaded (a refetch after a refusal
  // shows what someone else refunded meanwhile).
  const [refundingId, setRefundingId] = useState<string | null>(null);
  const [deletingId, setDeletingId] = useState<string | null>(null);
  const { data, loading, error, refetch } = useQuery(CreditTransactionsDocument, {
    variables: {
      customerId,
      kind,
      from: range.from,
      to: range.to,
      first: TRANSACTIONS_PAGE_SIZE,
      after: pages.after,
    },
    // A ledger changes from other screens (corrections, refunds): show the cache, then the API.
    fetchPolicy: 'cache-and-network',
  });
  const nodes = data?.creditTransactions.nodes ?? [];
  const refunding = nodes.find((entry) => entry.id === refundingId) ?? null;
  const deleting = nodes.find((entry) => entry.id === deletingId) ?? null;

  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (loading && !data) return <Loading label="Loading transactions" />;
  const connection = data?.creditTransactions;
  if (!connection || connection.nodes.length === 0) {
    return (
      <Empty title="No transactions">
        {customerId || kind || range.from || range.to
          ? 'Nothing matches these filters.'
          : 'Credit purchases, spends, refunds and corrections show here.'}
      </Empty>
    );
  }
  return (
    <>
      {/* Below the sm breakpoint Date, Balance after, By and Details give way so Customer,
          Kind, Credits and the Actions stay on a 390 px screen without sideways scrolling. */}
      <Table.ScrollContainer minWidth={320}>
        <Table verticalSpacing="sm" highlightOnHover>
          <Table.Caption>Credit transactions, newest first</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" visibleFrom="sm">
                Date
              </Table.Th>
              <Table.Th scope="col">Customer</Table.Th>
              <Table.Th scope="col">Kind</Table.Th>
              <Table.Th scope="col" ta="right">
                Credits
              </Table.Th>
              <Table.Th scope="col" ta="right" visibleFrom="sm">
                Balance after
              </Table.Th>
              <Table.Th scope="col" visibleFrom="sm">
                By
              </Table.Th>
              <Table.Th scope="col" visibleFrom="sm">
                Details
              </Table.Th>
              <Table.Th scope="col">Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {connection.nodes.map((entry) => (
              <TransactionRow
                key={entry.id}
                entry={entry}
                onRefund={() => setRefundingId(entry.id)}
                onDelete={() => setDeletingId(entry.id)}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <PageControls
        label="Transactions"
        page={pages.page}
        hasNextPage={connection.pageInfo.hasNextPage}
        onNext={() => pages.next(connection.pageInfo.endCursor)}
        onPrevious={pages.previous}
      />
      <RefundTransactionDrawer spend={refunding} onClose={() => setRefundingId(null)} />
      <DeleteTransactionDialog entry={deleting} onClose={() => setDeletingId(null)} />
    </>
  );
}

function Struck({ deleted, children }: { deleted: boolean; children: React.ReactNode }) {
  return deleted ? <s>{children}</s> : <>{children}</>;
}

function TransactionRow({
  entry,
  onRefund,
  onDelete,
}: {
  entry: CreditTransactionRowFragment;
  onRefund: () => void;
  onDelete: () => void;
}) {
  const { business, locale } = useCurrent();
  const when = (iso: string) => formatDateTime(iso, locale, business.timezone);
  const label = `${KIND_LABELS[entry.kind].toLowerCase()} of ${formatCredits(entry.credits, locale, true)} for ${entry.customer.name}`;
  return (
    <Table.Tr data-deleted={entry.deleted || undefined} c={entry.deleted ? 'dimmed' : undefined}>
      <Table.Td visibleFrom="sm">
        <Struck deleted={entry.deleted}>{when(entry.createdAt)}</Struck>
      </Table.Td>
      <Table.Td>{entry.customer.name}</Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Badge variant="light" color={KIND_COLORS[entry.kind]}>
            {KIND_LABELS[entry.kind]}
          </Badge>
          {/* Derived from the REVERSAL entry that undid it: the entry itself never changes. */}
          {entry.deleted && (
            <Badge variant="outline" color="gray">
              Reversed
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
        <Struck deleted={entry.deleted}>{formatCredits(entry.credits, locale, true)}</Struck>
      </Table.Td>
      <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }} visibleFrom="sm">
        {formatCredits(entry.balanceAfter, locale)}
      </Table.Td>
      <Table.Td visibleFrom="sm">{entry.createdBy?.name ?? 'API key'}</Table.Td>
      <Table.Td visibleFrom="sm">
        <Stack gap={2}>
          {entry.description && (
            <Text size="sm">
              <Struck deleted={entry.deleted}>{entry.description}</Struck>
            </Text>
          )}
          {entry.reverses && (
            <Text size="sm" c="dimmed">
              Reverses the {KIND_LABELS[entry.reverses.kind].toLowerCase()} of{' '}
              {formatCredits(entry.reverses.credits, locale, true)} on{' '}
              {when(entry.reverses.createdAt)}
            </Text>
          )}
          {refundReasonLabel(entry.reasonCategory) && (
            <Text size="sm" c="dimmed">
              Category: {refundReasonLabel(entry.reasonCategory)}
            </Text>
          )}
          {entry.refundOf && (
            <Text size="sm" c="dimmed">
              Refund of the {KIND_LABELS[entry.refundOf.kind].toLowerCase()} of{' '}
              {formatCredits(entry.refundOf.credits, locale, true)} on{' '}
              {when(entry.refundOf.createdAt)}
            </Text>
          )}
          {entry.kind === 'SPEND' && (creditsOf(entry.refundedCredits) ?? 0n) > 0n && (
            <Text size="sm" c="dimmed">
              Refunded so far: {formatCredits(entry.refundedCredits, locale)}
            </Text>
          )}
          {entry.deleted && (
            <Text size="sm" c="red.8">
              Reversed{entry.deletedBy ? ` by ${entry.deletedBy.name}` : ''}
              {entry.deletedAt ? ` on ${when(entry.deletedAt)}` : ''}
              {entry.deleteReason ? `: ${entry.deleteReason}` : ''}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          {canRefund(entry) && (
            <Button
              size="compact-sm"
              variant="light"
              color="coral"
              onClick={onRefund}
              aria-description={label}
            >
              Refund
            </Button>
          )}
          {canDelete(entry) && (
            <Button
              size="compact-sm"
              variant="subtle"
              color="red"
              onClick={onDelete}
              aria-description={label}
            >
              Delete
            </Button>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
