-- Flanders-scale data for bench/stats.sh, set-based (no row by row):
-- at scale 1, 300 libraries (half Babytheek, half Fietsbieb) of one org,
-- 100 000 households, about 5 million loans over the ten years up to
-- 2026-11-01, their deposits and membership fees in the ledger, and
-- reservations. Per-library density does not depend on the scale, so a
-- small scale times one library-month as the full one does.
-- psql -v scale=1 -f stats_gen.sql on a freshly migrated database.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
-- the data is consistent by construction: skip triggers and foreign-key
-- checks while loading (the ledger's balance trigger would run per row)
SET session_replication_role = replica;
SET TIME ZONE 'Europe/Brussels';
SET jit = off;
SELECT setseed(0.42);

SELECT greatest(2, round(300 * :scale)::int / 2 * 2) AS nlib,
       greatest(20, round(100000 * :scale)::int) AS nhh \gset
\set ipl 250
\set t0 '''2016-11-01 00:00+01'''
\set t1 '''2026-11-01 00:00+01'''
\echo generating :nlib libraries, :nhh households, :ipl items per library

-- Bulk loads go faster without secondary indexes: drop them now and
-- build them again (from their own definitions) once the rows are in.
CREATE TEMP TABLE saved_indexes AS
  SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
  WHERE i.indrelid IN ('loans'::regclass, 'ledger'::regclass, 'memberships'::regclass,
                       'households'::regclass, 'reservations'::regclass)
    AND NOT i.indisprimary AND NOT i.indisunique;
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT * FROM saved_indexes LOOP EXECUTE format('DROP INDEX %I', r.name); END LOOP;
END $$;

INSERT INTO users (id, org_id, username, password_hash, role)
VALUES (1000000, 1, 'bench-social', 'x', 'social_worker');

INSERT INTO libraries (id, org_id, slug, name, kind, code_prefix, fee_cents, social_fee_cents,
                       fee_per, default_loan_days, targets)
SELECT i, 1,
       format('%s-%s', CASE WHEN i % 2 = 1 THEN 'bt' ELSE 'fb' END, lpad(i::text, 4, '0')),
       format('%s %s', CASE WHEN i % 2 = 1 THEN 'Babytheek' ELSE 'Fietsbieb' END, i),
       CASE WHEN i % 2 = 1 THEN 'babytheek' ELSE 'fietsbieb' END,
       chr(65 + (i / 676) % 26) || chr(65 + (i / 26) % 26) || chr(65 + i % 26),
       CASE WHEN i % 2 = 1 THEN 3000 ELSE 2000 END, 500,
       CASE WHEN i % 2 = 1 THEN 'household' ELSE 'slot' END,
       CASE WHEN i % 2 = 1 THEN 28 ELSE 365 END,
       '{"new_households_6m": 40, "reduced_share_min": 25, "reduced_share_max": 50,
         "loans_per_session": 10}'
FROM generate_series(1, :nlib) AS i;

INSERT INTO schedule_rules (library_id, freq, nth, weekday, starts_at, ends_at, closed_months)
SELECT i, 'weekly', NULL, 3, time '14:00', time '17:00', '{}'::int[] FROM generate_series(1, :nlib, 2) AS i
UNION ALL
SELECT i, 'monthly', 3, 6, '10:00', '12:00', '{}' FROM generate_series(1, :nlib) AS i
UNION ALL
SELECT i, 'monthly', 1, 6, '10:00', '12:00', '{1}' FROM generate_series(2, :nlib, 2) AS i;

INSERT INTO schedule_exceptions (library_id, kind, from_date, to_date)
SELECT i, 'closed', make_date(y, 12, 24), make_date(y, 12, 31)
FROM generate_series(1, :nlib) AS i, generate_series(2016, 2026) AS y;

INSERT INTO categories (id, library_id, name, deposit_cents, loan_days)
SELECT i * 10 + c, i, format('Categorie %s', c),
       CASE WHEN i % 2 = 1 THEN 0 ELSE 2000 END, CASE WHEN i % 2 = 1 THEN 28 ELSE 365 END
FROM generate_series(1, :nlib) AS i, generate_series(1, 2) AS c;

-- Items: most there from the start, some bought later, 3 % retired.
INSERT INTO items (id, library_id, category_id, number, code, name, status, created_at,
                   status_changed_at)
SELECT (x.lib - 1) * :ipl + x.k, x.lib, x.lib * 10 + 1 + x.k % 2, x.k,
       x.prefix || lpad(x.k::text, 4, '0'), format('Voorwerp %s', x.k),
       CASE WHEN x.r2 < 0.03 THEN 'retired' ELSE 'available' END, x.created,
       CASE WHEN x.r2 < 0.03 THEN x.created + x.r2 / 0.03 * interval '3650 days' ELSE x.created END
