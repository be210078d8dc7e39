import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { countryName } from '@refunds/domain';
import { useCurrent } from '../../shared/current';

/** The business as set at sign-up: what drives its currency, dates and refund channels. */
export function BusinessProfile() {
  const { business } = useCurrent();
  const rows: Array<[string, string]> = [
    ['Name', business.name],
    ['Country', `${countryName(business.country)} (${business.country})`],
    ['Currency', business.currency],
    ['Time zone', business.timezone],
    ['Refund channels', business.refundChannelExamples.join(', ')],
  ];
  return (
    <Card withBorder>
      <Stack>
        <Title order={2} size="h3">
          Business profile
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} component="dl" spacing="xs">
          {rows.map(([label, value]) => (
            <div key={label}>
              <Text component="dt" size="sm" fw={600}>
                {label}
              </Text>
              <Text component="dd" m={0}>
                {value}
              </Text>
            </div>
          ))}
        </SimpleGrid>
        <Text size="sm">
          Amounts are kept in {business.currency}, and days in stats, exports and statements are
          days in {business.timezone}.
        </Text>
      </Stack>
    </Card>
  );
}
