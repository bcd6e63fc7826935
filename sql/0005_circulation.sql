-- Circulation: check-out, return, swap, renew and reservations, each as
-- one function so that an operation is one round trip to the server.
-- Every function locks the item row first (SELECT ... FOR NO KEY UPDATE),
-- so two operations on one item queue up instead of both passing the
-- checks; the partial unique index on open loans stays the backstop. NO KEY
-- UPDATE leaves foreign-key checks of other transactions (KEY SHARE) free.
--
-- The actor is passed in: p_user (0: the system), p_org (0: any org) and
-- p_libs, the libraries the actor acts in (NULL: every library of p_org).
-- Role checks happen in C before the call; library checks need the item's
-- library and happen here. Refusals raise the LN* SQLSTATEs of 0002.
--
-- Days are Europe/Brussels days whatever the session's time zone.

-- A loan as core reads it: codes and member numbers instead of ids, times
-- in RFC 3339 (session time zone, Brussels for leen's connections).
-- missing_components is joined with the unit separator (chr 31).
CREATE VIEW leen_loan_rows AS
SELECT l.id,
       i.code AS item,
       h.number AS household,
       l.child_id,
       lib.slug AS library,
       to_char(l.started_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM') AS started_at,
       to_char(l.due_on, 'YYYY-MM-DD') AS due_on,
       l.deposit_cents,
       l.deposit_method,
       to_char(l.returned_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM') AS returned_at,
       l.return_condition,
       coalesce(l.refund_cents, 0) AS refund_cents,
       coalesce(l.withheld_cents, 0) AS withheld_cents,
       l.withheld_reason,
       array_to_string(l.missing_components, chr(31)) AS missing_components,
       cardinality(l.missing_components) AS nmissing,
       l.renewals,
       l.swapped_from,
       i.status AS item_status,
       (l.returned_at IS NULL
        AND l.due_on < (now() AT TIME ZONE 'Europe/Brussels')::date) AS overdue,
       l.library_id,
       l.household_id,
       l.item_id,
       lib.org_id
FROM loans l
JOIN items i ON i.id = l.item_id
JOIN households h ON h.id = l.household_id
JOIN libraries lib ON lib.id = l.library_id;

-- A reservation with its place in the queue (1-based among the waiting
-- and offered reservations of the same category, or of the same item).
CREATE VIEW leen_reservation_rows AS
SELECT r.id,
       h.number AS household,
       lib.slug AS library,
       r.category_id,
       i.code AS item,
       to_char(r.wanted_from, 'YYYY-MM-DD') AS wanted_from,
       r.status,
       oi.code AS offered_item,
       to_char(r.created_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM') AS created_at,
       CASE WHEN r.status IN ('waiting', 'offered') THEN
         (SELECT count(*) FROM reservations q
          WHERE q.status IN ('waiting', 'offered')
            AND ((r.item_id IS NOT NULL AND q.item_id = r.item_id)
                 OR (r.item_id IS NULL AND q.item_id IS NULL AND q.category_id = r.category_id))
            AND (q.created_at, q.id) <= (r.created_at, r.id))
       ELSE 0 END AS position,
       r.library_id,
       r.household_id,
       lib.org_id
FROM reservations r
JOIN households h ON h.id = r.household_id
JOIN libraries lib ON lib.id = r.library_id
LEFT JOIN items i ON i.id = r.item_id
LEFT JOIN items oi ON oi.id = r.offered_item;

-- One posting: two lines of a journal, debit +amount and credit -amount.
-- A zero amount posts nothing (the same rule as ledger_post in C).
-- plpgsql rather than sql: its INSERT plan stays cached in the session.
CREATE FUNCTION leen_post(p_journal bigint, p_kind text, p_debit text, p_credit text,
                          p_amount bigint, p_household bigint, p_library bigint, p_loan bigint,
                          p_reason text, p_user bigint, p_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_amount <> 0 THEN
    INSERT INTO ledger (journal_id, kind, account, amount_cents, household_id, library_id,
                        loan_id, reason, created_by, created_at)
    VALUES (p_journal, p_kind, p_debit, p_amount, p_household, p_library, p_loan, p_reason,
            nullif(p_user, 0), coalesce(p_at, now())),
           (p_journal, p_kind, p_credit, -p_amount, p_household, p_library, p_loan, p_reason,
            nullif(p_user, 0), coalesce(p_at, now()));
  END IF;
END $$;

-- Puts a lendable item back in circulation: set aside ('reserved') for
-- the first household in line for the item or its category whose wanted
-- date has come, or 'available'. Returns the item's new status. Call with
-- the item row locked. Anything that makes an item lendable again (the end
-- of cleaning or a repair) should call this too, so the queue is served.
CREATE FUNCTION leen_offer_item(p_item bigint, p_day date)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v_category bigint;
  v_res bigint;
  v_household bigint;
BEGIN
  SELECT category_id INTO v_category FROM items WHERE id = p_item;
  SELECT r.id, r.household_id INTO v_res, v_household
  FROM reservations r
  WHERE r.status = 'waiting' AND r.wanted_from <= p_day
    AND (r.item_id = p_item OR (r.item_id IS NULL AND r.category_id = v_category))
  ORDER BY r.created_at, r.id
  LIMIT 1
  FOR NO KEY UPDATE;
  IF v_res IS NULL THEN
    UPDATE items SET status = 'available', reserved_for = NULL, status_changed_at = now(),
                     version = version + 1
    WHERE id = p_item;
    RETURN 'available';
  END IF;
  UPDATE reservations SET status = 'offered', offered_item = p_item WHERE id = v_res;
  UPDATE items SET status = 'reserved', reserved_for = v_household, status_changed_at = now(),
                   version = version + 1
  WHERE id = p_item;
  RETURN 'reserved';
END $$;

-- The checks and rows of a check-out, without money or audit (the callers
-- post those: a plain check-out takes the deposit, a swap settles the
-- difference). Returns the new loan, its deposit and where it lives.
CREATE FUNCTION leen_checkout_core(p_user bigint, p_org bigint, p_libs bigint[], p_item text,
                                   p_household integer, p_child bigint, p_at timestamptz,
                                   p_method text, p_swapped_from bigint,
                                   OUT loan_id bigint, OUT deposit bigint,
                                   OUT library_id bigint, OUT household_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
  it record;
  v_day date := (p_at AT TIME ZONE 'Europe/Brussels')::date;
  v_hh bigint;
  v_mem bigint;
  v_slots integer;
  v_open bigint;
  v_level text;
  v_due date;
BEGIN
  SELECT i.id, i.code, i.status, i.reserved_for, i.expires_on, i.safety_checked_on,
         i.category_id, i.library_id, coalesce(i.deposit_cents, c.deposit_cents) AS deposit,
         c.loan_days, c.safety_check, l.org_id, l.social_deposit_percent
  INTO it
  FROM items i
  JOIN categories c ON c.id = i.category_id
  JOIN libraries l ON l.id = i.library_id
  WHERE i.code = p_item
  FOR NO KEY UPDATE OF i;
  IF NOT FOUND OR (p_org <> 0 AND it.org_id <> p_org) THEN
    RAISE EXCEPTION 'no item "%"', p_item USING ERRCODE = 'LNC01', COLUMN = '/item';
  END IF;
  IF p_libs IS NOT NULL AND NOT (it.library_id = ANY (p_libs)) THEN
    RAISE EXCEPTION 'you do not work in the library of item "%"', it.code
      USING ERRCODE = 'LND01', COLUMN = '/item';
  END IF;
  SELECT h.id INTO v_hh FROM households h
  WHERE h.number = p_household AND h.org_id = it.org_id AND h.anonymized_at IS NULL;
  IF v_hh IS NULL THEN
    RAISE EXCEPTION 'no household %', p_household USING ERRCODE = 'LNC01', COLUMN = '/household';
  END IF;
  IF p_child IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM children ch
                     WHERE ch.id = p_child AND ch.household_id = v_hh) THEN
    RAISE EXCEPTION 'child % is not in household %', p_child, p_household
      USING ERRCODE = 'LNC02', COLUMN = '/child';
  END IF;
  IF p_at > now() THEN
    RAISE EXCEPTION 'a loan cannot start in the future' USING ERRCODE = 'LNC04', COLUMN = '/at';
  END IF;

  IF it.status = 'reserved' AND it.reserved_for <> v_hh THEN
    RAISE EXCEPTION 'item "%" is reserved for another household', it.code
      USING ERRCODE = 'LNA03', COLUMN = '/item';
  ELSIF it.status NOT IN ('available', 'reserved') THEN
    RAISE EXCEPTION 'item "%" is not available (%)', it.code, replace(it.status, '_', ' ')
      USING ERRCODE = 'LNA01', COLUMN = '/item';
  END IF;
  IF it.expires_on IS NOT NULL AND v_day > it.expires_on THEN
    RAISE EXCEPTION 'item "%" expired on %', it.code, to_char(it.expires_on, 'YYYY-MM-DD')
      USING ERRCODE = 'LNB03', COLUMN = '/item';
  END IF;
  IF it.safety_check AND it.safety_checked_on IS NULL THEN
    RAISE EXCEPTION 'item "%" has no recorded safety check', it.code
      USING ERRCODE = 'LNB03', COLUMN = '/item';
  END IF;

  -- Locking the membership serialises check-outs of one household, so two
  -- counters cannot both take its last slot.
  SELECT m.id, m.slots INTO v_mem, v_slots FROM memberships m
  WHERE m.id = (SELECT a.id FROM leen_active_membership(v_hh, it.library_id, v_day) a)
  FOR NO KEY UPDATE;
  IF v_mem IS NULL THEN
    RAISE EXCEPTION 'household % has no membership on %', p_household, to_char(v_day, 'YYYY-MM-DD')
      USING ERRCODE = 'LNB01', COLUMN = '/household';
  END IF;
  SELECT count(*) INTO v_open FROM loans o
  WHERE o.household_id = v_hh AND o.library_id = it.library_id AND o.returned_at IS NULL;
  IF v_open >= v_slots THEN
    RAISE EXCEPTION 'household % has % of % loans open', p_household, v_open, v_slots
      USING ERRCODE = 'LNB02', COLUMN = '/household';
  END IF;

  SELECT r.level INTO v_level FROM leen_active_reduction(v_hh, v_day) r;
  deposit := CASE v_level
               WHEN 'full' THEN 0
               WHEN 'social' THEN it.deposit * it.social_deposit_percent / 100
               ELSE it.deposit END;
  -- Same answer as leen_due_date; the next few weeks are looked at first
  -- in a statement whose plan stays cached, as a session almost always
  -- falls in them.
  SELECT min(s.day) INTO v_due
  FROM leen_sessions(it.library_id, v_day + it.loan_days, v_day + it.loan_days + 42) s;
  v_due := coalesce(v_due, leen_due_date(it.library_id, v_day, it.loan_days));

  INSERT INTO loans (item_id, household_id, library_id, membership_id, child_id, started_at,
                     due_on, deposit_cents, deposit_method, swapped_from, checked_out_by)
  VALUES (it.id, v_hh, it.library_id, v_mem, p_child, p_at, v_due, deposit, p_method,
          p_swapped_from, nullif(p_user, 0))
  RETURNING id INTO loan_id;
  UPDATE items SET status = 'on_loan', reserved_for = NULL, status_changed_at = now(),
                   version = version + 1
  WHERE id = it.id;

  -- The household's own reservation is served: the item set aside for it,
  -- or else its oldest wait for this item or category.
  UPDATE reservations SET status = 'fulfilled', offered_item = NULL, closed_at = now()
  WHERE id = (SELECT r.id FROM reservations r
              WHERE r.household_id = v_hh
                AND ((r.status = 'offered' AND r.offered_item = it.id)
                     OR (r.status = 'waiting'
                         AND (r.item_id = it.id
                              OR (r.item_id IS NULL AND r.category_id = it.category_id))))
              ORDER BY (r.status = 'offered') DESC, r.created_at, r.id
              LIMIT 1);

  library_id := it.library_id;
  household_id := v_hh;
END $$;

-- The checks and rows of a return, without money or audit. p_field names
-- the item's field in errors (/item, or /return_item in a swap).
CREATE FUNCTION leen_return_core(p_user bigint, p_org bigint, p_libs bigint[], p_item text,
                                 p_condition text, p_withheld bigint, p_reason text,
                                 p_missing text[], p_at timestamptz, p_field text,
                                 OUT loan_id bigint, OUT deposit bigint, OUT refund bigint,
                                 OUT library_id bigint, OUT household_id bigint,
                                 OUT method text, OUT child_id bigint, OUT item_status text)
LANGUAGE plpgsql AS $$
DECLARE
  it record;
  ln record;
  v_at timestamptz := coalesce(p_at, now());
  v_bad text;
BEGIN
  SELECT i.id, i.code, i.library_id, c.components, l.org_id
  INTO it
  FROM items i
  JOIN categories c ON c.id = i.category_id
  JOIN libraries l ON l.id = i.library_id
  WHERE i.code = p_item
  FOR NO KEY UPDATE OF i;
  IF NOT FOUND OR (p_org <> 0 AND it.org_id <> p_org) THEN
    RAISE EXCEPTION 'no item "%"', p_item USING ERRCODE = 'LNC01', COLUMN = p_field;
  END IF;
  IF p_libs IS NOT NULL AND NOT (it.library_id = ANY (p_libs)) THEN
    RAISE EXCEPTION 'you do not work in the library of item "%"', it.code
      USING ERRCODE = 'LND01', COLUMN = p_field;
  END IF;
  SELECT o.id, o.household_id, o.child_id, o.deposit_cents, o.deposit_method, o.started_at
  INTO ln
  FROM loans o WHERE o.item_id = it.id AND o.returned_at IS NULL
  FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'item "%" is not on loan', it.code USING ERRCODE = 'LNA02', COLUMN = p_field;
  END IF;
  IF v_at > now() THEN
    RAISE EXCEPTION 'a return cannot lie in the future' USING ERRCODE = 'LNC04', COLUMN = '/at';
  END IF;
  IF v_at < ln.started_at THEN
    RAISE EXCEPTION 'a return cannot come before the loan started'
      USING ERRCODE = 'LNC04', COLUMN = '/at';
  END IF;
  IF p_withheld < 0 OR p_withheld > ln.deposit_cents THEN
    RAISE EXCEPTION 'withheld % is more than the deposit of %', p_withheld, ln.deposit_cents
      USING ERRCODE = 'LNC03', COLUMN = '/withheld_cents';
  END IF;
  IF p_withheld > 0 AND p_reason IS NULL THEN
    RAISE EXCEPTION 'a withheld deposit needs a reason'
      USING ERRCODE = 'LNC02', COLUMN = '/withheld_reason';
  END IF;
  SELECT m INTO v_bad FROM unnest(p_missing) AS m WHERE NOT (m = ANY (it.components)) LIMIT 1;
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION 'item "%" has no component "%"', it.code, v_bad
      USING ERRCODE = 'LNC02', COLUMN = '/missing_components';
  END IF;

  refund := ln.deposit_cents - p_withheld;
  UPDATE loans SET returned_at = v_at, return_condition = p_condition, refund_cents = refund,
                   withheld_cents = p_withheld,
                   withheld_reason = CASE WHEN p_withheld > 0 THEN p_reason END,
                   missing_components = coalesce(p_missing, '{}'),
                   checked_in_by = nullif(p_user, 0)
  WHERE id = ln.id;

  IF p_condition = 'ok' THEN
    item_status := leen_offer_item(it.id, (v_at AT TIME ZONE 'Europe/Brussels')::date);
  ELSE
    item_status := CASE p_condition WHEN 'needs_cleaning' THEN 'cleaning' ELSE 'in_repair' END;
    UPDATE items SET status = item_status, reserved_for = NULL, status_changed_at = now(),
                     version = version + 1
    WHERE id = it.id;
  END IF;

  loan_id := ln.id;
  deposit := ln.deposit_cents;
  library_id := it.library_id;
  household_id := ln.household_id;
  method := ln.deposit_method;
  child_id := ln.child_id;
END $$;

-- Check-out: one call, one transaction. Returns the loan.
CREATE FUNCTION leen_checkout(p_user bigint, p_org bigint, p_libs bigint[], p_item text,
                              p_household integer, p_child bigint, p_at timestamptz,
                              p_method text)
RETURNS SETOF leen_loan_rows LANGUAGE plpgsql AS $$
DECLARE
  c record;
  v_at timestamptz := coalesce(p_at, now());
BEGIN
  SELECT * INTO c FROM leen_checkout_core(p_user, p_org, p_libs, p_item, p_household, p_child,
                                          v_at, coalesce(p_method, 'cash'), NULL);
  PERFORM leen_post(nextval('ledger_journal_seq'), 'deposit_taken', coalesce(p_method, 'cash'),
                    'deposits_held', c.deposit, c.household_id, c.library_id, c.loan_id, NULL,
                    p_user, v_at);
  INSERT INTO audit (user_id, action, entity, entity_id, details)
  VALUES (nullif(p_user, 0), 'loan.checkout', 'loan', c.loan_id::text,
          jsonb_build_object('item', p_item, 'household', p_household,
                             'deposit_cents', c.deposit, 'back_dated', p_at IS NOT NULL));
  RETURN QUERY SELECT * FROM leen_loan_rows v WHERE v.id = c.loan_id;
END $$;

-- Return: one call, one transaction. Returns the closed loan; its
-- item_status is the item's status after the return.
CREATE FUNCTION leen_return(p_user bigint, p_org bigint, p_libs bigint[], p_item text,
                            p_condition text, p_withheld bigint, p_reason text,
                            p_missing text[], p_at timestamptz)
RETURNS SETOF leen_loan_rows LANGUAGE plpgsql AS $$
DECLARE
  r record;
  v_journal bigint;
  v_withheld bigint := coalesce(p_withheld, 0);
BEGIN
  SELECT * INTO r FROM leen_return_core(p_user, p_org, p_libs, p_item, coalesce(p_condition, 'ok'),
                                        v_withheld, p_reason, coalesce(p_missing, '{}'), p_at,
                                        '/item');
  IF r.deposit > 0 THEN
    v_journal := nextval('ledger_journal_seq');
    PERFORM leen_post(v_journal, 'deposit_refunded', 'deposits_held', r.method, r.refund,
                      r.household_id, r.library_id, r.loan_id, NULL, p_user, p_at);
    PERFORM leen_post(v_journal, 'deposit_withheld', 'deposits_held', 'withheld_income',
                      v_withheld, r.household_id, r.library_id, r.loan_id, p_reason, p_user, p_at);
  END IF;
  INSERT INTO audit (user_id, action, entity, entity_id, details)
  VALUES (nullif(p_user, 0), 'loan.return', 'loan', r.loan_id::text,
          jsonb_build_object('item', p_item, 'condition', coalesce(p_condition, 'ok'),
                             'refund_cents', r.refund, 'withheld_cents', v_withheld,
                             'item_status', r.item_status));
  RETURN QUERY SELECT * FROM leen_loan_rows v WHERE v.id = r.loan_id;
END $$;

-- Swap: return one item and lend another to the same household in one
-- transaction. The deposit carries over and only the difference moves:
-- deposit_taken on the new loan when it costs more, deposit_refunded on
-- the old loan when it costs less. The old loan counts as fully refunded.
-- Returns two rows: the returned loan, then the new loan.
CREATE FUNCTION leen_swap(p_user bigint, p_org bigint, p_libs bigint[], p_return_item text,
                          p_item text, p_condition text, p_method text)
RETURNS SETOF leen_loan_rows LANGUAGE plpgsql AS $$
DECLARE
  r record;
  c record;
  v_number integer;
  v_old_lib bigint;
  v_new_lib bigint;
  v_delta bigint;
  v_journal bigint;
BEGIN
  IF p_return_item = p_item THEN
    RAISE EXCEPTION 'an item cannot be swapped for itself'
      USING ERRCODE = 'LNC02', COLUMN = '/item';
  END IF;
  -- Both items locked in one order, so two swaps of the same pair wait
  -- for each other instead of deadlocking.
  PERFORM 1 FROM items WHERE code IN (p_return_item, p_item) ORDER BY id FOR NO KEY UPDATE;
  SELECT library_id INTO v_old_lib FROM items WHERE code = p_return_item;
  SELECT library_id INTO v_new_lib FROM items WHERE code = p_item;
  IF v_new_lib IS NULL THEN
    RAISE EXCEPTION 'no item "%"', p_item USING ERRCODE = 'LNC01', COLUMN = '/item';
  END IF;
  IF v_old_lib IS NOT NULL AND v_old_lib <> v_new_lib THEN
    RAISE EXCEPTION 'a swap stays within one library' USING ERRCODE = 'LNC02', COLUMN = '/item';
  END IF;

  SELECT * INTO r FROM leen_return_core(p_user, p_org, p_libs, p_return_item,
                                        coalesce(p_condition, 'ok'), 0, NULL, '{}', NULL,
                                        '/return_item');
  SELECT number INTO v_number FROM households WHERE id = r.household_id;
  SELECT * INTO c FROM leen_checkout_core(p_user, p_org, p_libs, p_item, v_number, r.child_id,
                                          now(), coalesce(p_method, r.method), r.loan_id);
  v_delta := c.deposit - r.deposit;
  v_journal := nextval('ledger_journal_seq');
  IF v_delta > 0 THEN
    PERFORM leen_post(v_journal, 'deposit_taken', coalesce(p_method, r.method), 'deposits_held',
                      v_delta, r.household_id, r.library_id, c.loan_id, NULL, p_user, NULL);
  ELSIF v_delta < 0 THEN
    PERFORM leen_post(v_journal, 'deposit_refunded', 'deposits_held', r.method, -v_delta,
                      r.household_id, r.library_id, r.loan_id, NULL, p_user, NULL);
  END IF;
  INSERT INTO audit (user_id, action, entity, entity_id, details)
  VALUES (nullif(p_user, 0), 'loan.swap', 'loan', c.loan_id::text,
          jsonb_build_object('returned_loan', r.loan_id, 'return_item', p_return_item,
                             'item', p_item, 'household', v_number,
                             'deposit_delta_cents', v_delta, 'item_status', r.item_status));
  RETURN QUERY SELECT * FROM leen_loan_rows v WHERE v.id IN (r.loan_id, c.loan_id) ORDER BY v.id;
END $$;

-- Renew: the new due date is the first session on or after today plus the
-- category's loan days; refused while a reservation waits for the item or
-- its category (one whose wanted date comes before the new due date).
CREATE FUNCTION leen_renew(p_user bigint, p_org bigint, p_libs bigint[], p_loan bigint)
RETURNS SETOF leen_loan_rows LANGUAGE plpgsql AS $$
DECLARE
  ln record;
  v_due date;
  v_today date;
BEGIN
  SELECT o.id, o.item_id, o.library_id, o.due_on, o.returned_at, i.category_id, i.code,
         c.loan_days, l.org_id
  INTO ln
  FROM loans o
  JOIN items i ON i.id = o.item_id
  JOIN categories c ON c.id = i.category_id
  JOIN libraries l ON l.id = o.library_id
  WHERE o.id = p_loan
  FOR NO KEY UPDATE OF o;
  IF NOT FOUND OR (p_org <> 0 AND ln.org_id <> p_org) THEN
    RAISE EXCEPTION 'no loan %', p_loan USING ERRCODE = 'LNC01';
  END IF;
  IF p_libs IS NOT NULL AND NOT (ln.library_id = ANY (p_libs)) THEN
    RAISE EXCEPTION 'you do not work in the library of loan %', p_loan USING ERRCODE = 'LND01';
  END IF;
  IF ln.returned_at IS NOT NULL THEN
    RAISE EXCEPTION 'loan % was already returned', p_loan USING ERRCODE = 'LNA02';
  END IF;
  v_today := (now() AT TIME ZONE 'Europe/Brussels')::date;
  SELECT min(s.day) INTO v_due
  FROM leen_sessions(ln.library_id, v_today + ln.loan_days, v_today + ln.loan_days + 42) s;
  v_due := coalesce(v_due, leen_due_date(ln.library_id, v_today, ln.loan_days));
  IF EXISTS (SELECT 1 FROM reservations r
             WHERE r.status = 'waiting' AND r.wanted_from <= v_due
               AND (r.item_id = ln.item_id
                    OR (r.item_id IS NULL AND r.category_id = ln.category_id))) THEN
    RAISE EXCEPTION 'another household is waiting for item "%"', ln.code
      USING ERRCODE = 'LNA04', DETAIL = 'return the item so it goes to the household in line';
  END IF;
  UPDATE loans SET due_on = v_due, renewals = renewals + 1 WHERE id = ln.id;
  INSERT INTO audit (user_id, action, entity, entity_id, details)
  VALUES (nullif(p_user, 0), 'loan.renew', 'loan', ln.id::text,
          jsonb_build_object('due_on_before', to_char(ln.due_on, 'YYYY-MM-DD'),
                             'due_on', to_char(v_due, 'YYYY-MM-DD')));
  RETURN QUERY SELECT * FROM leen_loan_rows v WHERE v.id = ln.id;
END $$;

-- A household starts waiting for a category (p_category) or one item
-- (p_item) from a day. A wait for one item that is available now is
-- served at once: the item is set aside for the household.
CREATE FUNCTION leen_reservation_create(p_user bigint, p_org bigint, p_libs bigint[],
                                        p_household integer, p_category bigint, p_item text,
                                        p_wanted date)
RETURNS SETOF leen_reservation_rows LANGUAGE plpgsql AS $$
DECLARE
  v_lib bigint;
  v_org bigint;
  v_item bigint;
  v_status text;
  v_hh bigint;
  v_id bigint;
  v_today date := (now() AT TIME ZONE 'Europe/Brussels')::date;
BEGIN
  IF p_item IS NOT NULL THEN
    SELECT i.id, i.library_id, i.status, l.org_id INTO v_item, v_lib, v_status, v_org
    FROM items i JOIN libraries l ON l.id = i.library_id
    WHERE i.code = p_item
    FOR NO KEY UPDATE OF i;
    IF v_item IS NULL OR (p_org <> 0 AND v_org <> p_org) THEN
      RAISE EXCEPTION 'no item "%"', p_item USING ERRCODE = 'LNC01', COLUMN = '/item';
    END IF;
    IF v_status IN ('retired', 'lost') THEN
      RAISE EXCEPTION 'item "%" is no longer lent', p_item
        USING ERRCODE = 'LNA01', COLUMN = '/item';
    END IF;
  ELSE
    SELECT c.library_id, l.org_id INTO v_lib, v_org
    FROM categories c JOIN libraries l ON l.id = c.library_id
    WHERE c.id = p_category;
    IF v_lib IS NULL OR (p_org <> 0 AND v_org <> p_org) THEN
      RAISE EXCEPTION 'no category %', p_category USING ERRCODE = 'LNC01', COLUMN = '/category';
    END IF;
  END IF;
  IF p_libs IS NOT NULL AND NOT (v_lib = ANY (p_libs)) THEN
    RAISE EXCEPTION 'you do not work in this library' USING ERRCODE = 'LND01';
  END IF;
  -- The household row is locked so that one household cannot queue twice
  -- for the same thing from two counters at once.
  SELECT h.id INTO v_hh FROM households h
  WHERE h.number = p_household AND h.org_id = v_org AND h.anonymized_at IS NULL
  FOR NO KEY UPDATE;
  IF v_hh IS NULL THEN
    RAISE EXCEPTION 'no household %', p_household USING ERRCODE = 'LNC01', COLUMN = '/household';
  END IF;
  IF EXISTS (SELECT 1 FROM reservations r
             WHERE r.household_id = v_hh AND r.status IN ('waiting', 'offered')
               AND ((v_item IS NOT NULL AND r.item_id = v_item)
                    OR (v_item IS NULL AND r.item_id IS NULL AND r.category_id = p_category))) THEN
    RAISE EXCEPTION 'household % is already waiting for this', p_household USING ERRCODE = 'LNA04';
  END IF;
  IF v_item IS NOT NULL
     AND EXISTS (SELECT 1 FROM loans o WHERE o.item_id = v_item AND o.household_id = v_hh
                   AND o.returned_at IS NULL) THEN
    RAISE EXCEPTION 'household % has item "%" already', p_household, p_item USING ERRCODE = 'LNA04';
  END IF;

  INSERT INTO reservations (library_id, household_id, category_id, item_id, wanted_from, created_by)
  VALUES (v_lib, v_hh, CASE WHEN v_item IS NULL THEN p_category END, v_item,
          coalesce(p_wanted, v_today), nullif(p_user, 0))
  RETURNING id INTO v_id;
  IF v_item IS NOT NULL AND v_status = 'available' AND coalesce(p_wanted, v_today) <= v_today THEN
    PERFORM leen_offer_item(v_item, v_today);
  END IF;
  INSERT INTO audit (user_id, action, entity, entity_id, details)
  VALUES (nullif(p_user, 0), 'reservation.create', 'reservation', v_id::text,
          jsonb_build_object('household', p_household, 'category', p_category, 'item', p_item,
                             'wanted_from', to_char(coalesce(p_wanted, v_today), 'YYYY-MM-DD')));
  RETURN QUERY SELECT * FROM leen_reservation_rows v WHERE v.id = v_id;
END $$;

-- Cancels a waiting or offered reservation; an item set aside for it goes
-- to the next household in line, or back to available.
CREATE FUNCTION leen_reservation_cancel(p_user bigint, p_org bigint, p_libs bigint[], p_id bigint)
RETURNS SETOF leen_reservation_rows LANGUAGE plpgsql AS $$
DECLARE
  r record;
  v_offered bigint;
BEGIN
  -- The item comes first in the lock order (as in check-out and return).
  SELECT offered_item INTO v_offered FROM reservations WHERE id = p_id;
  IF v_offered IS NOT NULL THEN
    PERFORM 1 FROM items WHERE id = v_offered FOR NO KEY UPDATE;
  END IF;
  SELECT x.id, x.status, x.household_id, x.library_id, x.offered_item, l.org_id INTO r
  FROM reservations x JOIN libraries l ON l.id = x.library_id
  WHERE x.id = p_id
  FOR NO KEY UPDATE OF x;
  IF NOT FOUND OR (p_org <> 0 AND r.org_id <> p_org) THEN
    RAISE EXCEPTION 'no reservation %', p_id USING ERRCODE = 'LNC01';
  END IF;
  IF p_libs IS NOT NULL AND NOT (r.library_id = ANY (p_libs)) THEN
    RAISE EXCEPTION 'you do not work in the library of reservation %', p_id USING ERRCODE = 'LND01';
  END IF;
  IF r.status NOT IN ('waiting', 'offered') THEN
    RAISE EXCEPTION 'reservation % is already %', p_id, r.status USING ERRCODE = 'LNA04';
  END IF;
  IF r.offered_item IS DISTINCT FROM v_offered THEN
    -- offered meanwhile: the item is not locked yet; let the caller retry
    RAISE EXCEPTION 'reservation % changed, try again', p_id USING ERRCODE = '40001';
  END IF;
  UPDATE reservations SET status = 'cancelled', offered_item = NULL, closed_at = now()
  WHERE id = p_id;
  IF r.offered_item IS NOT NULL THEN
    PERFORM leen_offer_item(r.offered_item, (now() AT TIME ZONE 'Europe/Brussels')::date)
    FROM items i
    WHERE i.id = r.offered_item AND i.status = 'reserved' AND i.reserved_for = r.household_id;
  END IF;
  INSERT INTO audit (user_id, action, entity, entity_id, details)
  VALUES (nullif(p_user, 0), 'reservation.cancel', 'reservation', p_id::text,
          jsonb_build_object('status_before', r.status));
  RETURN QUERY SELECT * FROM leen_reservation_rows v WHERE v.id = p_id;
END $$;