FROM (SELECT l.id AS lib, l.code_prefix AS prefix, k, random() AS r2,
             CASE WHEN random() < 0.9 THEN :t0::timestamptz - interval '30 days'
                  ELSE :t0::timestamptz + random() * interval '3000 days' END AS created
      FROM libraries l, generate_series(1, :ipl) AS k) AS x;

-- Households: household h belongs to library ((h - 1) % nlib) + 1; a
-- library's families live in a handful of postcodes.
INSERT INTO households (id, org_id, number, name, postcode, created_at)
SELECT h, 1, h, format('Gezin %s', h),
       (1000 + ((h - 1) % :nlib) * 29 % 8900 + ((h - 1) / :nlib) % 5)::text, :t0
FROM generate_series(1, :nhh) AS h;

-- Memberships: one to four yearly terms from a random start; a fifth of
-- the families also joins the sibling library; 30 % have a reduction.
CREATE TEMP TABLE hh AS
SELECT h AS id, (h - 1) % :nlib + 1 AS lib,
       (:t0::timestamptz + random() * interval '3600 days')::date AS first_from,
       1 + floor(random() * 4)::int AS terms, random() < 0.3 AS reduced, random() < 0.2 AS both
FROM generate_series(1, :nhh) AS h;

INSERT INTO reductions (org_id, household_id, level, valid_from, valid_until, issued_by, issued_at)
SELECT 1, id, 'social', first_from - 20, first_from + 730, 1000000, first_from - 20
FROM hh WHERE reduced;

INSERT INTO memberships (household_id, library_id, valid_from, valid_until, slots, fee_cents,
                         reduction_cents, created_at)
SELECT m.id, m.lib, m.valid_from, m.valid_from + 364, 1, m.fee,
       CASE WHEN m.reduced AND m.valid_from <= m.first_from + 730 THEN m.fee - 500 ELSE 0 END,
       m.valid_from
FROM (SELECT hh.id, hh.lib, hh.first_from, hh.reduced, hh.first_from + 365 * t AS valid_from,
             CASE WHEN hh.lib % 2 = 1 THEN 3000 ELSE 2000 END AS fee
      FROM hh, generate_series(0, 3) AS t WHERE t < hh.terms
      UNION ALL
      SELECT hh.id, CASE WHEN hh.lib % 2 = 1 THEN hh.lib + 1 ELSE hh.lib - 1 END, hh.first_from,
             hh.reduced, hh.first_from + 30, CASE WHEN hh.lib % 2 = 1 THEN 2000 ELSE 3000 END
      FROM hh WHERE hh.both) AS m
WHERE m.valid_from < :t1::date;

-- Loans: each item lends out back to back for ten years, a Babytheek item
-- 120 times (two to four weeks each), a bike 23 times (100 to 150 days);
-- a loan still out on 2026-11-01 is open. Inserted in time order, as a
-- real table fills, so one library's loans are spread over the heap.
-- 15 % of bike loans are swaps.
CREATE TEMP SEQUENCE loan_ids;
INSERT INTO loans (id, item_id, household_id, library_id, started_at, due_on, deposit_cents,
                   returned_at, return_condition, refund_cents, withheld_cents, swapped_from)
SELECT nextval('loan_ids'), x.item_id, x.household_id, x.library_id, x.started_at,
       (x.started_at + x.loan_days * interval '1 day')::date, x.deposit,
       CASE WHEN x.returned_at < :t1 THEN x.returned_at END,
       CASE WHEN x.returned_at < :t1 THEN 'ok' END,
       CASE WHEN x.returned_at < :t1 THEN x.deposit END,
       CASE WHEN x.returned_at < :t1 THEN 0 END,
       NULL
FROM (SELECT it.id AS item_id, it.library_id,
             it.library_id + :nlib * floor(random() * (:nhh / :nlib))::int AS household_id,
             s.started_at, s.started_at + s.days * interval '1 day' AS returned_at,
             s.loan_days, s.deposit
      FROM items it
      CROSS JOIN LATERAL (SELECT CASE WHEN it.library_id % 2 = 1 THEN 120 ELSE 23 END AS n,
                                 CASE WHEN it.library_id % 2 = 1 THEN 28 ELSE 365 END AS loan_days,
                                 CASE WHEN it.library_id % 2 = 1 THEN 0 ELSE 2000 END AS deposit,
                                 CASE WHEN it.library_id % 2 = 1 THEN 14 ELSE 100 END AS min_days,
                                 CASE WHEN it.library_id % 2 = 1 THEN 14 ELSE 50 END AS spread) AS k
      CROSS JOIN LATERAL generate_series(0, k.n - 1) AS j
      CROSS JOIN LATERAL (
        SELECT :t0::timestamptz
               + (j * 3650.0 / k.n + random() * (3650.0 / k.n - k.min_days - k.spread - 1))
                 * interval '1 day' AS started_at,
               k.min_days + random() * k.spread AS days,
               k.loan_days, k.deposit) AS s
      -- an item lends only between its purchase and its retirement
      WHERE s.started_at < :t1 AND s.started_at >= it.created_at
        AND (it.status <> 'retired'
             OR s.started_at + s.days * interval '1 day' < it.status_changed_at)) AS x
