-- The lending domain: schedules, households, memberships, reductions,
-- categories, items, loans, reservations, the ledger, audit, tokens and
-- idempotency records. Every invariant that can be a constraint is one.

-- Errors raised from SQL use SQLSTATE class LN (see core/src/db.c):
--   LNA01 item_not_available  LNA02 already_returned   LNA03 reserved_for_other
--   LNA04 conflict            LNB01 membership_required LNB02 loan_limit_reached
--   LNB03 item_unsafe         LNB04 idempotency_mismatch LNC01 not_found
--   LNC02 invalid_field       LNC03 invalid_amount      LNC04 invalid_date
--   LND01 forbidden
-- A field error names its JSON pointer in the COLUMN field of the error.

ALTER TABLE libraries ADD COLUMN next_item_number integer NOT NULL DEFAULT 1
  CHECK (next_item_number BETWEEN 1 AND 999999);

-- Opening schedule: weekly on a weekday, or the n-th weekday of the month
-- (nth -1 is the last), with months in which the rule does not hold.
CREATE TABLE schedule_rules (
  id             bigserial PRIMARY KEY,
  library_id     bigint NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
  freq           text NOT NULL CHECK (freq IN ('weekly', 'monthly')),
  nth            integer CHECK (nth IN (-1, 1, 2, 3, 4, 5)),
  weekday        integer NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  starts_at      time NOT NULL,
  ends_at        time NOT NULL,
  closed_months  integer[] NOT NULL DEFAULT '{}'
                 CHECK (closed_months <@ ARRAY[1,2,3,4,5,6,7,8,9,10,11,12]),
  CHECK (ends_at > starts_at),
  CHECK ((freq = 'monthly') = (nth IS NOT NULL))
);
CREATE INDEX schedule_rules_library ON schedule_rules (library_id);

-- One-off openings (a single day with hours) and closures (a period).
CREATE TABLE schedule_exceptions (
  id          bigserial PRIMARY KEY,
  library_id  bigint NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('open', 'closed')),
  from_date   date NOT NULL,
  to_date     date NOT NULL,
  starts_at   time,
  ends_at     time,
  note        text CHECK (length(note) <= 500),
  created_by  bigint REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (to_date >= from_date),
  CHECK (kind = 'closed' OR (from_date = to_date AND starts_at IS NOT NULL AND ends_at > starts_at))
);
CREATE INDEX schedule_exceptions_library ON schedule_exceptions (library_id, from_date);

-- Member numbers are unique across the install: a household is named by
-- its number alone.
CREATE SEQUENCE household_number_seq START 10001;

CREATE TABLE households (
  id             bigserial PRIMARY KEY,
  org_id         bigint NOT NULL REFERENCES orgs(id),
  number         integer NOT NULL UNIQUE DEFAULT nextval('household_number_seq'),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  email          text CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
  phone          text CHECK (length(phone) BETWEEN 3 AND 40),
  postcode       text CHECK (postcode ~ '^[0-9]{4}$'),
  language       text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'fr', 'en', 'de', 'ar', 'tr', 'uk', 'ru', 'ro', 'pl', 'so', 'ti', 'prs', 'ps')),
  version        integer NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now(),
  anonymized_at  timestamptz
);
CREATE INDEX households_org ON households (org_id);
CREATE INDEX households_name ON households (lower(name) text_pattern_ops);
CREATE INDEX households_email ON households (lower(email));
CREATE INDEX households_postcode ON households (postcode);

CREATE TABLE children (
  id            bigserial PRIMARY KEY,
  household_id  bigint NOT NULL REFERENCES households(id) ON DELETE CASCADE,
  first_name    text CHECK (length(first_name) BETWEEN 1 AND 100),
  birth_month   date NOT NULL CHECK (extract(day FROM birth_month) = 1)
);
CREATE INDEX children_household ON children (household_id);

