import { useMutation, useQuery } from '@apollo/client/react';
import {
  ActionIcon,
  Button,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { type CurrencyCode, formatMoney, parseCurrency } from '@refunds/domain';
import { useMemo, useRef, useState } from 'react';
import { CreateQuoteDocument, CustomersDocument } from '../../../gql/graphql';
import { useCurrent } from '../../../shared/current';
import { FormErrors, requestErrorMessage, splitUserErrors } from '../../../shared/errors';
import { priceLine, type QuoteRefusal, quoteTotal, toLineItemInputs } from '../lineTotals';
import { QUOTE_LIST_QUERIES } from '../quoteActions';

interface Props {
  opened: boolean;
  onClose: () => void;
  onCreated: (quoteId: string) => void;
}

export function QuoteBuilder({ opened, onClose, onCreated }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} size="xl" title={<Text fw={700}>New quote</Text>}>
      {opened && <BuilderForm onCancel={onClose} onCreated={onCreated} />}
    </Modal>
  );
}

interface Line {
  readonly key: number;
  description: string;
  quantity: string;
  unitPrice: string;
}

function CustomerSelect({
  value,
  onChange,
  error,
}: {
  value: { id: string; name: string } | null;
  onChange: (customer: { id: string; name: string } | null) => void;
  error?: string;
}) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const searching = debounced && debounced !== value?.name ? debounced : null;
  const { data, loading } = useQuery(CustomersDocument, {
    variables: { search: searching, first: 20 },
  });
  const nodes = data?.customers.nodes ?? [];
  const options = nodes.map((c) => ({ value: c.id, label: c.name }));
  if (value && !options.some((o) => o.value === value.id)) {
    options.unshift({ value: value.id, label: value.name });
  }
  return (
    <Select
      label="Customer"
      placeholder="Search customers"
      searchable
      required
      data={options}
      value={value?.id ?? null}
      searchValue={search}
      onSearchChange={setSearch}
      onChange={(id, option) => onChange(id && option ? { id, name: option.label } : null)}
      nothingFoundMessage={loading ? 'Searching…' : 'No customer found. Add one on Customers.'}
      filter={({ options: all }) => all}
      error={error}
    />
  );
}

let nextKey = 1;
const emptyLine = (): Line => ({ key: nextKey++, description: '', quantity: '1', unitPrice: '' });

function BuilderForm({
  onCancel,
  onCreated,
}: {
  onCancel: () => void;
  onCreated: (quoteId: string) => void;
}) {
  const { business, locale } = useCurrent();
  const currency = useMemo<CurrencyCode | null>(() => {
    const parsed = parseCurrency(business.currency);
    return parsed.ok ? parsed.value : null;
  }, [business.currency]);
  const [customer, setCustomer] = useState<{ id: string; name: string } | null>(null);
  const [title, setTitle] = useState('');
  const [lines, setLines] = useState<Line[]>(() => [emptyLine()]);
  const [showErrors, setShowErrors] = useState(false);
  const [refusal, setRefusal] = useState<QuoteRefusal | null>(null);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const inFlight = useRef(false);
  const [createQuote, { loading }] = useMutation(CreateQuoteDocument, {
    refetchQueries: QUOTE_LIST_QUERIES,
  });

  if (!currency) return <FormErrors messages={[`Unknown currency ${business.currency}.`]} />;

  const priced = lines.map((line) => priceLine(line, currency));
  const total = quoteTotal(priced, currency);
  const update = (key: number, change: Partial<Line>) =>
    setLines((all) => all.map((line) => (line.key === key ? { ...line, ...change } : line)));

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (inFlight.current) return;
    setShowErrors(true);
    setGeneral([]);
    setServerErrors({});
    const checked = toLineItemInputs(lines, currency);
    setRefusal(checked.ok ? null : checked.refusal);
    if (!customer || !checked.ok) return;
    inFlight.current = true;
    try {
      const { data } = await createQuote({
        variables: {
          input: {
            customerId: customer.id,
            title: title.trim() || null,
            lineItems: checked.lineItems,
          },
        },
      });
      const payload = data?.createQuote;
      if (!payload?.quote) {
        const { byField, general: rest } = splitUserErrors(payload?.userErrors ?? [], [
          'customerId',
          'title',
        ]);
        setServerErrors(byField);
        setGeneral(rest.length || Object.keys(byField).length ? rest : ['No quote was created.']);
        return;
      }
      notifications.show({ color: 'green', message: `Quote ${payload.quote.number} created.` });
      onCreated(payload.quote.id);
    } catch (error) {
      setGeneral([requestErrorMessage(error)]);
    } finally {
      inFlight.current = false;
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <CustomerSelect
          value={customer}
          onChange={setCustomer}
          error={
            (showErrors && !customer ? 'Choose a customer.' : undefined) ??
            serverErrors['customerId']
          }
        />
        <TextInput
          label="Title"
          description="Optional, e.g. Kitchen repaint."
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          error={serverErrors['title']}
        />
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs" aria-label="Line items">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Description</Table.Th>
                <Table.Th scope="col" w={110}>
                  Quantity
                </Table.Th>
                <Table.Th scope="col" w={150}>
                  Unit price ({currency})
                </Table.Th>
                <Table.Th scope="col" ta="right" w={140}>
                  Line total
                </Table.Th>
                <Table.Th scope="col" w={40}>
                  <VisuallyHidden>Remove</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lines.map((line, index) => {
                const result = priced[index];
                const n = index + 1;
                const errors = {
                  ...(result && !result.ok && showErrors ? result.errors : {}),
                  ...(refusal?.line === index && refusal.field
                    ? { [refusal.field]: refusal.message }
                    : {}),
                };
                return (
                  <Table.Tr key={line.key}>
                    <Table.Td>
                      <TextInput
                        aria-label={`Description, line ${n}`}
                        value={line.description}
                        onChange={(e) => update(line.key, { description: e.currentTarget.value })}
                        error={errors.description}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        aria-label={`Quantity, line ${n}`}
                        inputMode="decimal"
                        value={line.quantity}
                        onChange={(e) => update(line.key, { quantity: e.currentTarget.value })}
                        error={errors.quantity}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        aria-label={`Unit price, line ${n}`}
                        inputMode="decimal"
                        placeholder="0.00"
                        value={line.unitPrice}
                        onChange={(e) => update(line.key, { unitPrice: e.currentTarget.value })}
                        error={errors.unitPrice}
                      />
                    </Table.Td>
                    <Table.Td ta="right" aria-label={`Line ${n} total`}>
                      {result?.ok ? formatMoney(result.total, locale) : '—'}
                    </Table.Td>
                    <Table.Td>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        aria-label={`Remove line ${n}`}
                        disabled={lines.length === 1}
                        onClick={() => setLines((all) => all.filter((l) => l.key !== line.key))}
                      >
                        ×
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Group justify="space-between">
          <Button variant="light" onClick={() => setLines((all) => [...all, emptyLine()])}>
            Add line item
          </Button>
          <Text fw={700} aria-live="polite" data-testid="builder-total">
            Total: {total ? formatMoney(total, locale) : '—'}
          </Text>
        </Group>
        <FormErrors
          messages={refusal && refusal.line === null ? [refusal.message, ...general] : general}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={loading}>
            Cancel
          </Button>
          <Button type="submit" loading={loading}>
            Create quote
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
