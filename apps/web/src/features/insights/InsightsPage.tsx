import { useQuery } from '@apollo/client/react';
import { Paper, Stack, Text, Title } from '@mantine/core';
import { RevenueDocument } from '../../gql/graphql';
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
    </Stack>
  );
}
