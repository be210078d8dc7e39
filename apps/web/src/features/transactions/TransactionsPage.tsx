import { Stack, Text, Title } from '@mantine/core';

/** Credit transactions are part 2 of the admin SPA; the route exists so navigation is complete. */
export function TransactionsPage() {
  return (
    <Stack>
      <Title order={2}>Transactions</Title>
      <Text c="dimmed">Coming soon: customers' credit purchases, spends and refunds.</Text>
    </Stack>
  );
}
