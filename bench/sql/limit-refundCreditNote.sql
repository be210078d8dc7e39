-- refundCreditNote, 0.01 of a credit note to a bank account: lock the credit note, take the
-- business's next gap-free refund number (the counter row is one per business, so every refund
-- of a business queues on it, spread or not), keep the refunded amount, insert the refund.
-- 6 statements.
\set n random(1, :rows)
BEGIN;
SELECT customer_id AS customer, amount_minor, refunded_minor FROM account_credits WHERE id = md5('credit' || :n)::uuid AND business_id = '00000000-0000-4000-8000-000000000001' FOR UPDATE \gset
INSERT INTO business_counters (business_id, name, value) VALUES ('00000000-0000-4000-8000-000000000001', 'account_refund', 1) ON CONFLICT (business_id, name) DO UPDATE SET value = business_counters.value + 1 RETURNING value AS number \gset
UPDATE account_credits SET refunded_minor = refunded_minor + 1 WHERE id = md5('credit' || :n)::uuid;
INSERT INTO account_refunds (id, business_id, customer_id, credit_id, bank_account_id, number, amount_minor, currency, reason_category, created_at, created_by) VALUES (gen_random_uuid(), '00000000-0000-4000-8000-000000000001', :customer, md5('credit' || :n)::uuid, '00000000-0000-4000-8000-000000000003', 'RF-' || lpad(:number::text, 6, '0'), 1, 'GHS', 'GOODWILL', now(), '00000000-0000-4000-8000-000000000002');
END;
