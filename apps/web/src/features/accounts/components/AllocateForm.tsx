import { skipToken, useMutation, useQuery } from '@apollo/client/react';
import { Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import {
  AllocateCreditDocument,
  InvoiceOwesDocument,
  type OutstandingCreditRowFragment,
} from '../../../gql/graphql';
import { useCurrent } from '../../../shared/current';
import { FormErrors } from '../../../shared/errors';
import { useMoney } from '../../../shared/useMoney';
import { allocationLimit, checkAmount } from '../amount';
import { useAccountForm } from '../useAccountForm';
import { CREDIT_KIND_LABELS } from '../labels';
import { useOutstandingPages } from '../useOutstandingPages';
import { InvoiceSelect } from './InvoiceSelect';
import { LoadMoreCredits } from './LoadMoreCredits';

const FIELDS = ['creditId', 'quoteId', 'amount'];

/**
 * Settles (part of) an invoice with a credit note or payment that has something outstanding.
 * `firstPage`: the account query's first page of credits (asked with OUTSTANDING_PAGE_ASK); the
 * form loads later pages itself, and a credit chosen stays chosen while more load.
 */
export function AllocateForm({
  customerId,
  firstPage,
  onDone,
}: {
  customerId: string;
  firstPage: readonly OutstandingCreditRowFragment[];
  onDone: () => void;
}) {
  const pages = useOutstandingPages(customerId, firstPage);
  const credits = pages.credits;
  const { business, locale } = useCurrent();
  const money = useMoney();
  const [creditId, setCreditId] = useState<string | null>(
    credits.length === 1 ? credits[0]!.id : null,
  );
  const [quoteId, setQuoteId] = useState<string | null>(null);
  const credit = credits.find((c) => c.id === creditId) ?? null;
  const owes = useQuery(
    InvoiceOwesDocument,
    quoteId ? { variables: { id: quoteId }, fetchPolicy: 'network-only' } : skipToken,
  ).data?.quote?.outstanding;
  const limit = credit ? allocationLimit(credit.outstanding, owes) : undefined;
  const [amount, setAmount] = useState(credit ? credit.outstanding.amount : '');
  // Whether the amount is the user's own since the last choice of credit or invoice: a pre-fill
  // that arrives later (the invoice's answer, a refetch of the credit pages) never overwrites it.
  const [amountTyped, setAmountTyped] = useState(false);
  const form = useAccountForm(FIELDS);
  const [allocateCredit, { loading }] = useMutation(AllocateCreditDocument, {
    refetchQueries: ['CustomerAccount'],
    awaitRefetchQueries: true,
  });

  const chooseCredit = (id: string | null) => {
    setCreditId(id);
    setAmountTyped(false);
    const chosen = credits.find((c) => c.id === id);
    if (chosen) setAmount(allocationLimit(chosen.outstanding, owes).amount);
  };
  const chooseInvoice = (id: string | null) => {
    setQuoteId(id);
    setAmountTyped(false);
  };

  // Pre-fill at most what the chosen invoice still owes, once the API says how much, so the form
  // never offers what the API refuses. Keyed on the amounts' values, not the objects: a refetch
  // hands out new objects with the same amounts, and that is no reason to touch the field.
  const prefill = credit && owes ? allocationLimit(credit.outstanding, owes).amount : null;
  useEffect(() => {
    if (prefill !== null && !amountTyped) setAmount(prefill);
  }, [prefill, amountTyped]);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (!credit) errors['creditId'] = 'Choose a credit note or payment.';
    if (!quoteId) errors['quoteId'] = 'Choose the invoice to settle.';
    const checked = checkAmount(amount, business.currency, limit, locale);
    if (!checked.ok) errors['amount'] = checked.message;
    form.setFieldErrors(errors);
    if (!credit || !quoteId || !checked.ok) return;
    const result = await form.run(async () => {
      const { data } = await allocateCredit({
        variables: {
          input: { creditId: credit.id, quoteId, amount: checked.wire, idempotencyKey: form.key },
        },
      });
      return {
        result: data?.allocateCredit.credit,
        userErrors: data?.allocateCredit.userErrors ?? [],
      };
    }, 'Nothing was allocated.');
    if (result) {
      notifications.show({
        message: `${money({ amount: checked.wire, currency: business.currency })} of ${result.number} allocated.`,
      });
      onDone();
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Select
          label="Credit"
          placeholder={credits.length ? 'Choose a credit note or payment' : 'Nothing outstanding'}
          data={credits.map((c) => ({
            value: c.id,
            label: `${CREDIT_KIND_LABELS[c.kind]} ${c.number} · O/S ${money(c.outstanding)}`,
          }))}
          value={creditId}
          onChange={chooseCredit}
          error={form.fieldErrors['creditId']}
          required
        />
        <LoadMoreCredits pages={pages} shown={credits.length} />
        <InvoiceSelect
          customerId={customerId}
          label="Invoice"
          value={quoteId}
          onChange={chooseInvoice}
          error={form.fieldErrors['quoteId']}
          required
        />
        <TextInput
          label={`Amount (${business.currency})`}
          description={limit ? `At most ${money(limit)}.` : undefined}
          inputMode="decimal"
          value={amount}
          onChange={(e) => {
            setAmount(e.currentTarget.value);
            setAmountTyped(true);
          }}
          error={form.fieldErrors['amount']}
          required
        />
        <FormErrors messages={form.general} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={loading}>
            Cancel
          </Button>
          <Button type="submit" loading={loading}>
            Allocate
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
