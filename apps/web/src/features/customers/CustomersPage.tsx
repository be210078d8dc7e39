import { useQuery } from '@apollo/client/react';
import { Anchor, Button, Group, Stack, Table, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { can, Permission } from '@refunds/domain';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from '../../app/router';
import { seesMoney } from '../../app/navigation';
import { CustomersDocument } from '../../gql/graphql';
import { useCurrent } from '../../shared/current';
import { QueryError } from '../../shared/errors';
import { PageControls, useCursorPages } from '../../shared/pagination';
import { Empty, Loading } from '../../shared/states';
import { useMoney } from '../../shared/useMoney';
import { formatCredits } from '../transactions/credits';
import { AddCustomerDialog } from './AddCustomerDialog';
import { InitialBar } from './InitialBar';

export const CUSTOMERS_PAGE_SIZE = 25;

export function CustomersPage() {
  const { member, locale } = useCurrent();
  const money = useMoney();
  // Balances are money: only roles that may see money ask for them (the API refuses the others).
  const withMoney = seesMoney(member.role);
  // Search and letter live in the address (?q=&letter=): a link or a reload shows the same list.
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(() => params.get('q') ?? '');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const initial = params.get('letter');
  const setParam = (name: 'q' | 'letter', value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      // Typing is not a step back in history.
      { replace: name === 'q' },
    );
  useEffect(() => {
    if ((params.get('q') ?? '') !== debounced) setParam('q', debounced || null);
    // Only the settled search text writes the address (not every render).
  }, [debounced]);
  const pages = useCursorPages();
  const [adding, addDialog] = useDisclosure(false);
  const canAdd = can({ kind: 'member', role: member.role }, Permission.WRITE_CUSTOMERS);
  const { data, loading, error, refetch } = useQuery(CustomersDocument, {
    variables: {
      search: debounced || null,
      initial,
      first: CUSTOMERS_PAGE_SIZE,
      after: pages.after,
      withMoney,
    },
  });

  const connection = data?.customers;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Customers
        </Title>
        {canAdd && <Button onClick={addDialog.open}>Add customer</Button>}
      </Group>
      <TextInput
        label="Search customers"
        placeholder="Name or email"
        type="search"
        value={search}
        onChange={(e) => {
          setSearch(e.currentTarget.value);
          pages.reset();
        }}
        maw={420}
      />
      <InitialBar
        value={initial}
        onChange={(letter) => {
          setParam('letter', letter);
          pages.reset();
        }}
      />
      {error ? (
        <QueryError error={error} onRetry={() => void refetch()} />
      ) : loading && !data ? (
        <Loading label="Loading customers" />
      ) : !connection || connection.nodes.length === 0 ? (
        <Empty title="No customers found">
          {debounced || initial ? 'Try another search or letter.' : 'Add your first customer.'}
        </Empty>
      ) : (
        <>
          {/* No sideways scrolling on a phone: the email column gives way below the sm
              breakpoint so the balances and the portal link stay on screen. */}
          <Table.ScrollContainer minWidth={320}>
            <Table verticalSpacing="sm" highlightOnHover>
              <Table.Caption>Customers</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Name</Table.Th>
                  {withMoney && (
                    <>
                      <Table.Th scope="col" visibleFrom="sm">
                        Email
                      </Table.Th>
                      <Table.Th scope="col" ta="right">
                        Credit balance
                      </Table.Th>
                      <Table.Th scope="col" ta="right">
                        Account balance
                      </Table.Th>
                    </>
                  )}
                  {withMoney && <Table.Th scope="col">Portal</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {connection.nodes.map((customer) => (
                  <Table.Tr key={customer.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/customers/${encodeURIComponent(customer.id)}`}>
                        {customer.name}
                      </Anchor>
                    </Table.Td>
                    {withMoney && (
                      <>
                        <Table.Td visibleFrom="sm">{customer.email ?? '—'}</Table.Td>
                        <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                          {customer.creditBalance !== undefined
                            ? formatCredits(customer.creditBalance, locale)
                            : '—'}
                        </Table.Td>
                        <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                          {customer.accountBalance ? money(customer.accountBalance) : '—'}
                        </Table.Td>
                      </>
                    )}
                    {withMoney && (
                      <Table.Td>
                        {customer.portalPath && (
                          <Anchor
                            href={customer.portalPath}
                            target="_blank"
                            rel="noreferrer"
                            // The name starts with the visible words, so voice control ("click Open
                            // portal") finds it (WCAG 2.5.3, axe label-content-name-mismatch).
                            aria-label={`Open portal of ${customer.name}`}
                          >
                            Open portal
                          </Anchor>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <PageControls
            label="Customers"
            page={pages.page}
            hasNextPage={connection.pageInfo.hasNextPage}
            onNext={() => pages.next(connection.pageInfo.endCursor)}
            onPrevious={pages.previous}
          />
        </>
      )}
      <AddCustomerDialog opened={adding} onClose={addDialog.close} />
    </Stack>
  );
}
