import { useQuery } from '@apollo/client/react';
import { Alert, Badge, Card, Center, Container, Group, Stack, Text, Title } from '@mantine/core';
import { useParams } from '../../app/router';
import { localeForCountry } from '@refunds/domain';
import { PortalDocument, type PortalQuery, type QuoteStatus } from '../../gql/graphql';
import { QueryError } from '../../shared/errors';
import { formatWireMoney } from '../../shared/money';
import { Empty, Loading } from '../../shared/states';

const STATUS: Record<QuoteStatus, { label: string; color: string }> = {
  DRAFT: { label: 'Draft', color: 'gray' },
  SENT: { label: 'Quote', color: 'blue' },
  ACCEPTED: { label: 'Invoice, to pay', color: 'violet' },
  PAID: { label: 'Paid', color: 'green' },
  REFUNDED: { label: 'Refunded', color: 'coral' },
  VOID: { label: 'Void', color: 'dark' },
};

type PortalQuote = NonNullable<PortalQuery['portal']>['quotes'][number];

/** /c/:token — the customer's read-only page. No log-in; the token is the key. */
export function PortalPage() {
  const { token = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(PortalDocument, { variables: { token } });

  if (loading && !data) return <Loading label="Loading your page" />;
  if (error) {
    return (
      <Container size="sm" py="xl">
        <QueryError error={error} onRetry={() => void refetch()} />
      </Container>
    );
  }
  const portal = data?.portal;
  if (!portal) {
    return (
      <Center mih="60vh" p="md" component="main">
        <Stack align="center" gap="xs" maw={420}>
          <Title order={1}>Page not found</Title>
          <Text c="dimmed" ta="center">
            This link does not lead to a customer page. It may be mistyped or no longer valid; ask
            the business that sent it for a new one.
          </Text>
        </Stack>
      </Center>
    );
  }
  // Money reads as the business writes it everywhere ("GH₵345.50"), not per visiting browser.
  const locale = localeForCountry(portal.businessCountry);

  return (
    <Container size="sm" py="xl" component="main">
      <Stack>
        <Stack gap={2}>
          <Text c="dimmed">{portal.businessName}</Text>
          <Title order={1}>Hello, {portal.customerName}</Title>
        </Stack>
        <Title order={2} size="h4">
          Your quotes and invoices
        </Title>
        {portal.quotes.length === 0 ? (
          <Empty title="Nothing here yet">Quotes and invoices will appear here.</Empty>
        ) : (
          <Stack component="ul" gap="sm" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {portal.quotes.map((quote) => (
              <li key={quote.number}>
                <PortalQuoteCard quote={quote} businessName={portal.businessName} locale={locale} />
              </li>
            ))}
          </Stack>
        )}
      </Stack>
    </Container>
  );
}

function PortalQuoteCard({
  quote,
  businessName,
  locale,
}: {
  quote: PortalQuote;
  businessName: string;
  locale: string;
}) {
  const status = STATUS[quote.status];
  return (
    <Card withBorder component="article" aria-label={quote.number}>
      <Group justify="space-between">
        <Stack gap={2}>
          <Text fw={700}>{quote.number}</Text>
          <Badge color={status.color} variant="light">
            {status.label}
          </Badge>
        </Stack>
        <Text size="lg" fw={700}>
          {formatWireMoney(quote.total, locale)}
        </Text>
      </Group>
      {quote.lineItems.length > 0 && (
        <Stack component="ul" gap={0} mt="xs" style={{ margin: 0, paddingLeft: '1rem' }}>
          {quote.lineItems.map((line, i) => (
            <Text component="li" size="sm" key={i}>
              {line.description} × {line.quantity}: {formatWireMoney(line.total, locale)}
            </Text>
          ))}
        </Stack>
      )}
      {quote.refundBanner && (
        <Alert
          mt="sm"
          color="coral"
          variant="filled"
          role="alert"
          title={
            <Title order={3} size="h5">
              {/* The domain's line without a reason already says who refunded ("Refunded by
                  Kofi Cleaning. The funds...", "Kofi Cleaning refunded GH₵400.00 of..."): the
                  heading names the business only above an owner's own words, never twice. */}
              {quote.status !== 'REFUNDED'
                ? 'Partly refunded'
                : quote.refundBanner.reason
                  ? `Refunded by ${businessName}`
                  : 'Refunded'}
            </Title>
          }
        >
          {quote.status === 'REFUNDED'
            ? (quote.refundBanner.reason ?? quote.refundBanner.message)
            : quote.refundBanner.message}
        </Alert>
      )}
    </Card>
  );
}
