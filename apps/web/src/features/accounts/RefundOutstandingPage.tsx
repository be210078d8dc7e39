import { useMutation, useQuery } from '@apollo/client/react';
import {
  Anchor,
  Breadcrumbs,
  Button,
  Group,
  Modal,
  Radio,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Checkbox,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { MAX_ACCOUNT_TEXT_LENGTH } from '@refunds/domain';
import { useRef, useState } from 'react';
import { Link, useNavigate, useParams } from '../../app/router';
import {
  BankAccountsDocument,
  type OutstandingCreditRowFragment,
  OutstandingCreditsDocument,
  RefundCreditNoteDocument,
  type RefundReason,
} from '../../gql/graphql';
import { RefundReasonSelect } from '../../shared/RefundReasonSelect';
import { useCurrent } from '../../shared/current';
import { formatDate } from '../../shared/dates';
import { FormErrors, QueryError, requestErrorMessage, splitUserErrors } from '../../shared/errors';
import { Empty, Loading } from '../../shared/states';
import { useIdempotencyKey } from '../../shared/useIdempotencyKey';
import { useMoney } from '../../shared/useMoney';
import { checkAmount, hasSomething } from './amount';
import { AccountDialog } from './components/AccountDialog';
import { BankAccountForm } from './components/BankAccountForm';
import { LoadMoreCredits } from './components/LoadMoreCredits';
import { CREDIT_KIND_LABELS } from './labels';
import {
  OUTSTANDING_PAGE_ASK,
  type OutstandingPages,
  useOutstandingPages,
} from './useOutstandingPages';

const FIELDS = ['creditId', 'bankAccountId', 'amount', 'reference'];

/**
 * /customers/:id/accounts/refund — pays out what is outstanding on a credit note or payment. The
 * idempotency key is made when the screen opens, so a repeated Yes records one refund.
 */
export function RefundOutstandingPage() {
  const { id = '' } = useParams();
  const credits = useQuery(OutstandingCreditsDocument, {
    variables: { customerId: id, first: OUTSTANDING_PAGE_ASK },
    fetchPolicy: 'network-only',
  });
  const accountPath = `/customers/${encodeURIComponent(id)}/accounts`;
  const account = credits.data?.customerAccount;
  const pages = useOutstandingPages(id, account?.outstandingCredits);

  const crumbs = (
    <Breadcrumbs aria-label="Breadcrumb">
      <Anchor component={Link} to="/customers">
        Customers
      </Anchor>
      <Anchor component={Link} to={`/customers/${encodeURIComponent(id)}`}>
        {account?.customer.name ?? 'Customer'}
      </Anchor>
      <Anchor component={Link} to={accountPath}>
        Accounts
      </Anchor>
      <Text span>Refund O/S</Text>
    </Breadcrumbs>
  );
  let body: React.ReactNode;
  if (credits.error) {
    body = <QueryError error={credits.error} onRetry={() => void credits.refetch()} />;
  } else if (credits.loading && !credits.data) {
    body = <Loading label="Loading what is outstanding" />;
  } else if (!account) {
    body = (
      <Empty title="Customer not found">It may have been removed, or the link is wrong.</Empty>
    );
  } else {
    const open = pages.credits.filter((c) => hasSomething(c.outstanding));
    body =
      open.length === 0 ? (
        <Empty title="Nothing outstanding">
          No credit note or payment has anything left to refund.{' '}
          <Anchor component={Link} to={accountPath}>
            Back to accounts
          </Anchor>
        </Empty>
      ) : (
        <RefundForm credits={open} pages={pages} accountPath={accountPath} />
      );
  }
  return (
    <Stack>
      {crumbs}
      <Title order={1} size="h2">
        Refund O/S{account ? `: ${account.customer.name}` : ''}
      </Title>
      {body}
    </Stack>
  );
}

/** `credits`: the pages loaded so far; choosing one, then loading more, keeps the choice. */
function RefundForm({
  credits,
  pages,
  accountPath,
}: {
  credits: readonly OutstandingCreditRowFragment[];
  pages: OutstandingPages;
  accountPath: string;
}) {
  const { business, locale } = useCurrent();
  const money = useMoney();
  const navigate = useNavigate();
  const [key, renewKey] = useIdempotencyKey();
  const first = credits.length === 1 ? credits[0] : undefined;
  const [creditId, setCreditId] = useState<string | null>(first?.id ?? null);
  const [amount, setAmount] = useState(first?.outstanding.amount ?? '');
  const [bankAccountId, setBankAccountId] = useState<string | null>(null);
  const [reference, setReference] = useState('');
  const [reasonCategory, setReasonCategory] = useState<RefundReason | null>(null);
  const [tellCustomer, setTellCustomer] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [confirming, confirm] = useDisclosure(false);
  const [addingBank, addBank] = useDisclosure(false);
  const inFlight = useRef(false);
  const banks = useQuery(BankAccountsDocument);
  const [refundCreditNote, { loading }] = useMutation(RefundCreditNoteDocument, {
    refetchQueries: ['OutstandingCredits'],
  });
  const credit = credits.find((c) => c.id === creditId) ?? null;
  const bankAccounts = banks.data?.bankAccounts ?? [];
  const bankAccount = bankAccounts.find((b) => b.id === bankAccountId) ?? null;

  /** Picked from the list or just added: either way the "Choose the bank account" error is answered. */
  const chooseBankAccount = (id: string | null) => {
    setBankAccountId(id);
    if (id) setFieldErrors(({ bankAccountId: _answered, ...rest }) => rest);
  };

  const choose = (next: OutstandingCreditRowFragment) => {
    setCreditId(next.id);
    setAmount(next.outstanding.amount);
    setFieldErrors({});
  };

  const check = () => {
    const errors: Record<string, string> = {};
    if (!credit) errors['creditId'] = 'Choose the credit note or payment to refund.';
    if (!bankAccountId) errors['bankAccountId'] = 'Choose the bank account the money leaves from.';
    const checked = checkAmount(amount, business.currency, credit?.outstanding, locale);
    if (!checked.ok) errors['amount'] = checked.message;
    setFieldErrors(errors);
    setGeneral([]);
    return Object.keys(errors).length === 0 && checked.ok ? checked.wire : null;
  };

  const askToConfirm = (event: React.FormEvent) => {
    event.preventDefault();
    if (check()) confirm.open();
  };

  const record = async () => {
    if (inFlight.current) return;
    const wire = check();
    if (!wire || !credit || !bankAccountId) {
      confirm.close();
      return;
    }
    inFlight.current = true;
    try {
      const { data } = await refundCreditNote({
        variables: {
          input: {
            creditId: credit.id,
            bankAccountId,
            amount: wire,
            reference: reference.trim() || null,
            reasonCategory,
            idempotencyKey: key,
            notifyCustomer: tellCustomer,
          },
        },
      });
      const payload = data?.refundCreditNote;
      if (!payload?.refund) {
        const split = splitUserErrors(payload?.userErrors ?? [], FIELDS);
        setFieldErrors(split.byField);
        setGeneral(
          split.general.length || Object.keys(split.byField).length
            ? split.general
            : ['No refund was recorded.'],
        );
        renewKey();
        confirm.close();
        return;
      }
      notifications.show({
        color: 'coral',
        message: `Refund ${payload.refund.number} of ${money(payload.refund.amount)} recorded.`,
      });
      navigate(accountPath);
    } catch (error) {
      // Unknown outcome: the same key on retry cannot record a second refund.
      setGeneral([requestErrorMessage(error)]);
      confirm.close();
    } finally {
      inFlight.current = false;
    }
  };

  return (
    <>
      <form onSubmit={askToConfirm} noValidate>
        <Stack maw={900}>
          {/* Below sm, Type and Date give way so the choice, Amount and O/S fit a phone. */}
          <Table.ScrollContainer minWidth={300}>
            <Table verticalSpacing="xs" highlightOnHover>
              <Table.Caption>Outstanding credit notes and payments</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Select</Table.Th>
                  <Table.Th scope="col">Number</Table.Th>
                  <Table.Th scope="col" visibleFrom="sm">
                    Type
                  </Table.Th>
                  <Table.Th scope="col" visibleFrom="sm">
                    Date
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Amount
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    O/S
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {credits.map((c) => (
                  <Table.Tr key={c.id} onClick={() => choose(c)} style={{ cursor: 'pointer' }}>
                    <Table.Td>
                      <Radio
                        name="credit"
                        value={c.id}
                        checked={c.id === creditId}
                        onChange={() => choose(c)}
                        aria-label={`Refund ${c.number}`}
                      />
                    </Table.Td>
                    <Table.Td>{c.number}</Table.Td>
                    <Table.Td visibleFrom="sm">{CREDIT_KIND_LABELS[c.kind]}</Table.Td>
                    <Table.Td visibleFrom="sm">
                      {formatDate(c.date, locale, business.timezone)}
                    </Table.Td>
                    <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                      {money(c.amount)}
                    </Table.Td>
                    <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                      {money(c.outstanding)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <LoadMoreCredits pages={pages} shown={credits.length} />
          {fieldErrors['creditId'] && (
            <Text c="red" size="sm" role="alert">
              {fieldErrors['creditId']}
            </Text>
          )}
          <Group align="flex-end" maw={560}>
            <Select
              label="Bank account"
              placeholder={
                banks.loading ? 'Loading…' : bankAccounts.length ? 'Choose' : 'No bank accounts yet'
              }
              data={bankAccounts.map((b) => ({ value: b.id, label: `${b.name} (${b.currency})` }))}
              value={bankAccountId}
              onChange={chooseBankAccount}
              error={fieldErrors['bankAccountId']}
              required
              flex={1}
            />
            {!banks.loading && bankAccounts.length === 0 && (
              <Button variant="light" onClick={addBank.open}>
                Add bank account
              </Button>
            )}
          </Group>
          <TextInput
            label={`Amount (${business.currency})`}
            description={
              credit ? `At most ${money(credit.outstanding)}.` : 'Choose a credit first.'
            }
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.currentTarget.value)}
            error={fieldErrors['amount']}
            required
            maw={280}
          />
          <TextInput
            label="Reference"
            description="Optional, e.g. the bank transfer reference."
            maxLength={MAX_ACCOUNT_TEXT_LENGTH + 1}
            value={reference}
            onChange={(e) => setReference(e.currentTarget.value)}
            error={fieldErrors['reference']}
            maw={560}
          />
          <div style={{ maxWidth: 280 }}>
            <RefundReasonSelect value={reasonCategory} onChange={setReasonCategory} />
          </div>
          <Checkbox
            label="Tell the customer by e-mail"
            description="Sends them the amount refunded and the reference."
            checked={tellCustomer}
            onChange={(e) => setTellCustomer(e.currentTarget.checked)}
          />
          <FormErrors messages={general} />
          <Group>
            <Button variant="default" component={Link} to={accountPath}>
              Cancel
            </Button>
            <Button type="submit" color="coral">
              Refund Credit Note
            </Button>
          </Group>
        </Stack>
      </form>
      <Modal
        opened={confirming}
        onClose={confirm.close}
        title={<Text fw={700}>Create this refund?</Text>}
      >
        <Stack>
          <Text>
            Refund <strong>{money({ amount: amount.trim(), currency: business.currency })}</strong>{' '}
            of {credit ? `${CREDIT_KIND_LABELS[credit.kind].toLowerCase()} ${credit.number}` : ''}{' '}
            from {bankAccount?.name ?? 'the bank account'}.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={confirm.close} disabled={loading} data-autofocus>
              No
            </Button>
            <Button color="coral" onClick={() => void record()} loading={loading}>
              Yes
            </Button>
          </Group>
        </Stack>
      </Modal>
      <AccountDialog title="Add bank account" opened={addingBank} onClose={addBank.close}>
        <BankAccountForm
          onCreated={(newId) => {
            chooseBankAccount(newId);
            addBank.close();
          }}
          onCancel={addBank.close}
        />
      </AccountDialog>
    </>
  );
}
