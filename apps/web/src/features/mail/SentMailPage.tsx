import { useQuery } from '@apollo/client/react';
import { Alert, Badge, Spoiler, Stack, Table, Text, Title } from '@mantine/core';
import { type MailMessageFieldsFragment, SentMailDocument } from '../../gql/graphql';
import { useCurrent } from '../../shared/current';
import { formatDateTime } from '../../shared/dates';
import { QueryError } from '../../shared/errors';
import { PageControls, useCursorPages } from '../../shared/pagination';
import { useRefreshWhile } from '../../shared/refreshWhile';
import { Empty, Loading } from '../../shared/states';

type Mail = MailMessageFieldsFragment;

const PAGE = 25;

/** What each status means to the person reading the list. */
export const MAIL_STATUS: Record<string, { label: string; color: string }> = {
  SENT: { label: 'Sent', color: 'teal' },
  QUEUED: { label: 'Queued', color: 'yellow' },
  FAILED: { label: 'Failed', color: 'red' },
  KEPT: { label: 'Not sent (no SMTP)', color: 'gray' },
  CANCELLED: { label: 'Cancelled', color: 'gray' },
};

/**
 * Sent mail: every e-mail the business sent, or kept when no SMTP server is configured — then
 * it says so, and nothing on this screen claims it went out.
 */
export function SentMailPage() {
  const { business, locale } = useCurrent();
  const pages = useCursorPages();
  const query = useQuery(SentMailDocument, {
    variables: { first: PAGE, after: pages.after },
    fetchPolicy: 'cache-and-network',
  });
  const { data, loading, error, refetch } = query;
  // A queued message is the worker's next job: show whether it went out without a reload.
  useRefreshWhile(data?.sentMail.nodes.some((m) => m.status === 'QUEUED') ?? false, query);
  const when = (iso: string) => formatDateTime(iso, locale, business.timezone);
  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (loading && !data) return <Loading label="Loading sent mail" />;
  const mail = data?.sentMail.nodes ?? [];
  const kept = mail.some((m) => m.status === 'KEPT');
  return (
    <Stack>
      <Title order={1} size="h2">
        Sent mail
      </Title>
      {kept && (
        <Alert color="gray" title="Some mail was not sent">
          No SMTP server is configured (SMTP_URL), so e-mails are kept here instead of being sent.
        </Alert>
      )}
      {mail.length === 0 ? (
        <Empty title="No e-mail yet">
          Follow-up nudges and refund notices to customers show up here.
        </Empty>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="sm">
            <Table.Caption>E-mail, newest first</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">To</Table.Th>
                <Table.Th scope="col">Subject and message</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Written</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {mail.map((message) => (
                <MailRow key={message.id} message={message} when={when} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <PageControls
        label="Sent mail"
        page={pages.page}
        hasNextPage={data?.sentMail.pageInfo.hasNextPage ?? false}
        onPrevious={pages.previous}
        onNext={() => pages.next(data?.sentMail.pageInfo.endCursor ?? null)}
      />
    </Stack>
  );
}

function MailRow({ message, when }: { message: Mail; when: (iso: string) => string }) {
  const status = MAIL_STATUS[message.status] ?? { label: message.status, color: 'gray' };
  return (
    <Table.Tr>
      <Table.Td>{message.to}</Table.Td>
      <Table.Td>
        <Text fw={600} size="sm">
          {message.subject}
        </Text>
        <Spoiler maxHeight={40} showLabel="Show message" hideLabel="Hide message">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {message.text}
          </Text>
        </Spoiler>
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={status.color}>
          {status.label}
        </Badge>
        {message.note && message.status !== 'SENT' && (
          <Text size="xs" c="dimmed">
            {message.note}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {when(message.createdAt)}
        {message.sentAt && (
          <Text size="xs" c="dimmed">
            Sent {when(message.sentAt)}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
