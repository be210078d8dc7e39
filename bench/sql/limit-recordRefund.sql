-- recordRefund, 0.01 of a paid invoice: lock the invoice, keep its refunded amount, insert the
-- refund. 5 statements.
\set n random(1, :rows)
BEGIN;
SELECT status, total_minor, refunded_minor FROM quotes WHERE id = md5('quote' || :n)::uuid AND business_id = '00000000-0000-4000-8000-000000000001' FOR UPDATE;
UPDATE quotes SET refunded_minor = refunded_minor + 1 WHERE id = md5('quote' || :n)::uuid;
INSERT INTO quote_refunds (id, business_id, quote_id, amount_minor, currency, reason_category, recorded_at, recorded_by) VALUES (gen_random_uuid(), '00000000-0000-4000-8000-000000000001', md5('quote' || :n)::uuid, 1, 'GHS', 'GOODWILL', now(), '00000000-0000-4000-8000-000000000002');
END;
