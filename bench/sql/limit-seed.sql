-- $1 = rows. Row n of each table has the id md5('<table>' || n)::uuid, so a pgbench script
-- picks a random row by its number. Every customer has a wallet, a spend, an invoice and a
-- credit note, each large enough for a run of 1-credit / 0.01 refunds.
INSERT INTO businesses VALUES ('00000000-0000-4000-8000-000000000001', 'Bench');
INSERT INTO members VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001');
INSERT INTO bank_accounts VALUES ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000001', 'Main', 'GHS');
INSERT INTO customers SELECT md5('customer' || n)::uuid, '00000000-0000-4000-8000-000000000001', 'Customer ' || n FROM generate_series(1, $1::int) n;
INSERT INTO credit_wallets SELECT md5('customer' || n)::uuid, '00000000-0000-4000-8000-000000000001', 1000000000 FROM generate_series(1, $1::int) n;
INSERT INTO credit_transactions (id, business_id, customer_id, kind, credits, balance_after, created_at) SELECT md5('spend' || n)::uuid, '00000000-0000-4000-8000-000000000001', md5('customer' || n)::uuid, 'SPEND', -1000000000, 1000000000, now() FROM generate_series(1, $1::int) n;
INSERT INTO quotes (id, business_id, customer_id, number, status, total_minor, currency, created_at, paid_at) SELECT md5('quote' || n)::uuid, '00000000-0000-4000-8000-000000000001', md5('customer' || n)::uuid, 'Q-' || n, 'PAID', 100000000000, 'GHS', now(), now() FROM generate_series(1, $1::int) n;
INSERT INTO account_credits (id, business_id, customer_id, kind, number, amount_minor, currency, created_at) SELECT md5('credit' || n)::uuid, '00000000-0000-4000-8000-000000000001', md5('customer' || n)::uuid, 'CREDIT_NOTE', 'CN-' || n, 100000000000, 'GHS', now() FROM generate_series(1, $1::int) n;
