-- adjustBalance, +1 credit: lock the wallet, move the balance, insert the ADJUSTMENT entry.
-- 5 statements.
\set n random(1, :rows)
BEGIN;
SELECT balance FROM credit_wallets WHERE customer_id = md5('customer' || :n)::uuid AND business_id = '00000000-0000-4000-8000-000000000001' FOR UPDATE;
UPDATE credit_wallets SET balance = balance + 1 WHERE customer_id = md5('customer' || :n)::uuid RETURNING balance AS balance_after \gset
INSERT INTO credit_transactions (id, business_id, customer_id, kind, credits, balance_after, description, created_at, created_by) VALUES (gen_random_uuid(), '00000000-0000-4000-8000-000000000001', md5('customer' || :n)::uuid, 'ADJUSTMENT', 1, :balance_after, 'bench', now(), '00000000-0000-4000-8000-000000000002');
END;