-- Reductions the social service issues: to a household, or as a one-time
-- voucher code that a household redeems. No reason is ever stored.
CREATE TABLE reductions (
  id            bigserial PRIMARY KEY,
  org_id        bigint NOT NULL REFERENCES orgs(id),
  household_id  bigint REFERENCES households(id),
  voucher_code  text UNIQUE CHECK (voucher_code ~ '^[A-Z0-9]{8,16}$'),
  level         text NOT NULL CHECK (level IN ('social', 'full')),
  valid_from    date NOT NULL,
  valid_until   date NOT NULL,
  reference     text CHECK (length(reference) BETWEEN 1 AND 60),
  issued_by     bigint NOT NULL REFERENCES users(id),
  issued_at     timestamptz NOT NULL DEFAULT now(),
  redeemed_at   timestamptz,
  revoked_at    timestamptz,
  revoked_by    bigint REFERENCES users(id),
  CHECK (valid_from <= valid_until),
  CHECK (household_id IS NOT NULL OR voucher_code IS NOT NULL),
  CHECK ((redeemed_at IS NULL) OR (voucher_code IS NOT NULL AND household_id IS NOT NULL)),
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX reductions_household ON reductions (household_id, valid_until) WHERE revoked_at IS NULL;

CREATE TABLE memberships (
  id               bigserial PRIMARY KEY,
  household_id     bigint NOT NULL REFERENCES households(id),
  library_id       bigint NOT NULL REFERENCES libraries(id),
  valid_from       date NOT NULL,
  valid_until      date NOT NULL,
  slots            integer NOT NULL CHECK (slots BETWEEN 1 AND 100),
  fee_cents        bigint NOT NULL CHECK (fee_cents BETWEEN 0 AND 100000000),
  reduction_cents  bigint NOT NULL CHECK (reduction_cents >= 0 AND reduction_cents <= fee_cents),
  reduction_id     bigint REFERENCES reductions(id),
  created_by       bigint REFERENCES users(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_from <= valid_until)
);
CREATE INDEX memberships_household ON memberships (household_id, library_id, valid_until);
CREATE INDEX memberships_library_from ON memberships (library_id, valid_from);

CREATE TABLE categories (
  id              bigserial PRIMARY KEY,
  library_id      bigint NOT NULL REFERENCES libraries(id),
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  deposit_cents   bigint NOT NULL DEFAULT 0 CHECK (deposit_cents BETWEEN 0 AND 100000000),
  loan_days       integer NOT NULL CHECK (loan_days BETWEEN 1 AND 3660),
  components      text[] NOT NULL DEFAULT '{}',
  min_age_months  integer CHECK (min_age_months BETWEEN 0 AND 240),
  max_age_months  integer CHECK (max_age_months BETWEEN 0 AND 240),
  safety_check    boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (library_id, name),
  UNIQUE (id, library_id),
  CHECK (min_age_months IS NULL OR max_age_months IS NULL OR min_age_months <= max_age_months)
);

CREATE TABLE items (
  id                 bigserial PRIMARY KEY,
  library_id         bigint NOT NULL REFERENCES libraries(id),
  category_id        bigint NOT NULL,
  number             integer NOT NULL CHECK (number BETWEEN 1 AND 999999),
  code               text NOT NULL UNIQUE CHECK (code ~ '^[A-Z]{1,4}[0-9]{4,6}$'),
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  attributes         jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(attributes) = 'object'),
  deposit_cents      bigint CHECK (deposit_cents BETWEEN 0 AND 100000000),
  expires_on         date,
  safety_checked_on  date,
  status             text NOT NULL DEFAULT 'available' CHECK (status IN
                       ('available', 'on_loan', 'reserved', 'cleaning', 'in_repair', 'retired', 'lost')),
  reserved_for       bigint REFERENCES households(id),
  version            integer NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL DEFAULT now(),
  status_changed_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (library_id, number),
  FOREIGN KEY (category_id, library_id) REFERENCES categories (id, library_id),
  CHECK ((status = 'reserved') = (reserved_for IS NOT NULL))
);
CREATE INDEX items_category ON items (category_id, status);
CREATE INDEX items_library_status ON items (library_id, status);

