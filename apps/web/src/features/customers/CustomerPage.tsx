import { useQuery } from '@apollo/client/react';
import {
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  CopyButton,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { can, Permission } from '@refunds/domain';
import { Link, useParams } from '../../app/router';
import { type CorrectionRowFragment, CustomerDetailDocument } from '../../gql/graphql';
import { seesMoney } from '../../app/navigation';
import { useCurrent } from '../../shared/current';
import { formatDateTime } from '../../shared/dates';
import { QueryError } from '../../shared/errors';
import { Empty, Loading } from '../../shared/states';
import { useMoney } from '../../shared/useMoney';
import { formatCredits } from '../transactions/credits';
import { CorrectionForm } from './components/CorrectionForm';

/** /customers/:id — details, the portal link, balances, corrections and the way to the accounts. */
export function CustomerPage() {
  const { id = '' } = useParams();
  const { member } = useCurrent();
  const withMoney = seesMoney(member.role);
  const { data, loading, error, refetch } = useQuery(CustomerDetailDocument, {
    variables: { id, withMoney },
  });

  const crumbs = (
    <Breadcrumbs aria-label="Breadcrumb">
      <Anchor component={Link} to="/customers">
        Customers
      </Anchor>
      <Text span>{data?.customer?.name ?? 'Customer'}</Text>
    </Breadcrumbs>
  );
  if (error) {
    return (
      <Stack>
        {crumbs}
        <QueryError error={error} onRetry={() => void refetch()} />
      </Stack>
    );
  }
  if (loading && !data) return <Loading label="Loading the customer" />;
  const customer = data?.customer;
  if (!customer) {
    return (
      <Stack>
        {crumbs}
        <Empty title="Customer not found">It may have been removed, or the link is wrong.</Empty>
      </Stack>
    );
  }
  const canWriteMoney = can({ kind: 'member', role: member.role }, Permission.WRITE_MONEY);
  return (
    <Stack>
      {crumbs}
      <Group justify="space-between">
        <Title order={1} size="h2">
          {customer.name}
        </Title>
        {withMoney && (
          <Group>
            <Button
              variant="default"
              component={Link}
              to={`/transactions?customer=${encodeURIComponent(customer.id)}`}
            >
              View transactions
            </Button>
            <Button component={Link} to={`/customers/${encodeURIComponent(customer.id)}/accounts`}>
              View accounts
            </Button>
          </Group>
        )}
      </Group>
      {withMoney && <Details customer={customer} />}
      {withMoney && <Balances customer={customer} />}
      {canWriteMoney && <CorrectionForm customerId={customer.id} />}
      {withMoney && <RecentCorrections corrections={customer.recentCreditCorrections ?? []} />}
    </Stack>
  );
}

function Details({
  customer,
}: {
  customer: { name: string; email?: string | null; portalPath?: string };
}) {
  // Rendered for money roles only, whose query asks for both (see customer.graphql).
  const portalUrl = new URL(customer.portalPath ?? '/', window.location.origin).toString();
  return (
    <Paper withBorder p="md" component="section" aria-label="Details">
      <Stack gap="xs">
        <Text>
          <Text span c="dimmed">
            Email:{' '}
          </Text>
          {customer.email ?? '—'}
        </Text>
        <Group gap="sm">
          <Text c="dimmed">Portal link:</Text>
          <Anchor href={portalUrl} target="_blank" rel="noreferrer" data-testid="portal-link">
            {portalUrl}
          </Anchor>
          <CopyButton value={portalUrl}>
            {({ copied, copy }) => (
              <Button size="compact-sm" variant="light" onClick={copy} aria-live="polite">
                {copied ? 'Copied' : 'Copy portal link'}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Stack>
    </Paper>
  );
}

function Balances({
  customer,
}: {
  customer: {
    creditBalance?: string;
    accountBalance?: { amount: string; currency: string };
  };
}) {
  const { locale } = useCurrent();
  const money = useMoney();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} maw={640}>
      <Paper withBorder p="md" component="section" aria-label="Credit balance">
        <Text size="sm" c="dimmed">
          Credit balance
        </Text>
        <Text fz="xl" fw={700} data-testid="credit-balance">
          {customer.creditBalance !== undefined
            ? `${formatCredits(customer.creditBalance, locale)} credits`
            : '—'}
        </Text>
      </Paper>
      <Paper withBorder p="md" component="section" aria-label="Account balance">
        <Text size="sm" c="dimmed">
          Account balance
        </Text>
        <Text fz="xl" fw={700}>
          {customer.accountBalance ? money(customer.accountBalance) : '—'}
        </Text>
      </Paper>
    </SimpleGrid>
  );
}

function RecentCorrections({ corrections }: { corrections: readonly CorrectionRowFragment[] }) {
  const { business, locale } = useCurrent();
  return (
    <Stack component="section" aria-labelledby="corrections-title" gap="xs">
      <Title order={2} size="h4" id="corrections-title">
        Recent corrections
      </Title>
      {corrections.length === 0 ? (
        <Text c="dimmed" size="sm">
          No corrections yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={320}>
          {/* Below sm the author gives way so the numbers and the comment fit a phone. */}
          <Table verticalSpacing="xs">
            <Table.Caption>Recent corrections, newest first</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Date</Table.Th>
                <Table.Th scope="col" ta="right">
                  Credits
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Balance after
                </Table.Th>
                <Table.Th scope="col">Comment</Table.Th>
                <Table.Th scope="col" visibleFrom="sm">
                  By
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {corrections.map((entry) => (
                <Table.Tr key={entry.id} c={entry.deleted ? 'dimmed' : undefined}>
                  <Table.Td>{formatDateTime(entry.createdAt, locale, business.timezone)}</Table.Td>
                  <Table.Td ta="right">
                    {entry.deleted ? (
                      <s>{formatCredits(entry.credits, locale, true)}</s>
                    ) : (
                      formatCredits(entry.credits, locale, true)
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{formatCredits(entry.balanceAfter, locale)}</Table.Td>
                  <Table.Td>
                    {entry.description}
                    {entry.deleted && (
                      <Badge ml="xs" variant="outline" color="gray">
                        Reversed
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td visibleFrom="sm">{entry.createdBy?.name ?? 'API key'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
