import type { OutstandingKind, StatementLineKind } from '../../gql/graphql';

export const CREDIT_KIND_LABELS: Record<OutstandingKind, string> = {
  CREDIT_NOTE: 'Credit note',
  PAYMENT: 'Payment',
};

export const STATEMENT_KIND_LABELS: Record<StatementLineKind, string> = {
  INVOICE: 'Invoice',
  PAYMENT: 'Payment',
  CREDIT_NOTE: 'Credit note',
  ALLOCATION: 'Allocation',
  REFUND: 'Refund',
};