CREATE TABLE loans (
  id                  bigserial PRIMARY KEY,
  item_id             bigint NOT NULL REFERENCES items(id),
  household_id        bigint NOT NULL REFERENCES households(id),
  library_id          bigint NOT NULL REFERENCES libraries(id),
  membership_id       bigint REFERENCES memberships(id),
  child_id            bigint REFERENCES children(id),
  started_at          timestamptz NOT NULL DEFAULT now(),
  due_on              date NOT NULL,
  deposit_cents       bigint NOT NULL DEFAULT 0 CHECK (deposit_cents BETWEEN 0 AND 100000000),
  deposit_method      text NOT NULL DEFAULT 'cash' CHECK (deposit_method IN ('cash', 'payconiq', 'transfer', 'waived')),
  returned_at         timestamptz,
  return_condition    text CHECK (return_condition IN ('ok', 'needs_cleaning', 'needs_repair')),
  refund_cents        bigint CHECK (refund_cents >= 0),
  withheld_cents      bigint CHECK (withheld_cents >= 0),
  withheld_reason     text CHECK (length(withheld_reason) BETWEEN 1 AND 500),
  missing_components  text[] NOT NULL DEFAULT '{}',
  swapped_from        bigint REFERENCES loans(id),
  checked_out_by      bigint REFERENCES users(id),
  checked_in_by       bigint REFERENCES users(id),
  renewals            integer NOT NULL DEFAULT 0,
  CHECK (returned_at IS NULL OR returned_at >= started_at),
  CHECK ((returned_at IS NULL) = (return_condition IS NULL)),
  CHECK (coalesce(refund_cents, 0) + coalesce(withheld_cents, 0) <= deposit_cents),
  CHECK (withheld_cents IS NULL OR withheld_cents = 0 OR withheld_reason IS NOT NULL)
);
-- At most one open loan per item, whatever the concurrency.
CREATE UNIQUE INDEX loans_one_open_per_item ON loans (item_id) WHERE returned_at IS NULL;
CREATE INDEX loans_household_open ON loans (household_id) WHERE returned_at IS NULL;
CREATE INDEX loans_library_started ON loans (library_id, started_at);
CREATE INDEX loans_library_returned ON loans (library_id, returned_at);

CREATE TABLE reservations (
  id            bigserial PRIMARY KEY,
  library_id    bigint NOT NULL REFERENCES libraries(id),
  household_id  bigint NOT NULL REFERENCES households(id),
  category_id   bigint REFERENCES categories(id),
  item_id       bigint REFERENCES items(id),
  wanted_from   date NOT NULL,
  status        text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'offered', 'fulfilled', 'cancelled')),
  offered_item  bigint REFERENCES items(id),
  created_by    bigint REFERENCES users(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  closed_at     timestamptz,
  CHECK (category_id IS NOT NULL OR item_id IS NOT NULL),
  CHECK ((status IN ('fulfilled', 'cancelled')) = (closed_at IS NOT NULL)),
  CHECK ((status = 'offered') = (offered_item IS NOT NULL))
);
CREATE INDEX reservations_queue ON reservations (category_id, created_at, id) WHERE status IN ('waiting', 'offered');
CREATE INDEX reservations_item_queue ON reservations (item_id, created_at, id) WHERE status IN ('waiting', 'offered');
CREATE INDEX reservations_household ON reservations (household_id) WHERE status IN ('waiting', 'offered');

-- The ledger: append-only, double entry. Every journal's lines sum to
-- zero. Accounts: household (what the family owes: positive), cash,
-- payconiq, transfer, waived (money in), fee_income, fee_reduction,
-- deposits_held, withheld_income, donations. Corrections are reversing
-- journals, never updates.
CREATE SEQUENCE ledger_journal_seq;
CREATE TABLE ledger (
  id             bigserial PRIMARY KEY,
  journal_id     bigint NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('membership_fee', 'fee_reduction', 'deposit_taken',
                   'deposit_refunded', 'deposit_withheld', 'donation', 'payment', 'correction')),
  account        text NOT NULL CHECK (account IN ('household', 'cash', 'payconiq', 'transfer',
                   'waived', 'fee_income', 'fee_reduction', 'deposits_held', 'withheld_income',
                   'donations')),
  amount_cents   bigint NOT NULL CHECK (amount_cents BETWEEN -100000000 AND 100000000),
  household_id   bigint REFERENCES households(id),
  library_id     bigint REFERENCES libraries(id),
  loan_id        bigint REFERENCES loans(id),
  membership_id  bigint REFERENCES memberships(id),
  reason         text CHECK (length(reason) <= 500),
  reverses       bigint,
  created_by     bigint REFERENCES users(id),
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_journal ON ledger (journal_id);
CREATE INDEX ledger_household ON ledger (household_id, created_at);
CREATE INDEX ledger_library_time ON ledger (library_id, created_at);

