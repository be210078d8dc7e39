-- The tables the pgbench limits write, in the API's shapes (apps/api/src/*/migrations): the same
-- columns, keys, foreign keys, checks and indexes, so an INSERT here costs what it costs there.
-- Two differences, both the plan of issue 15: what has been refunded so far is kept on the row
-- refunded from (credit_transactions.refunded_credits, quotes.refunded_minor,
-- account_credits.refunded_minor) instead of summed over earlier refunds, and there are no
-- append-only triggers (they would refuse the UPDATE of that kept total).
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TABLE businesses (id uuid PRIMARY KEY, name text NOT NULL);
CREATE TABLE members (id uuid PRIMARY KEY, business_id uuid NOT NULL REFERENCES businesses(id));
CREATE TABLE customers (id uuid PRIMARY KEY, business_id uuid NOT NULL REFERENCES businesses(id), name text NOT NULL);
CREATE TABLE business_counters (
  business_id uuid NOT NULL REFERENCES businesses(id),
  name text NOT NULL,
  value bigint NOT NULL,
  PRIMARY KEY (business_id, name)
);
CREATE TABLE credit_wallets (
  customer_id uuid PRIMARY KEY REFERENCES customers(id),
  business_id uuid NOT NULL REFERENCES businesses(id),
  balance bigint NOT NULL CHECK (balance >= 0)
);
CREATE TABLE credit_transactions (
  id uuid PRIMARY KEY,
  seq bigserial NOT NULL UNIQUE,
  business_id uuid NOT NULL REFERENCES businesses(id),
  customer_id uuid NOT NULL REFERENCES customers(id),
  kind text NOT NULL CHECK (kind IN ('PURCHASE','SPEND','REFUND','ADJUSTMENT','REVERSAL')),
  credits bigint NOT NULL CHECK (credits <> 0),
  balance_after bigint NOT NULL CHECK (balance_after >= 0),
  description text,
  refund_of_id uuid REFERENCES credit_transactions(id),
  reverses_id uuid REFERENCES credit_transactions(id),
  reason_category text,
  refunded_credits bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  created_by uuid REFERENCES members(id),
  CHECK ((kind = 'REFUND') = (refund_of_id IS NOT NULL)),
  CHECK (kind NOT IN ('PURCHASE','REFUND') OR credits > 0),
  CHECK (kind <> 'SPEND' OR credits < 0)
);
CREATE INDEX credit_transactions_business_idx ON credit_transactions (business_id, seq DESC);
CREATE INDEX credit_transactions_customer_idx ON credit_transactions (business_id, customer_id, seq DESC);
CREATE INDEX credit_transactions_kind_idx ON credit_transactions (business_id, kind, seq DESC);
CREATE INDEX credit_transactions_customer_kind_idx ON credit_transactions (business_id, customer_id, kind, seq DESC);
CREATE INDEX credit_transactions_refund_of_idx ON credit_transactions (refund_of_id) WHERE refund_of_id IS NOT NULL;
CREATE UNIQUE INDEX credit_transactions_reverses_idx ON credit_transactions (reverses_id) WHERE reverses_id IS NOT NULL;
CREATE TABLE quotes (
  id uuid PRIMARY KEY,
  business_id uuid NOT NULL REFERENCES businesses(id),
  customer_id uuid NOT NULL REFERENCES customers(id),
  number text NOT NULL,
  status text NOT NULL,
  total_minor bigint NOT NULL CHECK (total_minor > 0),
  refunded_minor bigint NOT NULL DEFAULT 0,
  currency char(3) NOT NULL,
  created_at timestamptz NOT NULL,
  paid_at timestamptz,
  refunded_at timestamptz,
  UNIQUE (business_id, number)
);
CREATE TABLE quote_refunds (
  id uuid PRIMARY KEY,
  business_id uuid NOT NULL REFERENCES businesses(id),
  quote_id uuid NOT NULL REFERENCES quotes(id),
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency char(3) NOT NULL,
  reason text,
  reason_category text,
  recorded_at timestamptz NOT NULL,
  recorded_by uuid REFERENCES members(id)
);
CREATE INDEX quote_refunds_recorded_idx ON quote_refunds (business_id, recorded_at);
CREATE INDEX quote_refunds_quote_idx ON quote_refunds (quote_id, recorded_at, id);
CREATE TABLE bank_accounts (
  id uuid PRIMARY KEY,
  business_id uuid NOT NULL REFERENCES businesses(id),
  name text NOT NULL,
  currency char(3) NOT NULL
);
CREATE TABLE account_credits (
  id uuid PRIMARY KEY,
  business_id uuid NOT NULL REFERENCES businesses(id),
  customer_id uuid NOT NULL REFERENCES customers(id),
  kind text NOT NULL CHECK (kind IN ('CREDIT_NOTE', 'PAYMENT')),
  number text NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  refunded_minor bigint NOT NULL DEFAULT 0,
  currency char(3) NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (business_id, number)
);
CREATE TABLE account_refunds (
  id uuid PRIMARY KEY,
  business_id uuid NOT NULL REFERENCES businesses(id),
  customer_id uuid NOT NULL REFERENCES customers(id),
  credit_id uuid NOT NULL REFERENCES account_credits(id),
  bank_account_id uuid NOT NULL REFERENCES bank_accounts(id),
  number text NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency char(3) NOT NULL,
  reference text,
  reason_category text,
  created_at timestamptz NOT NULL,
  created_by uuid,
  UNIQUE (business_id, number)
);
CREATE INDEX account_refunds_credit_idx ON account_refunds (credit_id);
CREATE INDEX account_refunds_customer_idx ON account_refunds (business_id, customer_id, created_at, id);
