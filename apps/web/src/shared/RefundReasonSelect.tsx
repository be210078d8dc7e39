import { Select } from '@mantine/core';
import { REFUND_REASON_LABELS, RefundReason } from '@refunds/domain';
import type { RefundReason as WireRefundReason } from '../gql/graphql';

const OPTIONS = Object.values(RefundReason).map((value) => ({
  value,
  label: REFUND_REASON_LABELS[value],
}));

/**
 * Why money went back, beside the free text: the domain's categories and labels, the same in the
 * three refund flows (credits, accounts, invoices), so Insights can group refunds by cause.
 */
export function RefundReasonSelect({
  value,
  onChange,
  description = 'Optional. Insights groups refunds by it.',
  label = 'Reason category',
}: {
  value: WireRefundReason | null;
  onChange: (value: WireRefundReason | null) => void;
  description?: string;
  label?: string;
}) {
  return (
    <Select
      label={label}
      description={description}
      placeholder="Choose a category"
      clearable
      data={OPTIONS}
      value={value}
      onChange={(next) => onChange((next as WireRefundReason | null) ?? null)}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** The label of a stored category, or null when there is none. */
export function refundReasonLabel(value: string | null | undefined): string | null {
  return value && value in REFUND_REASON_LABELS
    ? REFUND_REASON_LABELS[value as RefundReason]
    : null;
}