CREATE FUNCTION ledger_journal_balances() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT sum(amount_cents) FROM ledger WHERE journal_id = NEW.journal_id) <> 0 THEN
    RAISE EXCEPTION 'ledger journal % does not balance', NEW.journal_id
      USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_balances AFTER INSERT ON ledger
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_journal_balances();

CREATE TABLE audit (
  id         bigserial PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now(),
  user_id    bigint REFERENCES users(id),
  action     text NOT NULL CHECK (length(action) BETWEEN 1 AND 60),
  entity     text NOT NULL CHECK (length(entity) BETWEEN 1 AND 40),
  entity_id  text,
  details    jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_entity ON audit (entity, entity_id);
CREATE INDEX audit_at ON audit (at);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = '42501';
END $$;
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Bearer tokens: only a SHA-256 hash is stored.
CREATE TABLE api_tokens (
  id          bigserial PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash  bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);

CREATE TABLE login_failures (
  username   text NOT NULL,
  failed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_user ON login_failures (username, failed_at);

-- Idempotency: the first response to a key is replayed for the same
-- request; another request with the same key is refused.
CREATE TABLE idempotency_keys (
  user_id       bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  key           text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  request_hash  bytea NOT NULL,
  status        integer NOT NULL,
  response      text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);

-- Opening sessions of a library between two dates (inclusive), Brussels
-- local: the schedule rules, minus closures, plus one-off openings.
CREATE FUNCTION leen_sessions(p_library bigint, p_from date, p_to date)
RETURNS TABLE (day date, starts_at time, ends_at time)
LANGUAGE sql STABLE AS $$
  WITH days AS (
    SELECT d::date AS day FROM generate_series(p_from, p_to, interval '1 day') AS d
  ), ruled AS (
    SELECT d.day, r.starts_at, r.ends_at
    FROM days d JOIN schedule_rules r ON r.library_id = p_library
    WHERE extract(isodow FROM d.day) = r.weekday
      AND NOT (extract(month FROM d.day)::int = ANY (r.closed_months))
      AND (r.freq = 'weekly'
           OR (r.nth > 0 AND (extract(day FROM d.day)::int - 1) / 7 + 1 = r.nth)
           OR (r.nth = -1 AND (d.day + 7) > (date_trunc('month', d.day) + interval '1 month')::date - 1))
      AND NOT EXISTS (SELECT 1 FROM schedule_exceptions x
                      WHERE x.library_id = p_library AND x.kind = 'closed'
                        AND d.day BETWEEN x.from_date AND x.to_date)
  ), extra AS (
    SELECT x.from_date, x.starts_at, x.ends_at FROM schedule_exceptions x
    WHERE x.library_id = p_library AND x.kind = 'open' AND x.from_date BETWEEN p_from AND p_to
  )
  SELECT day, min(starts_at), max(ends_at)
  FROM (SELECT * FROM ruled UNION ALL SELECT * FROM extra) s
  GROUP BY day ORDER BY day
$$;

-- The due date of a loan: the first opening session on or after
-- start + loan days; start + loan days when no session comes in a year.
CREATE FUNCTION leen_due_date(p_library bigint, p_start date, p_loan_days integer)
RETURNS date LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    (SELECT min(day) FROM leen_sessions(p_library, p_start + p_loan_days, p_start + p_loan_days + 400)),
    p_start + p_loan_days)
$$;

-- The reduction that applies to a household on a day (the most generous,
-- then the longest running), or no row. Used by memberships and check-out.
CREATE FUNCTION leen_active_reduction(p_household bigint, p_day date)
RETURNS SETOF reductions LANGUAGE sql STABLE AS $$
  SELECT * FROM reductions
  WHERE household_id = p_household AND revoked_at IS NULL
    AND p_day BETWEEN valid_from AND valid_until
  ORDER BY (level = 'full') DESC, valid_until DESC, id
  LIMIT 1
$$;

-- The membership of a household in a library that covers a day, or no row.
CREATE FUNCTION leen_active_membership(p_household bigint, p_library bigint, p_day date)
RETURNS SETOF memberships LANGUAGE sql STABLE AS $$
  SELECT * FROM memberships
  WHERE household_id = p_household AND library_id = p_library
    AND p_day BETWEEN valid_from AND valid_until
  ORDER BY valid_until DESC, id DESC
  LIMIT 1
$$;
