import { Badge } from '@mantine/core';
import type { QuoteStatus } from '../../../gql/graphql';
import { STATUS_COLORS, STATUS_LABELS } from '../quoteActions';

export function StatusBadge({ status }: { status: QuoteStatus }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant={status === 'REFUNDED' ? 'filled' : 'light'}>
      {STATUS_LABELS[status]}
    </Badge>
  );
}
