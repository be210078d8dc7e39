import { skipToken, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Badge, Divider, Drawer, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { REFUND_REASON_LABELS } from '@refunds/domain';
import type { CaseStatus, QuoteDetailFragment } from '../../../gql/graphql';
import { QuoteDocument } from '../../../gql/graphql';
import { useCurrent } from '../../../shared/current';
import { formatDate, formatDateTime } from '../../../shared/dates';
import { QueryError } from '../../../shared/errors';
import { Empty, Loading } from '../../../shared/states';
import { useMoney } from '../../../shared/useMoney';
import { hasSomething } from '../../accounts/amount';
import { QuoteFooter } from './QuoteFooter';
import { StatusBadge } from './StatusBadge';

const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  NEEDS_REPLY: 'Needs reply',
  AWAITING_CUSTOMER: 'Awaiting customer',
  FOLLOW_UP_DUE: 'Follow-up due',
  ON_HOLD: 'On hold',
  WON: 'Won',
  LOST: 'Lost',
  ARCHIVED: 'Archived',
};

export function QuoteDrawer({ quoteId, onClose }: { quoteId: string | null; onClose: () => void }) {
  const { data, loading, error, refetch } = useQuery(
    QuoteDocument,
    quoteId ? { variables: { id: quoteId } } : skipToken,
  );
  const quote = data?.quote;
  // Escape belongs to the topmost layer: while a dialog of the footer is open, the drawer leaves
  // Escape to it (Mantine's drawer listens on the window and would close as well).
  const [dialogOpen, setDialogOpen] = useState(false);
  return (
    <Drawer
      opened={quoteId !== null}
      onClose={onClose}
      closeOnEscape={!dialogOpen}
      position="right"
      size="xl"
      title={<Text fw={700}>{quote ? `Quote ${quote.number}` : 'Quote'}</Text>}
      closeButtonProps={{ 'aria-label': 'Close quote' }}
    >
      {error ? (
        <QueryError error={error} onRetry={() => void refetch()} />
      ) : loading && !quote ? (
        <Loading label="Loading the quote" />
      ) : !quote ? (
        quoteId && <Empty title="Quote not found">It may have been removed.</Empty>
      ) : (
        <QuoteDetails quote={quote} onDialogOpenChange={setDialogOpen} />
      )}
    </Drawer>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Stack gap="xs" component="section" aria-label={title}>
      <Title order={3} size="h5">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

function QuoteDetails({
  quote,
  onDialogOpenChange,
}: {
  quote: QuoteDetailFragment;
  onDialogOpenChange: (open: boolean) => void;
}) {
  const { business, locale } = useCurrent();
  const money = useMoney();
  const date = (iso: string) => formatDate(iso, locale, business.timezone);
  const dateTime = (iso: string) => formatDateTime(iso, locale, business.timezone);
  // The API sends the feed oldest first; sort anyway (stable) so it is true whatever arrives.
  const activity = [...quote.activity].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

  return (
    <Stack gap="lg" pb={80}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          {quote.title && <Text fw={600}>{quote.title}</Text>}
          <Text>{quote.customer.name}</Text>
          {quote.customer.email && (
            <Text size="sm" c="dimmed">
              {quote.customer.email}
            </Text>
          )}
          <Text size="sm" c="dimmed">
            Created {date(quote.createdAt)}
          </Text>
        </Stack>
        <Stack gap={4} align="flex-end">
          <Group gap={4}>
            <StatusBadge status={quote.status} />
            {quote.status === 'PAID' && hasSomething(quote.refundedAmount) && (
              <Badge color="coral" variant="outline">
                Partly refunded
              </Badge>
            )}
          </Group>
          <Text size="xl" fw={700} data-testid="quote-total">
            {money(quote.total)}
          </Text>
        </Stack>
      </Group>

      <Section title="Case">
        {quote.case ? (
          <Text size="sm">
            Case {quote.case.number}: <strong>{CASE_STATUS_LABELS[quote.case.status]}</strong>
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            No case linked.
          </Text>
        )}
      </Section>

      <Section title="Line items">
        <Table.ScrollContainer minWidth={300}>
          {/* On a phone the unit price gives way (quantity and total stay): no sideways scroll. */}
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Description</Table.Th>
                <Table.Th scope="col" ta="right">
                  Qty
                </Table.Th>
                <Table.Th scope="col" ta="right" visibleFrom="sm">
                  Unit price
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Total
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {quote.lineItems.map((item, index) => (
                <Table.Tr key={index}>
                  <Table.Td>{item.description}</Table.Td>
                  <Table.Td ta="right">{item.quantity}</Table.Td>
                  <Table.Td ta="right" visibleFrom="sm">
                    {money(item.unitPrice)}
                  </Table.Td>
                  <Table.Td ta="right">{money(item.total)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th scope="row" colSpan={2} ta="right">
                  Total
                </Table.Th>
                <Table.Td visibleFrom="sm" />
                <Table.Td ta="right" fw={700}>
                  {money(quote.total)}
                </Table.Td>
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      </Section>

      <Section title="Payment">
        <Text size="sm">{quote.paidAt ? `Paid on ${date(quote.paidAt)}` : 'Not paid yet.'}</Text>
        {(quote.status === 'ACCEPTED' || hasSomething(quote.outstanding)) && (
          <Text size="sm" data-testid="quote-outstanding">
            Outstanding: {money(quote.outstanding)}
          </Text>
        )}
        {hasSomething(quote.refundedAmount) && (
          <Text size="sm" data-testid="quote-refunded">
            Refunded: {money(quote.refundedAmount)} · Still refundable:{' '}
            {money(quote.refundableAmount)}
          </Text>
        )}
        <Text size="sm" c="dimmed">
          {quote.followUpsActive ? 'Automatic follow-ups are on.' : 'Automatic follow-ups are off.'}
        </Text>
      </Section>

      {quote.status !== 'REFUNDED' && quote.refunds.length > 0 && (
        <Paper withBorder p="sm" bg="coral.0" component="section" aria-label="Partial refunds">
          <Title order={3} size="h5" c="coral.9">
            Partly refunded: {money(quote.refundedAmount)} of {money(quote.total)}
          </Title>
          <Stack component="ul" gap={2} style={{ margin: 0, paddingLeft: '1rem' }}>
            {quote.refunds.map((refund) => (
              <Text component="li" size="sm" key={refund.id}>
                {money(refund.amount)} on {dateTime(refund.recordedAt)}
                {refund.reasonCategory ? ` · ${REFUND_REASON_LABELS[refund.reasonCategory]}` : ''}
                {refund.reason ? ` · ${refund.reason}` : ''}
              </Text>
            ))}
          </Stack>
        </Paper>
      )}

      {quote.refund && (
        <Paper withBorder p="sm" bg="coral.0" component="section" aria-label="Refund">
          <Title order={3} size="h5" c="coral.9">
            Refunded {money(quote.refund.amount)}
          </Title>
          <Text size="sm">
            Recorded {dateTime(quote.refund.recordedAt)}
            {quote.refund.recordedBy ? ` by ${quote.refund.recordedBy.name}` : ''}
          </Text>
          <Text size="sm">Reason: {quote.refund.reason ?? 'none given'}</Text>
        </Paper>
      )}

      <Section title="Activity">
        {activity.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing yet.
          </Text>
        ) : (
          <Stack
            component="ol"
            gap="xs"
            aria-label="Activity, oldest first"
            style={{ paddingLeft: 18 }}
          >
            {activity.map((event) => (
              <li key={event.id}>
                <Text size="sm">
                  <strong>{event.message}</strong>
                  {event.actorName ? ` · ${event.actorName}` : ''}
                </Text>
                {event.reason && (
                  <Text size="sm" fs="italic">
                    Reason: {event.reason}
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  <time dateTime={event.at}>{dateTime(event.at)}</time>
                </Text>
              </li>
            ))}
          </Stack>
        )}
      </Section>

      <Divider />
      <QuoteFooter quote={quote} onDialogOpenChange={onDialogOpenChange} />
    </Stack>
  );
}
