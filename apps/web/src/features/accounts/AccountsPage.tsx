import { useQuery } from '@apollo/client/react';
import {
  Anchor,
  Breadcrumbs,
  Button,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { can, Permission } from '@refunds/domain';
import { Link, useParams } from '../../app/router';
import { CustomerAccountDocument } from '../../gql/graphql';
import { useCurrent } from '../../shared/current';
import { formatDate } from '../../shared/dates';
import { QueryError } from '../../shared/errors';
import { PageControls, useCursorPages } from '../../shared/pagination';
import { Empty, Loading } from '../../shared/states';
import { useMoney } from '../../shared/useMoney';
import { DateRangeFilter, useDateRangeParams } from '../exports/DateRangeFilter';
import { DownloadCsvButton } from '../exports/DownloadCsvButton';
import { AccountDialog } from './components/AccountDialog';
import { AllocateForm } from './components/AllocateForm';
import { CreditNoteForm } from './components/CreditNoteForm';
import { PaymentForm } from './components/PaymentForm';
import { STATEMENT_KIND_LABELS } from './labels';
import { OUTSTANDING_PAGE_ASK } from './useOutstandingPages';

export const STATEMENT_PAGE_SIZE = 50;

/** /customers/:id/accounts — balance, statement (oldest first) and the account actions. */
export function AccountsPage() {
  const { id = '' } = useParams();
  const { member, business, locale } = useCurrent();
  const money = useMoney();
  const pages = useCursorPages();
  const { range, setRange } = useDateRangeParams(pages.reset);
  const [creditNoteOpened, creditNote] = useDisclosure(false);
  const [paymentOpened, payment] = useDisclosure(false);
  const [allocateOpened, allocate] = useDisclosure(false);
  const canWrite = can({ kind: 'member', role: member.role }, Permission.WRITE_MONEY);
  const { data, loading, error, refetch } = useQuery(CustomerAccountDocument, {
    variables: {
      customerId: id,
      first: STATEMENT_PAGE_SIZE,
      after: pages.after,
      from: range.from,
      to: range.to,
      // The allocate form's first page of credits (it loads the rest itself).
      creditsFirst: OUTSTANDING_PAGE_ASK,
    },
    // Refunds recorded on the refunds screen must show when coming back here.
    fetchPolicy: 'cache-and-network',
  });
  const account = data?.customerAccount;
  const customerPath = `/customers/${encodeURIComponent(id)}`;

  const crumbs = (
    <Breadcrumbs aria-label="Breadcrumb">
      <Anchor component={Link} to="/customers">
        Customers
      </Anchor>
      <Anchor component={Link} to={customerPath}>
        {account?.customer.name ?? 'Customer'}
      </Anchor>
      <Text span>Accounts</Text>
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
  if (loading && !data) return <Loading label="Loading the account" />;
  if (!account) {
    return (
      <Stack>
        {crumbs}
        <Empty title="Customer not found">It may have been removed, or the link is wrong.</Empty>
      </Stack>
    );
  }
  const outstanding = account.outstandingCredits;
  const balance = account.balance;
  const statement = account.statement;
  return (
    <Stack>
      {crumbs}
      <Title order={1} size="h2">
        {account.customer.name}: accounts
      </Title>
      <Paper withBorder p="md" component="section" aria-label="Balance" maw={360}>
        <Text size="sm" c="dimmed">
          Balance
        </Text>
        <Text fz="xl" fw={700} data-testid="account-balance">
          {money(balance)}
        </Text>
        <Text size="xs" c="dimmed">
          Positive: the customer owes you. Negative: you owe the customer.
        </Text>
      </Paper>
      {canWrite && (
        <Group role="group" aria-label="Account actions">
          <Button variant="default" onClick={creditNote.open}>
            Create credit note
          </Button>
          <Button variant="default" onClick={payment.open}>
            Record payment
          </Button>
          <Button variant="default" onClick={allocate.open} disabled={outstanding.length === 0}>
            Allocate credit
          </Button>
          <Button component={Link} to={`${customerPath}/accounts/refund`} color="coral">
            Refund O/S
          </Button>
        </Group>
      )}
      <Stack component="section" aria-labelledby="statement-title" gap="xs">
        <Group justify="space-between" align="flex-end">
          <Title order={2} size="h4" id="statement-title">
            Statement
          </Title>
          <Group align="flex-end" gap="xs">
            <DateRangeFilter range={range} onChange={setRange} />
            <DownloadCsvButton
              name="statement"
              filters={{ customerId: id, from: range.from, to: range.to }}
            />
          </Group>
        </Group>
        {statement.nodes.length === 0 ? (
          range.from || range.to ? (
            <Empty title="Nothing in these dates">
              Widen the dates to see more of the account.
            </Empty>
          ) : (
            <Empty title="Nothing on the account yet">
              Invoices, payments, credit notes and refunds show here.
            </Empty>
          )
        ) : (
          <>
            {/* Below sm, Kind, Description and the running balance give way (the balance is shown
                above) and the reference moves under the date, so Debit and Credit fit a phone. */}
            <Table.ScrollContainer minWidth={320}>
              <Table verticalSpacing="xs" highlightOnHover>
                <Table.Caption>Statement, oldest first</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Date</Table.Th>
                    <Table.Th scope="col" visibleFrom="sm">
                      Kind
                    </Table.Th>
                    <Table.Th scope="col" visibleFrom="sm">
                      Reference
                    </Table.Th>
                    <Table.Th scope="col" visibleFrom="sm">
                      Description
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      Debit
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      Credit
                    </Table.Th>
                    <Table.Th scope="col" ta="right" visibleFrom="sm">
                      Balance
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {statement.nodes.map((line) => (
                    <Table.Tr key={line.id}>
                      <Table.Td>
                        {formatDate(line.date, locale, business.timezone)}
                        <Text size="xs" hiddenFrom="sm">
                          {line.reference}
                        </Text>
                      </Table.Td>
                      <Table.Td visibleFrom="sm">{STATEMENT_KIND_LABELS[line.kind]}</Table.Td>
                      <Table.Td visibleFrom="sm">{line.reference}</Table.Td>
                      <Table.Td visibleFrom="sm">{line.description ?? ''}</Table.Td>
                      <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                        {line.debit ? money(line.debit) : ''}
                      </Table.Td>
                      <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                        {line.credit ? money(line.credit) : ''}
                      </Table.Td>
                      <Table.Td
                        ta="right"
                        style={{ fontVariantNumeric: 'tabular-nums' }}
                        visibleFrom="sm"
                      >
                        {money(line.balance)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <PageControls
              label="Statement"
              page={pages.page}
              hasNextPage={statement.pageInfo.hasNextPage}
              onNext={() => pages.next(statement.pageInfo.endCursor)}
              onPrevious={pages.previous}
            />
          </>
        )}
      </Stack>
      <AccountDialog
        title="Create credit note"
        opened={creditNoteOpened}
        onClose={creditNote.close}
      >
        <CreditNoteForm customerId={id} onDone={creditNote.close} />
      </AccountDialog>
      <AccountDialog title="Record payment" opened={paymentOpened} onClose={payment.close}>
        <PaymentForm customerId={id} onDone={payment.close} />
      </AccountDialog>
      <AccountDialog title="Allocate credit" opened={allocateOpened} onClose={allocate.close}>
        <AllocateForm customerId={id} firstPage={outstanding} onDone={allocate.close} />
      </AccountDialog>
    </Stack>
  );
}
