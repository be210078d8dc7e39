-- refundTransaction, 1 credit of a spend back to its wallet: lock the spend, lock the wallet,
-- keep the refunded-so-far on the spend, move the balance, insert the REFUND entry. 7 statements.
\set n random(1, :rows)
BEGIN;
SELECT customer_id AS customer, credits, refunded_credits FROM credit_transactions WHERE id = md5('spend' || :n)::uuid AND business_id = '00000000-0000-4000-8000-000000000001' FOR UPDATE \gset
SELECT balance FROM credit_wallets WHERE customer_id = :customer FOR UPDATE;
UPDATE credit_transactions SET refunded_credits = refunded_credits + 1 WHERE id = md5('spend' || :n)::uuid;
UPDATE credit_wallets SET balance = balance + 1 WHERE customer_id = :customer RETURNING balance AS balance_after \gset
INSERT INTO credit_transactions (id, business_id, customer_id, kind, credits, balance_after, refund_of_id, reason_category, created_at, created_by) VALUES (gen_random_uuid(), '00000000-0000-4000-8000-000000000001', :customer, 'REFUND', 1, :balance_after, md5('spend' || :n)::uuid, 'GOODWILL', now(), '00000000-0000-4000-8000-000000000002');
END;
