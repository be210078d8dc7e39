import { useQuery } from '@apollo/client/react';
import { Select } from '@mantine/core';
import { AccountInvoicesDocument } from '../../../gql/graphql';
import { useMoney } from '../../../shared/useMoney';

/** The customer's invoices that can still take money (accepted, not yet paid). */
export function InvoiceSelect({
  customerId,
  value,
  onChange,
  label,
  required = false,
  error,
}: {
  customerId: string;
  value: string | null;
  onChange: (value: string | null) => void;
  label: string;
  required?: boolean;
  error?: string | undefined;
}) {
  const money = useMoney();
  const { data, loading } = useQuery(AccountInvoicesDocument, { fetchPolicy: 'network-only' });
  const invoices = (data?.quotes.nodes ?? []).filter((quote) => quote.customer.id === customerId);
  return (
    <Select
      label={label}
      placeholder={
        loading ? 'Loading invoices…' : invoices.length ? 'Choose an invoice' : 'No open invoices'
      }
      data={invoices.map((quote) => ({
        value: quote.id,
        label: `${quote.number}${quote.title ? ` · ${quote.title}` : ''} · ${money(quote.total)}`,
      }))}
      value={value}
      onChange={onChange}
      clearable={!required}
      required={required}
      error={error}
      nothingFoundMessage="No open invoices"
    />
  );
}
