import { useQuery } from '@apollo/client/react';
import { Paper, Stack, Table, Text, Title } from '@mantine/core';
import { REFUND_REASON_LABELS } from '@refunds/domain';
import { RefundsByReasonDocument, RevenueDocument } from '../../gql/graphql';
import { QueryError } from '../../shared/errors';
import { Loading } from '../../shared/states';
import { useMoney } from '../../shared/useMoney';
import { RevenueChart } from './RevenueChart';

export const REVENUE_DAYS = 14;

export function InsightsPage() {
  const money = useMoney();
  // Refunds and payments recorded elsewhere change these numbers: always ask the API again.
  const { data, loading, error, refetch } = useQuery(RevenueDocument, {
    variables: { days: REVENUE_DAYS },
    fetchPolicy: 'cache-and-network',
  });
  return (
    <Stack>
      <Title order={1} size="h2">
        Insights
      </Title>
      <Paper withBorder p="md" component="section" aria-labelledby="revenue-heading">
        <Stack gap="xs">
          <Title order={2} size="h4" id="revenue-heading">
            Revenue, last {REVENUE_DAYS} days
          </Title>
          {error ? (
            <QueryError error={error} onRetry={() => void refetch()} />
          ) : loading && !data ? (
            <Loading label="Loading revenue" />
          ) : data ? (
            <>
              <Text size="xl" fw={700} data-testid="revenue-total">
                {money(data.revenue.total)}
              </Text>
              <Text size="sm" c="dimmed">
                Payments received minus refunds recorded, per day in the business&apos;s time zone.
              </Text>
              <RevenueChart days={data.revenue.days} />
            </>
          ) : null}
        </Stack>
      </Paper>
      <RefundsByReason />
    </Stack>
  );
}

/** Invoice refunds of the same period grouped by reason category, largest first. */
function RefundsByReason() {
  const money = useMoney();
  const { data, loading, error, refetch } = useQuery(RefundsByReasonDocument, {
    variables: { days: REVENUE_DAYS },
    fetchPolicy: 'cache-and-network',
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="reasons-heading">
      <Stack gap="xs">
        <Title order={2} size="h4" id="reasons-heading">
          Refunds by reason, last {REVENUE_DAYS} days
        </Title>
        {error ? (
          <QueryError error={error} onRetry={() => void refetch()} />
        ) : loading && !data ? (
          <Loading label="Loading refunds by reason" />
        ) : data && data.refundsByReason.length === 0 ? (
          <Text size="sm" c="dimmed">
            No refunds in this period.
          </Text>
        ) : data ? (
          <Table aria-label="Refunds by reason">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Reason</Table.Th>
                <Table.Th ta="right">Refunds</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.refundsByReason.map((row) => (
                <Table.Tr key={row.reason ?? 'none'}>
                  <Table.Td>
                    {row.reason ? REFUND_REASON_LABELS[row.reason] : 'No category'}
                  </Table.Td>
                  <Table.Td ta="right">{row.count}</Table.Td>
                  <Table.Td ta="right">{money(row.amount)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
      </Stack>
    </Paper>
  );
}
