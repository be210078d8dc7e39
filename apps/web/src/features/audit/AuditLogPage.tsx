import { useQuery } from '@apollo/client/react';
import { Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from '../../app/router';
import { type AuditEntryRowFragment, AuditLogDocument } from '../../gql/graphql';
import { useCurrent } from '../../shared/current';
import { formatDateTime } from '../../shared/dates';
import { QueryError } from '../../shared/errors';
import { PageControls, useCursorPages } from '../../shared/pagination';
import { Empty, Loading } from '../../shared/states';
import {
  ACTOR_KIND_LABELS,
  AUDIT_ACTION_LABELS,
  auditActionLabel,
  auditFieldLabel,
  formatAuditValue,
} from './audit';

export const AUDIT_PAGE_SIZE = 25;

const ACTION_OPTIONS = Object.keys(AUDIT_ACTION_LABELS).map((value) => ({
  value,
  label: AUDIT_ACTION_LABELS[value]!,
}));

/**
 * Who did what to the money and the access, newest first (OWNER and ADMIN). Filters live in the
 * address (?action=&subject=), so a filtered view can be shared.
 */
export function AuditLogPage() {
  const [params, setParams] = useSearchParams();
  const action = params.get('action');
  const subjectId = params.get('subject');
  const pages = useCursorPages();

  const setFilter = (name: 'action' | 'subject', value: string | null) => {
    pages.reset();
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value) next.set(name, value);
      else next.delete(name);
      return next;
    });
  };

  return (
    <Stack>
      <Title order={1} size="h2">
        Audit log
      </Title>
      <Text c="dimmed" size="sm">
        Every money movement and access change, written in the same transaction as the change.
        Entries are never edited or removed.
      </Text>
      <Group align="flex-end" role="search" aria-label="Filter the audit log">
        <Select
          label="Action"
          placeholder="All actions"
          searchable
          clearable
          data={
            action && !AUDIT_ACTION_LABELS[action]
              ? [...ACTION_OPTIONS, { value: action, label: auditActionLabel(action) }]
              : ACTION_OPTIONS
          }
          value={action}
          onChange={(value) => setFilter('action', value)}
          nothingFoundMessage="No action of that name"
          w={260}
        />
        <SubjectFilter
          key={subjectId ?? ''}
          value={subjectId}
          onChange={(value) => setFilter('subject', value)}
        />
      </Group>
      <AuditList action={action} subjectId={subjectId} pages={pages} />
    </Stack>
  );
}

/** The id of what was acted on (a quote, an entry, a credit note), applied on Enter or Filter. */
function SubjectFilter({
  value,
  onChange,
}: {
  value: string | null;
  onChange: (value: string | null) => void;
}) {
  const [typed, setTyped] = useState(value ?? '');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onChange(typed.trim() || null);
      }}
    >
      <Group align="flex-end" gap="xs">
        <TextInput
          label="Subject id"
          placeholder="Any subject"
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          maxLength={200}
          w={320}
        />
        <Button type="submit" variant="default">
          Filter
        </Button>
        {value && (
          <Button variant="subtle" onClick={() => onChange(null)}>
            Clear
          </Button>
        )}
      </Group>
    </form>
  );
}

function AuditList({
  action,
  subjectId,
  pages,
}: {
  action: string | null;
  subjectId: string | null;
  pages: ReturnType<typeof useCursorPages>;
}) {
  const { data, loading, error, refetch } = useQuery(AuditLogDocument, {
    variables: { action, subjectId, first: AUDIT_PAGE_SIZE, after: pages.after },
    fetchPolicy: 'cache-and-network',
  });
  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (loading && !data) return <Loading label="Loading the audit log" />;
  const connection = data?.auditLog;
  if (!connection || connection.nodes.length === 0) {
    return (
      <Empty title="No audit entries">
        {action || subjectId
          ? 'Nothing matches these filters.'
          : 'Refunds, payments, corrections and access changes show here as they happen.'}
      </Empty>
    );
  }
  return (
    <>
      <Table.ScrollContainer minWidth={900}>
        <Table verticalSpacing="sm">
          <Table.Caption>Audit log, newest first</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">When</Table.Th>
              <Table.Th scope="col">Who</Table.Th>
              <Table.Th scope="col">Action</Table.Th>
              <Table.Th scope="col">Subject</Table.Th>
              <Table.Th scope="col">Changes</Table.Th>
              <Table.Th scope="col">Reason</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {connection.nodes.map((entry) => (
              <AuditRow key={entry.id} entry={entry} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <PageControls
        label="Audit log"
        page={pages.page}
        hasNextPage={connection.pageInfo.hasNextPage}
        onNext={() => pages.next(connection.pageInfo.endCursor)}
        onPrevious={pages.previous}
      />
    </>
  );
}

function AuditRow({ entry }: { entry: AuditEntryRowFragment }) {
  const { business, locale } = useCurrent();
  const context = { subjectType: entry.subjectType, currency: business.currency, locale };
  return (
    <Table.Tr>
      <Table.Td>{formatDateTime(entry.at, locale, business.timezone)}</Table.Td>
      <Table.Td>
        <Stack gap={2}>
          <Text size="sm">{entry.actorName ?? ACTOR_KIND_LABELS[entry.actorKind]}</Text>
          {entry.actorKind !== 'MEMBER' && (
            <Badge variant="light" color="gray" size="sm">
              {ACTOR_KIND_LABELS[entry.actorKind]}
            </Badge>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>{auditActionLabel(entry.action)}</Table.Td>
      <Table.Td>
        <Text size="sm">{entry.subjectType}</Text>
        {entry.subjectId && (
          <Text size="xs" c="dimmed" ff="monospace">
            {entry.subjectId}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {entry.changes.length === 0 ? (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ) : (
          <Stack gap={2} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {entry.changes.map((change) => (
              <Text size="sm" component="li" key={change.field}>
                {auditFieldLabel(change.field)}:{' '}
                {change.before !== null && (
                  <>{formatAuditValue(change, change.before, context)} → </>
                )}
                {formatAuditValue(change, change.after, context)}
              </Text>
            ))}
          </Stack>
        )}
      </Table.Td>
      <Table.Td>{entry.reason ?? ''}</Table.Td>
    </Table.Tr>
  );
}