ORDER BY x.started_at;

UPDATE loans SET swapped_from = id - 1
WHERE library_id % 2 = 0 AND id > 1 AND id % 7 = 0;

-- Ledger: fee, reduction and payment per membership; deposit taken and
-- refunded per bike loan. Every journal balances. In time order.
CREATE TEMP SEQUENCE journal_ids;
INSERT INTO ledger (journal_id, kind, account, amount_cents, household_id, library_id, loan_id,
                    membership_id, created_at)
SELECT j.journal, l.kind, l.account, l.amount, j.household_id, j.library_id, j.loan_id,
       j.membership_id, j.at
FROM (SELECT nextval('journal_ids') AS journal, e.*
      FROM (SELECT m.household_id, m.library_id, NULL::bigint AS loan_id, m.id AS membership_id,
                   m.valid_from + time '14:30' AS at, 'fee' AS what, m.fee_cents AS amount,
                   m.reduction_cents AS reduction
            FROM memberships m
            UNION ALL
            SELECT lo.household_id, lo.library_id, lo.id, NULL, lo.started_at, 'taken',
                   lo.deposit_cents, 0
            FROM loans lo WHERE lo.deposit_cents > 0
            UNION ALL
            SELECT lo.household_id, lo.library_id, lo.id, NULL, lo.returned_at, 'refunded',
                   lo.refund_cents, 0
            FROM loans lo WHERE lo.deposit_cents > 0 AND lo.returned_at IS NOT NULL) AS e
      ORDER BY e.at) AS j
CROSS JOIN LATERAL (
  VALUES ('membership_fee', 'household', j.amount, j.what = 'fee'),
         ('membership_fee', 'fee_income', -j.amount, j.what = 'fee'),
         ('fee_reduction', 'fee_reduction', j.reduction, j.what = 'fee' AND j.reduction > 0),
         ('fee_reduction', 'household', -j.reduction, j.what = 'fee' AND j.reduction > 0),
         ('payment', 'cash', j.amount - j.reduction, j.what = 'fee'),
         ('payment', 'household', j.reduction - j.amount, j.what = 'fee'),
         ('deposit_taken', 'cash', j.amount, j.what = 'taken'),
         ('deposit_taken', 'deposits_held', -j.amount, j.what = 'taken'),
         ('deposit_refunded', 'deposits_held', j.amount, j.what = 'refunded'),
         ('deposit_refunded', 'cash', -j.amount, j.what = 'refunded')) AS l(kind, account, amount, keep)
WHERE l.keep;

-- Reservations: a hundred per library; the recent ones still wait.
INSERT INTO reservations (library_id, household_id, category_id, wanted_from, status, created_at,
                          closed_at)
SELECT r.lib, r.lib + :nlib * floor(random() * (:nhh / :nlib))::int, r.lib * 10 + 1,
       r.created::date, CASE WHEN r.created < :t1::timestamptz - interval '60 days'
                             THEN 'fulfilled' ELSE 'waiting' END,
       r.created, CASE WHEN r.created < :t1::timestamptz - interval '60 days'
                       THEN r.created + random() * interval '50 days' END
FROM (SELECT l.id AS lib, :t0::timestamptz + random() * interval '3650 days' AS created
      FROM libraries l, generate_series(1, 100)) AS r;

SELECT setval('loans_id_seq', (SELECT max(id) FROM loans));
SELECT setval('ledger_journal_seq', (SELECT max(journal_id) FROM ledger));
SELECT setval('households_id_seq', :nhh);
SELECT setval('household_number_seq', :nhh + 1);
SELECT setval('items_id_seq', (SELECT max(id) FROM items));
SELECT setval('libraries_id_seq', :nlib);
SELECT setval('categories_id_seq', (SELECT max(id) FROM categories));

\echo building indexes
SET maintenance_work_mem = '512MB';
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT * FROM saved_indexes LOOP EXECUTE r.def; END LOOP;
END $$;
RESET session_replication_role;
