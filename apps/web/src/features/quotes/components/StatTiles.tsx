import { Paper, SimpleGrid, Skeleton, Text, Title } from '@mantine/core';
import { useId } from 'react';
import type { QuoteStatsQuery } from '../../../gql/graphql';
import { useMoney } from '../../../shared/useMoney';

function Tile({ title, value }: { title: string; value: React.ReactNode }) {
  const id = useId();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id}>
      <Title order={2} size="h6" c="dimmed" id={id}>
        {title}
      </Title>
      <Text size="xl" fw={700} mt={4} component="div">
        {value}
      </Text>
    </Paper>
  );
}

export function StatTiles({ stats }: { stats: QuoteStatsQuery['quoteStats'] | undefined }) {
  const money = useMoney();
  const pending = <Skeleton height={28} width={120} aria-label="Loading" />;
  return (
    <SimpleGrid cols={{ base: 1, xs: 2 }} maw={640}>
      <Tile title="Invoices paid" value={stats ? stats.invoicesPaidCount : pending} />
      <Tile title="Invoiced this month" value={stats ? money(stats.invoicedThisMonth) : pending} />
    </SimpleGrid>
  );
}
