import { Badge, Group } from '@mantine/core';
import type { QuoteStatus } from '../../../gql/graphql';
import type { WireMoney } from '../../../shared/money';
import { hasSomething } from '../../accounts/amount';
import { STATUS_COLORS, STATUS_LABELS } from '../quoteActions';

/**
 * The status, and beside a paid invoice with refunds "Partly refunded": it stays PAID until the
 * refunds reach the total (then it is Refunded).
 */
export function StatusBadge({
  status,
  refundedAmount,
}: {
  status: QuoteStatus;
  refundedAmount?: WireMoney;
}) {
  const badge = (
    <Badge color={STATUS_COLORS[status]} variant={status === 'REFUNDED' ? 'filled' : 'light'}>
      {STATUS_LABELS[status]}
    </Badge>
  );
  if (status !== 'PAID' || !refundedAmount || !hasSomething(refundedAmount)) return badge;
  return (
    <Group gap={4} wrap="nowrap">
      {badge}
      <Badge color="coral" variant="outline">
        Partly refunded
      </Badge>
    </Group>
  );
}
