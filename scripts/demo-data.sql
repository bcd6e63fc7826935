-- Demo data for leen: Stad Izegem with a Babytheek and a Fietsbieb, about
-- 150 items, 80 households and thirteen months of memberships, loans,
-- returns, swaps and reservations up to yesterday, with a balanced ledger.
--
-- scripts/demo runs this once, on a freshly migrated database (no users
-- yet), then creates the demo logins itself. It only relies on the schema
-- of sql/0001 and sql/0002 and writes the rows directly (no core calls),
-- so it keeps every invariant by construction:
--   * an item is on_loan exactly when it has an open loan, and its loans
--     never overlap in time (a loan only starts on an available item);
--   * a household never has more open loans in a library than the slots
--     of its membership there;
--   * reserved_for is set exactly when an item is reserved, for the
--     household whose reservation was offered that item;
--   * every ledger journal is one posting of two lines that sum to zero,
--     dated at the moment of the event (the deferred trigger checks).
-- Dates are relative to current_date so the data stays fresh; the random
-- choices come from md5 of a key (pg_temp.demo_u), so they do not depend
-- on the order in which PostgreSQL evaluates rows.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TIME ZONE 'Europe/Brussels';

BEGIN;

-- A number in [0, 1) drawn from a key: the same key, the same number.
CREATE FUNCTION pg_temp.demo_u(p_key text) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$
  SELECT ('x' || substr(md5(p_key), 1, 8))::bit(32)::bigint / 4294967296.0::double precision
$$;

-- Whole months from a birth month to a day (negative before birth).
CREATE FUNCTION pg_temp.demo_age(p_birth date, p_day date) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
  SELECT ((extract(year FROM p_day) - extract(year FROM p_birth)) * 12
          + extract(month FROM p_day) - extract(month FROM p_birth))::integer
$$;

-- ---------------------------------------------------------------------
-- The org, the system user and the two libraries
-- ---------------------------------------------------------------------

UPDATE orgs SET slug = 'izegem', name = 'Stad Izegem'
WHERE id = (SELECT min(id) FROM orgs);

-- The rows below need a user (issued_by, checked_out_by...). This one
-- cannot log in: '!' is no password hash.
INSERT INTO users (org_id, username, password_hash, role, created_at)
SELECT id, 'demo-system', '!', 'admin', current_date - 480 FROM orgs WHERE slug = 'izegem';

-- Its id, kept in a transaction-local setting: looked up thousands of times.
DO $$ BEGIN
  PERFORM set_config('leen_demo.sys', id::text, true) FROM users WHERE username = 'demo-system';
END $$;
CREATE FUNCTION pg_temp.demo_sys() RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT current_setting('leen_demo.sys')::bigint
$$;

-- Babytheek: social_deposit_percent 0. The families it serves are the
-- ones a deposit would keep away, and its social tariff of EUR 5 covers
-- all five items; the Fietsbieb asks half the deposit instead, as bikes
-- cost more and go further from home.
INSERT INTO libraries (org_id, slug, name, kind, code_prefix, fee_cents, social_fee_cents, fee_per,
                       social_deposit_percent, membership_months, max_slots, default_loan_days,
                       targets, created_at)
SELECT o.id, v.slug, v.name, v.kind, v.prefix, v.fee, v.social_fee, v.fee_per, v.dep_pct, 12,
       v.max_slots, v.loan_days,
       '{"new_households_6m": 40, "reduced_share_min": 25, "reduced_share_max": 50,
         "loans_per_session": 10}'::jsonb,
       current_date - 470
FROM orgs o,
     (VALUES ('babytheek', 'Babytheek Izegem', 'babytheek', 'BT', 3000, 500, 'household', 0, 5, 90),
             ('fietsbieb', 'Fietsbieb Izegem', 'fietsbieb', 'FB', 2000, 500, 'slot', 50, 4, 365))
       AS v (slug, name, kind, prefix, fee, social_fee, fee_per, dep_pct, max_slots, loan_days)
WHERE o.slug = 'izegem';

INSERT INTO schedule_rules (library_id, freq, nth, weekday, starts_at, ends_at, closed_months)
SELECT l.id, v.freq, v.nth, v.weekday, v.starts_at::time, v.ends_at::time, v.closed::integer[]
FROM libraries l
JOIN (VALUES ('babytheek', 'weekly', NULL, 3, '14:00', '17:00', '{}'),
             ('babytheek', 'monthly', 1, 6, '10:00', '12:00', '{}'),
             ('fietsbieb', 'monthly', 3, 6, '10:00', '12:00', '{1}'))
  AS v (slug, freq, nth, weekday, starts_at, ends_at, closed) ON v.slug = l.slug;

-- The Babytheek closes for the Christmas holidays; the Fietsbieb held one
-- extra morning at the start of the cycling season (a first Saturday).
INSERT INTO schedule_exceptions (library_id, kind, from_date, to_date, starts_at, ends_at, note,
                                 created_by, created_at)
SELECT l.id, 'closed', make_date(y, 12, 24), make_date(y + 1, 1, 1), NULL, NULL,
       'Kerstvakantie', pg_temp.demo_sys(), least(make_date(y, 11, 1), current_date - 1)
FROM libraries l,
     generate_series(extract(year FROM current_date)::integer - 1,
                     extract(year FROM current_date)::integer) AS y
WHERE l.slug = 'babytheek';

INSERT INTO schedule_exceptions (library_id, kind, from_date, to_date, starts_at, ends_at, note,
                                 created_by, created_at)
SELECT l.id, 'open', d, d, '10:00', '12:00', 'Extra opening: start fietsseizoen',
       pg_temp.demo_sys(), d - 30
FROM libraries l,
     LATERAL (SELECT m + ((13 - extract(isodow FROM m)::integer) % 7) AS d
              FROM (SELECT date_trunc('month', current_date - 180)::date AS m) x) f
WHERE l.slug = 'fietsbieb';

-- ---------------------------------------------------------------------
-- Categories and items
-- ---------------------------------------------------------------------

CREATE TEMP TABLE demo_cat (
  slug text, name text, deposit bigint, loan_days integer, components text[],
  min_age integer, max_age integer, safety boolean, want double precision, sort integer
) ON COMMIT DROP;
-- want: the share of Babytheek families that ask for the category.
INSERT INTO demo_cat VALUES
  ('babytheek', 'Kinderwagen', 2500, 90, '{regenhoes,zonnekap,draagmand}', 0, 36, false, 0.8, 1),
  ('babytheek', 'Buggy', 1500, 90, '{regenhoes}', 6, 36, false, 0.3, 2),
  ('babytheek', 'Babybedje', 2000, 180, '{matras,hoeslaken}', 0, 24, false, 0.6, 3),
  ('babytheek', 'Park', 1500, 90, '{bodem}', 3, 24, false, 0.35, 4),
  ('babytheek', 'Badje', 500, 90, '{badstandaard}', 0, 12, false, 0.6, 5),
  ('babytheek', 'Autostoel', 1500, 180, '{zonnekap,verkleinkussen}', 0, 15, true, 0.7, 6),
  ('babytheek', 'Draagdoek', 1000, 60, '{}', 0, 12, false, 0.35, 7),
  ('babytheek', 'Speelmat', 500, 90, '{speelboog}', 0, 12, false, 0.5, 8),
  ('babytheek', 'Kinderstoel', 1000, 180, '{tafelblad}', 6, 36, false, 0.5, 9),
  ('babytheek', 'Wipstoeltje', 500, 90, '{}', 0, 9, false, 0.4, 10),
  ('fietsbieb', 'Loopfiets', 2000, 365, '{}', 24, 60, false, 1, 11),
  ('fietsbieb', 'Fiets 12 inch', 2000, 365, '{bel,zijwieltjes}', 36, 60, false, 1, 12),
  ('fietsbieb', 'Fiets 14 inch', 2000, 365, '{bel,zijwieltjes}', 48, 78, false, 1, 13),
  ('fietsbieb', 'Fiets 16 inch', 2000, 365, '{bel,slot}', 60, 102, false, 1, 14),
  ('fietsbieb', 'Fiets 20 inch', 2000, 365, '{bel,slot,lichten}', 84, 126, false, 1, 15),
  ('fietsbieb', 'Fiets 24 inch', 2000, 365, '{bel,slot,lichten}', 108, 168, false, 1, 16),
  ('fietsbieb', 'Fietszitje', 1000, 365, '{bevestigingsbeugel}', 9, 48, false, 1, 17);

INSERT INTO categories (library_id, name, deposit_cents, loan_days, components, min_age_months,
                        max_age_months, safety_check, created_at)
SELECT l.id, c.name, c.deposit, c.loan_days, c.components, c.min_age, c.max_age, c.safety,
       current_date - 460
FROM demo_cat c JOIN libraries l ON l.slug = c.slug
ORDER BY c.sort;

-- Models: how many of each, their attributes and (rarely) their own deposit.
CREATE TEMP TABLE demo_model (
  cat text, model text, n integer, attrs jsonb, deposit bigint, sort integer
) ON COMMIT DROP;
INSERT INTO demo_model VALUES
  ('Kinderwagen', 'Joolz Day+', 3, '{"brand": "Joolz"}', NULL, 1),
  ('Kinderwagen', 'Bugaboo Fox', 2, '{"brand": "Bugaboo"}', NULL, 2),
  ('Kinderwagen', 'Mutsy Evo', 3, '{"brand": "Mutsy"}', NULL, 3),
  ('Kinderwagen', 'Quinny Zapp Flex', 3, '{"brand": "Quinny"}', NULL, 4),
  ('Kinderwagen', 'Joie Versatrax', 3, '{"brand": "Joie"}', NULL, 5),
  ('Buggy', 'Maclaren Quest', 3, '{"brand": "Maclaren"}', NULL, 1),
  ('Buggy', 'Babyzen Yoyo', 3, '{"brand": "Babyzen"}', NULL, 2),
  ('Babybedje', 'Childhome Evolux', 4, '{"brand": "Childhome", "size": "60x120"}', NULL, 1),
  ('Babybedje', 'Quax Loft', 3, '{"brand": "Quax", "size": "60x120"}', NULL, 2),
  ('Babybedje', 'Bopita Anne', 3, '{"brand": "Bopita", "size": "60x120"}', NULL, 3),
  ('Park', 'Childhome park', 2, '{"brand": "Childhome", "size": "75x95"}', NULL, 1),
  ('Park', 'Quax park', 2, '{"brand": "Quax", "size": "80x100"}', NULL, 2),
  ('Badje', 'Stokke Flexi Bath', 4, '{"brand": "Stokke"}', NULL, 1),
  ('Badje', 'Luma badje', 3, '{"brand": "Luma"}', NULL, 2),
  ('Badje', 'Bébé-Jou badje', 3, '{"brand": "Bébé-Jou"}', NULL, 3),
  ('Autostoel', 'Maxi-Cosi Pebble 360', 4, '{"brand": "Maxi-Cosi", "norm": "R129", "group": "0+"}', NULL, 1),
  ('Autostoel', 'Cybex Aton 5', 4, '{"brand": "Cybex", "norm": "R44/04", "group": "0+"}', NULL, 2),
  ('Autostoel', 'Joie i-Snug 2', 3, '{"brand": "Joie", "norm": "R129", "group": "0+"}', NULL, 3),
  ('Autostoel', 'Britax Römer Baby-Safe', 3, '{"brand": "Britax Römer", "norm": "R44/04", "group": "0+"}', NULL, 4),
  ('Draagdoek', 'Boba draagzak', 2, '{"brand": "Boba"}', NULL, 1),
  ('Draagdoek', 'Manduca draagzak', 2, '{"brand": "Manduca"}', NULL, 2),
  ('Draagdoek', 'Hoppediz geweven draagdoek', 2, '{"brand": "Hoppediz"}', NULL, 3),
  ('Draagdoek', 'Ergobaby Omni', 2, '{"brand": "Ergobaby"}', NULL, 4),
  ('Speelmat', 'Taf Toys speelmat', 4, '{"brand": "Taf Toys"}', NULL, 1),
  ('Speelmat', 'Fisher-Price speelmat', 4, '{"brand": "Fisher-Price"}', NULL, 2),
  ('Kinderstoel', 'Stokke Tripp Trapp', 3, '{"brand": "Stokke"}', NULL, 1),
  ('Kinderstoel', 'Childhome Evolu', 3, '{"brand": "Childhome"}', NULL, 2),
  ('Wipstoeltje', 'BabyBjörn Bliss', 2, '{"brand": "BabyBjörn"}', NULL, 1),
  ('Wipstoeltje', 'Fisher-Price wipstoeltje', 2, '{"brand": "Fisher-Price"}', NULL, 2),
  ('Loopfiets', 'Puky LR M', 4, '{"brand": "Puky", "wheel_inch": 12}', NULL, 1),
  ('Loopfiets', 'Woom 1', 3, '{"brand": "Woom", "wheel_inch": 12}', NULL, 2),
  ('Loopfiets', 'Btwin Run Ride 500', 3, '{"brand": "Btwin", "wheel_inch": 10}', NULL, 3),
  ('Fiets 12 inch', 'Btwin 12', 4, '{"brand": "Btwin", "wheel_inch": 12}', NULL, 1),
  ('Fiets 12 inch', 'Puky Youke 12', 4, '{"brand": "Puky", "wheel_inch": 12}', NULL, 2),
  ('Fiets 14 inch', 'Btwin 14', 6, '{"brand": "Btwin", "wheel_inch": 14}', NULL, 1),
  ('Fiets 14 inch', 'Woom 2', 4, '{"brand": "Woom", "wheel_inch": 14}', NULL, 2),
  ('Fiets 16 inch', 'Btwin 16', 6, '{"brand": "Btwin", "wheel_inch": 16}', NULL, 1),
  ('Fiets 16 inch', 'Puky Cyke 16', 3, '{"brand": "Puky", "wheel_inch": 16}', NULL, 2),
  ('Fiets 16 inch', 'Frog 44', 3, '{"brand": "Frog", "wheel_inch": 16}', NULL, 3),
  ('Fiets 20 inch', 'Btwin Riverside 20', 8, '{"brand": "Btwin", "wheel_inch": 20, "gears": 6}', NULL, 1),
  ('Fiets 20 inch', 'Woom 4', 3, '{"brand": "Woom", "wheel_inch": 20, "gears": 8}', NULL, 2),
  ('Fiets 20 inch', 'Cube Acid 200', 3, '{"brand": "Cube", "wheel_inch": 20, "gears": 7}', NULL, 3),
  ('Fiets 24 inch', 'Btwin Rockrider 24', 4, '{"brand": "Btwin", "wheel_inch": 24, "gears": 8}', NULL, 1),
  -- a dearer bike with its own deposit, so some swaps settle a difference
  ('Fiets 24 inch', 'Cube Acid 240', 2, '{"brand": "Cube", "wheel_inch": 24, "gears": 9}', 3000, 2),
  ('Fiets 24 inch', 'Frog 62', 2, '{"brand": "Frog", "wheel_inch": 24, "gears": 8}', NULL, 3),
  ('Fietszitje', 'Thule Yepp Maxi', 3, '{"brand": "Thule", "mount": "bagagedrager"}', NULL, 1),
  ('Fietszitje', 'Bobike Maxi', 3, '{"brand": "Bobike", "mount": "frame"}', NULL, 2);

INSERT INTO items (library_id, category_id, number, code, name, attributes, deposit_cents,
                   expires_on, safety_checked_on, created_at, status_changed_at)
SELECT x.library_id, x.category_id, x.number,
       x.prefix || lpad(x.number::text, 4, '0'),
       x.model || ' ' || x.color,
       x.attrs || jsonb_build_object('color', x.color),
       x.deposit,
       -- car seats last a few years; three are just past their date and
       -- one ran out this year (some are taken out of circulation when
       -- that happens, the others wait at the counter to be refused)
       CASE WHEN x.cat = 'Autostoel' THEN
         CASE WHEN x.k IN (3, 7, 11) THEN current_date - (12 + 9 * x.k)
              WHEN x.k = 13 THEN current_date - 270
              ELSE current_date + 150 + 97 * x.k END
       END,
       -- one new car seat still waits for its safety check
       CASE WHEN x.safety AND x.k <> 14 THEN x.created::date END,
       x.created, x.created
FROM (
  SELECT l.id AS library_id, c.id AS category_id, l.code_prefix AS prefix, m.cat, m.model,
         m.attrs, m.deposit, dc.safety,
         (row_number() OVER (PARTITION BY l.id ORDER BY dc.sort, m.sort, s))::integer AS number,
         (row_number() OVER (PARTITION BY c.id ORDER BY m.sort, s))::integer AS k,
         (ARRAY['rood', 'blauw', 'groen', 'zwart', 'grijs', 'wit', 'geel', 'oranje', 'roze',
                'beige'])[1 + floor(pg_temp.demo_u('color' || m.model || s) * 10)::integer]
           AS color,
         (current_date - 430 - floor(pg_temp.demo_u('bought' || m.model || s) * 300)::integer
           + time '11:00')::timestamptz AS created
  FROM demo_model m
  JOIN demo_cat dc ON dc.name = m.cat
  JOIN libraries l ON l.slug = dc.slug
  JOIN categories c ON c.library_id = l.id AND c.name = m.cat
  CROSS JOIN LATERAL generate_series(1, m.n) AS s
) x;

UPDATE libraries l SET next_item_number = 1 + (SELECT max(number) FROM items i WHERE i.library_id = l.id);

-- ---------------------------------------------------------------------
-- Households, children and reductions
-- ---------------------------------------------------------------------

CREATE TEMP TABLE demo_ctx ON COMMIT DROP AS
SELECT (current_date - interval '13 months')::date AS start,
       (SELECT id FROM libraries WHERE slug = 'babytheek') AS bt,
       (SELECT id FROM libraries WHERE slug = 'fietsbieb') AS fb;

-- The sessions of both libraries from the start to well past the longest
-- due date, so that a due date is one look-up (leen_due_date computes the
-- same from the schedule each time, and a test compares them).
CREATE TEMP TABLE demo_sessions ON COMMIT DROP AS
SELECT l.id AS library_id, x.day
FROM libraries l, demo_ctx,
     LATERAL leen_sessions(l.id, demo_ctx.start, current_date + 1200) x;
CREATE INDEX ON demo_sessions (library_id, day);
ANALYZE demo_sessions;

-- leen_due_date: the first session on or after start + loan days, or that
-- day itself when no session comes within 400 days.
-- (The helpers called per event are PL/pgSQL, whose plans are cached.)
CREATE FUNCTION pg_temp.demo_due(p_lib bigint, p_start date, p_days integer) RETURNS date
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN coalesce((SELECT min(day) FROM demo_sessions
                   WHERE library_id = p_lib AND day BETWEEN p_start + p_days AND p_start + p_days + 400),
                  p_start + p_days);
END $$;

-- The nearest session of a library on or after a day (else the last one
-- before yesterday): the day a household first comes in.
CREATE FUNCTION pg_temp.demo_session(p_lib bigint, p_day date) RETURNS date
LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT min(day) FROM demo_sessions
                   WHERE library_id = p_lib AND day BETWEEN p_day AND current_date - 1),
                  (SELECT max(day) FROM demo_sessions
                   WHERE library_id = p_lib AND day <= current_date - 1))
$$;

-- grp B: Babytheek only (35), F: Fietsbieb only (30), C: both (15).
-- First visits come more often lately (u^0.7): both services are growing.
CREATE TEMP TABLE demo_hh ON COMMIT DROP AS
SELECT t.idx, t.surname, t.lang,
       CASE WHEN t.idx % 16 < 7 THEN 'B' WHEN t.idx % 16 < 13 THEN 'F' ELSE 'C' END AS grp,
       (SELECT start FROM demo_ctx)
         + floor(power(pg_temp.demo_u('join' || t.idx), 0.7)
                 * (current_date - 12 - (SELECT start FROM demo_ctx)))::integer AS target
FROM unnest(ARRAY[
  'Peeters', 'Janssens', 'Maes', 'Vandenberghe', 'Vermeulen', 'Declercq', 'Vanneste', 'Verhaeghe',
  'Deleu', 'Decock', 'Vandamme', 'Lambrecht', 'Debruyne', 'Dewulf', 'Vercruysse', 'Coussement',
  'Vanhoutte', 'Degryse', 'Verstraete', 'Devos', 'Demeyer', 'Dewitte', 'Vandewalle', 'Ghekiere',
  'Vanlerberghe', 'Depuydt', 'Vanden Bussche', 'Deprez', 'Callewaert', 'Vandekerckhove',
  'Seynaeve', 'Debaere', 'Van Eeckhout', 'Lefevere', 'Verbeke', 'Cardoen', 'Tack', 'Hoste',
  'Bossuyt', 'Deconinck', 'Mestdagh', 'Vanackere', 'Delbaere', 'Dejonghe', 'Bral', 'Maddens',
  'Demuynck', 'Six', 'Pattyn', 'Vanhee', 'Deboutte', 'Soenen', 'Vanwynsberghe', 'Rosseel',
  'Verhelst', 'Desmet', 'Claeys', 'Goethals', 'Willaert', 'Vanmaele', 'Lievens', 'Mortier',
  'Samyn', 'Vanryckeghem', 'Dumortier', 'Yilmaz', 'El Amrani', 'Kowalski', 'Popescu', 'Haddad',
  'Dubois', 'Leclercq', 'Kovalenko', 'Demir', 'Nowak', 'Benali', 'Mohamed', 'Tesfaye', 'Rahimi',
  'Ionescu'],
  ARRAY[
  'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl',
  'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl',
  'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl',
  'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl',
  'fr', 'tr', 'ar', 'pl', 'ro', 'ar', 'fr', 'fr', 'uk', 'tr', 'pl', 'fr', 'so', 'ti', 'prs', 'ro'])
  WITH ORDINALITY AS t (surname, lang, idx);

ALTER TABLE demo_hh ADD COLUMN bt_join date, ADD COLUMN fb_join date, ADD COLUMN first_join date,
  ADD COLUMN created timestamptz, ADD COLUMN id bigint, ADD COLUMN red_rank integer;
UPDATE demo_hh SET
  bt_join = CASE WHEN grp IN ('B', 'C') THEN pg_temp.demo_session((SELECT bt FROM demo_ctx), target) END,
  fb_join = CASE WHEN grp = 'F' THEN pg_temp.demo_session((SELECT fb FROM demo_ctx), target)
                 WHEN grp = 'C' THEN pg_temp.demo_session((SELECT fb FROM demo_ctx),
                   least(current_date - 12, target + floor(pg_temp.demo_u('join2' || idx) * 120)::integer))
            END;
UPDATE demo_hh SET first_join = least(bt_join, fb_join);
-- The first visit's opening hour is when the household was registered.
UPDATE demo_hh SET created = first_join + CASE WHEN first_join = bt_join AND extract(isodow FROM first_join) = 3
                                               THEN time '14:00' ELSE time '10:00' END;

-- A quarter of the households hold an active reduction (rank 1-20); three
-- more had one that ran out or was revoked (rank 21-23).
UPDATE demo_hh h SET red_rank = r.rnk
FROM (SELECT idx, row_number() OVER (ORDER BY pg_temp.demo_u('reduction' || idx)) AS rnk
      FROM demo_hh WHERE first_join > (SELECT start + 75 FROM demo_ctx)) r
WHERE r.idx = h.idx AND r.rnk <= 20;
UPDATE demo_hh h SET red_rank = 20 + r.rnk
FROM (SELECT idx, row_number() OVER (ORDER BY first_join, idx) AS rnk
      FROM demo_hh WHERE red_rank IS NULL) r
WHERE r.idx = h.idx AND r.rnk <= 3;
-- Families with an intake at the social service were registered there a
-- few days before their first visit.
UPDATE demo_hh SET created = created - make_interval(days => 1 + floor(pg_temp.demo_u('intake' || idx) * 14)::integer)
WHERE red_rank IS NOT NULL AND red_rank NOT BETWEEN 5 AND 9;

INSERT INTO households (org_id, name, email, phone, postcode, language, created_at)
SELECT (SELECT id FROM orgs WHERE slug = 'izegem'), 'Gezin ' || h.surname,
       CASE WHEN pg_temp.demo_u('mail' || h.idx) < 0.7
            THEN 'gezin.' || lower(replace(h.surname, ' ', '')) || '@example.be' END,
       CASE WHEN pg_temp.demo_u('phone' || h.idx) < 0.8
            THEN format('04%s %s %s %s', 70 + h.idx % 30, lpad((h.idx * 37 % 100)::text, 2, '0'),
                        lpad((h.idx * 53 % 100)::text, 2, '0'), lpad((h.idx * 71 % 100)::text, 2, '0'))
       END,
       CASE WHEN p < 0.6 THEN '8870' WHEN p < 0.72 THEN '8800' WHEN p < 0.8 THEN '8880'
            WHEN p < 0.88 THEN '8860' WHEN p < 0.94 THEN '8760' ELSE '8810' END,
       h.lang, h.created
FROM demo_hh h, LATERAL (SELECT pg_temp.demo_u('postcode' || h.idx) AS p) pc
ORDER BY h.created, h.idx;
UPDATE demo_hh h SET id = x.id FROM households x WHERE x.name = 'Gezin ' || h.surname;

-- Children: a baby around the first Babytheek visit (sometimes a bigger
-- sibling), one or two children of bike age in Fietsbieb families.
CREATE TEMP TABLE demo_kid ON COMMIT DROP AS
SELECT h.id AS household_id, h.idx, k.ord,
       date_trunc('month', k.born)::date AS birth_month
FROM demo_hh h
CROSS JOIN LATERAL (
  SELECT 1 AS ord,
         least(current_date - 20,
               h.bt_join + 30 - floor(pg_temp.demo_u('birth' || h.idx) * 150)::integer) AS born
  WHERE h.grp IN ('B', 'C')
  UNION ALL
  SELECT 2, (current_date - make_interval(months => 30 + floor(pg_temp.demo_u('sib' || h.idx) * 50)::integer))::date
  WHERE h.grp = 'B' AND pg_temp.demo_u('hassib' || h.idx) < 0.3
  UNION ALL
  SELECT 2, (current_date - make_interval(months => 30 + floor(pg_temp.demo_u('older' || h.idx) * 80)::integer))::date
  WHERE h.grp = 'C'
  UNION ALL
  SELECT n, (current_date - make_interval(months => 16 + floor(pg_temp.demo_u('kid' || h.idx || n) * 118)::integer))::date
  FROM generate_series(1, 2) AS n
  WHERE h.grp = 'F' AND (n = 1 OR pg_temp.demo_u('twokids' || h.idx) < 0.45)
) k;

INSERT INTO children (household_id, first_name, birth_month)
SELECT k.household_id,
       CASE WHEN pg_temp.demo_u('named' || k.idx || k.ord) < 0.9 THEN
         (ARRAY['Lien', 'Wout', 'Noor', 'Lars', 'Mila', 'Finn', 'Ella', 'Jules', 'Marie', 'Lucas',
                'Olivia', 'Louis', 'Nora', 'Arthur', 'Liv', 'Vic', 'Ferre', 'Elise', 'Seppe',
                'Fien', 'Mats', 'Lore', 'Stan', 'Hanne', 'Warre', 'Ayla', 'Yusuf', 'Amira', 'Zoë',
                'Emma', 'Lewis', 'Juliette', 'Otis', 'Roos', 'Mauro', 'Ines', 'Bas', 'Lotte',
                'Kobe', 'Febe'])[1 + floor(pg_temp.demo_u('first' || k.idx || k.ord) * 40)::integer]
       END,
       k.birth_month
FROM demo_kid k
ORDER BY k.household_id, k.ord;

-- Rank 1-4: level full; 5-8: a reduction granted after they joined (so
-- their first membership was at the regular fee); 9: a voucher the family
-- redeemed; 21-22: ran out; 23: revoked. Never a reason, only an optional
-- dossier reference.
INSERT INTO reductions (org_id, household_id, voucher_code, level, valid_from, valid_until,
                        reference, issued_by, issued_at, redeemed_at, revoked_at, revoked_by)
SELECT (SELECT id FROM orgs WHERE slug = 'izegem'), h.id,
       CASE WHEN h.red_rank = 9 THEN 'IZG' || upper(substr(md5('voucher' || h.idx), 1, 7)) END,
       CASE WHEN h.red_rank <= 4 THEN 'full' ELSE 'social' END,
       f.valid_from,
       CASE WHEN h.red_rank <= 20
              THEN current_date + 20 + floor(pg_temp.demo_u('until' || h.idx) * 250)::integer
            WHEN h.red_rank <= 22 THEN greatest(f.valid_from + 60, least(f.valid_from + 180, current_date - 15))
            ELSE f.valid_from + 365 END,
       CASE WHEN pg_temp.demo_u('ref' || h.idx) < 0.7
            THEN 'SH-' || extract(year FROM f.valid_from) || '-' || (100 + h.idx * 7 % 400) END,
       pg_temp.demo_sys(),
       f.issued,
       CASE WHEN h.red_rank = 9 THEN h.created + interval '2 minutes' END,
       CASE WHEN h.red_rank = 23 THEN f.issued + interval '75 days' END,
       CASE WHEN h.red_rank = 23 THEN pg_temp.demo_sys() END
FROM demo_hh h
CROSS JOIN LATERAL (
  SELECT CASE WHEN h.red_rank = 9 THEN (h.created - interval '9 days')::date
              WHEN h.red_rank BETWEEN 5 AND 8
              THEN greatest(h.first_join + 1, least(current_date - 5,
                     h.first_join + 60 + floor(pg_temp.demo_u('late' || h.idx) * 90)::integer))
              ELSE h.created::date END AS valid_from
) d
CROSS JOIN LATERAL (
  SELECT d.valid_from,
         CASE WHEN h.red_rank = 9 THEN h.created - interval '9 days'
              WHEN h.red_rank BETWEEN 5 AND 8 THEN d.valid_from + time '09:30'
              ELSE h.created + interval '20 minutes' END AS issued
) f
WHERE h.red_rank IS NOT NULL
ORDER BY f.issued;

-- Two voucher letters handed out and not yet brought to the counter.
INSERT INTO reductions (org_id, voucher_code, level, valid_from, valid_until, reference,
                        issued_by, issued_at)
SELECT (SELECT id FROM orgs WHERE slug = 'izegem'), v.code, 'social', current_date - v.ago,
       current_date - v.ago + 364, r.ref, pg_temp.demo_sys(),
       current_date - v.ago + time '10:15'
FROM (VALUES ('IZG4K7PQ2M', 40, 'SH-%s-241'), ('IZG9TX3WAE', 12, NULL)) AS v (code, ago, ref_format),
     LATERAL (SELECT format(v.ref_format, extract(year FROM current_date - v.ago)) AS ref) r;

-- ---------------------------------------------------------------------
-- Money, memberships and circulation
-- ---------------------------------------------------------------------

-- One posting: a journal of two lines, +amount on the debit account and
-- -amount on the credit account. Nothing for a zero amount.
CREATE FUNCTION pg_temp.demo_post(p_kind text, p_debit text, p_credit text, p_amount bigint,
                                  p_household bigint, p_library bigint, p_loan bigint,
                                  p_membership bigint, p_reason text, p_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_journal bigint;
BEGIN
  IF p_amount > 0 THEN
    v_journal := nextval('ledger_journal_seq');
    INSERT INTO ledger (journal_id, kind, account, amount_cents, household_id, library_id, loan_id,
                        membership_id, reason, created_by, created_at)
    VALUES (v_journal, p_kind, p_debit, p_amount, p_household, p_library, p_loan, p_membership,
            p_reason, pg_temp.demo_sys(), p_at),
           (v_journal, p_kind, p_credit, -p_amount, p_household, p_library, p_loan, p_membership,
            p_reason, pg_temp.demo_sys(), p_at);
  END IF;
END $$;

CREATE FUNCTION pg_temp.demo_method(p_key text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN pg_temp.demo_u(p_key) < 0.5 THEN 'cash'
              WHEN pg_temp.demo_u(p_key) < 0.9 THEN 'payconiq' ELSE 'transfer' END
$$;

-- A membership from p_day for the library's period: the regular fee, the
-- reduction that applies that day, and the payment of what is due.
CREATE FUNCTION pg_temp.demo_membership(p_hh bigint, p_lib bigint, p_day date, p_at timestamptz,
                                        p_slots integer)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  l libraries;
  r reductions;
  v_fee bigint;
  v_due bigint;
  v_id bigint;
BEGIN
  SELECT * INTO l FROM libraries WHERE id = p_lib;
  SELECT * INTO r FROM leen_active_reduction(p_hh, p_day);
  v_fee := CASE l.fee_per WHEN 'household' THEN l.fee_cents ELSE l.fee_cents * p_slots END;
  v_due := CASE WHEN r.id IS NULL THEN v_fee
                WHEN r.level = 'full' THEN 0
                ELSE least(v_fee, CASE l.fee_per WHEN 'household' THEN l.social_fee_cents
                                                 ELSE l.social_fee_cents * p_slots END) END;
  INSERT INTO memberships (household_id, library_id, valid_from, valid_until, slots, fee_cents,
                           reduction_cents, reduction_id, created_by, created_at)
  VALUES (p_hh, p_lib, p_day, (p_day + make_interval(months => l.membership_months))::date - 1,
          p_slots, v_fee, v_fee - v_due, r.id, pg_temp.demo_sys(), p_at)
  RETURNING id INTO v_id;
  PERFORM pg_temp.demo_post('membership_fee', 'household', 'fee_income', v_fee, p_hh, p_lib, NULL,
                            v_id, NULL, p_at);
  PERFORM pg_temp.demo_post('fee_reduction', 'fee_reduction', 'household', v_fee - v_due, p_hh,
                            p_lib, NULL, v_id, NULL, p_at);
  PERFORM pg_temp.demo_post('payment', pg_temp.demo_method('pay' || v_id), 'household', v_due,
                            p_hh, p_lib, NULL, v_id, NULL, p_at + interval '1 minute');
  RETURN v_id;
END $$;

-- A check-out (or the new half of a swap, p_from the returned loan): the
-- deposit is the item's or category's amount, the library's share of it on
-- the social tariff, nothing at level full. In a swap the old deposit
-- carries over and only the difference is settled.
CREATE FUNCTION pg_temp.demo_checkout(p_item bigint, p_hh bigint, p_child bigint, p_day date,
                                      p_at timestamptz, p_from bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  it record;
  old loans;
  v_level text;
  v_dep bigint;
  v_method text;
  v_mem bigint;
  v_id bigint;
BEGIN
  SELECT i.id, i.library_id, i.status, coalesce(i.deposit_cents, c.deposit_cents) AS deposit,
         c.loan_days, l.social_deposit_percent
  INTO it
  FROM items i JOIN categories c ON c.id = i.category_id JOIN libraries l ON l.id = i.library_id
  WHERE i.id = p_item;
  IF it.status <> 'available' THEN
    RAISE EXCEPTION 'demo data: item % is %', p_item, it.status;
  END IF;
  SELECT r.level INTO v_level FROM leen_active_reduction(p_hh, p_day) r;
  v_dep := CASE v_level WHEN 'full' THEN 0
                        WHEN 'social' THEN it.deposit * it.social_deposit_percent / 100
                        ELSE it.deposit END;
  SELECT m.id INTO v_mem FROM leen_active_membership(p_hh, it.library_id, p_day) m;
  IF p_from IS NOT NULL THEN
    SELECT * INTO old FROM loans WHERE id = p_from;
  END IF;
  v_method := CASE WHEN v_dep = 0 THEN 'waived'
                   WHEN old.id IS NOT NULL AND old.deposit_cents > 0 THEN old.deposit_method
                   ELSE pg_temp.demo_method('dep' || p_item || p_day) END;
  INSERT INTO loans (item_id, household_id, library_id, membership_id, child_id, started_at, due_on,
                     deposit_cents, deposit_method, swapped_from, checked_out_by)
  VALUES (p_item, p_hh, it.library_id, v_mem, p_child, p_at,
          pg_temp.demo_due(it.library_id, p_day, it.loan_days), v_dep, v_method, p_from,
          pg_temp.demo_sys())
  RETURNING id INTO v_id;
  UPDATE items SET status = 'on_loan', status_changed_at = p_at, version = version + 1
  WHERE id = p_item;
  IF old.id IS NULL THEN
    PERFORM pg_temp.demo_post('deposit_taken', v_method, 'deposits_held', v_dep, p_hh,
                              it.library_id, v_id, NULL, NULL, p_at);
  ELSIF v_dep > old.deposit_cents THEN
    PERFORM pg_temp.demo_post('deposit_taken', v_method, 'deposits_held', v_dep - old.deposit_cents,
                              p_hh, it.library_id, v_id, NULL, NULL, p_at);
  ELSE
    PERFORM pg_temp.demo_post('deposit_refunded', 'deposits_held', old.deposit_method,
                              old.deposit_cents - v_dep, p_hh, it.library_id, old.id, NULL, NULL,
                              p_at);
  END IF;
  RETURN v_id;
END $$;

-- A return: the item goes to available, cleaning or in_repair; the
-- deposit comes back minus what is withheld (p_swap: it carries over to
-- the next loan, so no money moves here).
CREATE FUNCTION pg_temp.demo_return(p_loan bigint, p_at timestamptz, p_condition text,
                                    p_withheld bigint, p_reason text, p_missing text[],
                                    p_swap boolean)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  ln loans;
BEGIN
  SELECT * INTO ln FROM loans WHERE id = p_loan;
  UPDATE loans SET returned_at = p_at, return_condition = p_condition,
                   refund_cents = deposit_cents - p_withheld, withheld_cents = p_withheld,
                   withheld_reason = CASE WHEN p_withheld > 0 THEN p_reason END,
                   missing_components = p_missing, checked_in_by = pg_temp.demo_sys()
  WHERE id = p_loan;
  UPDATE items SET status = CASE p_condition WHEN 'ok' THEN 'available'
                                             WHEN 'needs_cleaning' THEN 'cleaning'
                                             ELSE 'in_repair' END,
                   status_changed_at = p_at, version = version + 1
  WHERE id = ln.item_id;
  IF NOT p_swap THEN
    PERFORM pg_temp.demo_post('deposit_refunded', 'deposits_held', ln.deposit_method,
                              ln.deposit_cents - p_withheld, ln.household_id, ln.library_id,
                              ln.id, NULL, NULL, p_at);
    PERFORM pg_temp.demo_post('deposit_withheld', 'deposits_held', 'withheld_income', p_withheld,
                              ln.household_id, ln.library_id, ln.id, NULL, p_reason, p_at);
  END IF;
END $$;

-- An item of a category that may go out on a day (not expired before the
-- loan ends, safety check recorded), or NULL.
CREATE FUNCTION pg_temp.demo_pick(p_cat bigint, p_day date) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT i.id FROM items i JOIN categories c ON c.id = i.category_id
          WHERE i.category_id = p_cat AND i.status = 'available'
            AND (i.expires_on IS NULL OR i.expires_on > p_day + c.loan_days)
            AND (NOT c.safety_check OR i.safety_checked_on IS NOT NULL)
          ORDER BY pg_temp.demo_u('pick' || i.id || p_day)
          LIMIT 1);
END $$;

-- What a child rides at an age: a bike it fits and will not outgrow
-- within three months (the smallest such size in most families, the
-- biggest in others; p_above: the next size up from a bike with that
-- minimum age), else a child seat for toddlers in some families.
CREATE FUNCTION pg_temp.demo_bike_cat(p_child bigint, p_age integer, p_above integer)
RETURNS bigint LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN coalesce(
    (SELECT c.id FROM categories c
     WHERE c.library_id = (SELECT fb FROM demo_ctx) AND c.name <> 'Fietszitje'
       AND c.min_age_months <= p_age AND p_age < c.max_age_months - 3
       AND c.min_age_months > coalesce(p_above, -1)
     ORDER BY CASE WHEN p_above IS NULL AND pg_temp.demo_u('big' || p_child) < 0.3
                   THEN -c.min_age_months ELSE c.min_age_months END
     LIMIT 1),
    (SELECT c.id FROM categories c
     WHERE c.library_id = (SELECT fb FROM demo_ctx) AND c.name = 'Fietszitje'
       AND p_age BETWEEN 9 AND 40 AND pg_temp.demo_u('seat' || p_child) < 0.7));
END $$;

-- Every session from thirteen months ago to yesterday, in order: items
-- back from cleaning and repair, memberships renewed, bikes swapped for
-- bigger ones, items returned (or renewed, or kept too long), newcomers
-- signed up, and check-outs. Each event gets its own minute.
DO $$
DECLARE
  ctx record;
  s record;
  r record;
  c record;
  t0 timestamptz;
  k integer;
  v_age integer;
  v_cat bigint;
  v_item bigint;
  v_slots integer;
  v_free integer;
  v_cond text;
  v_withheld bigint;
  v_reason text;
  v_missing text[];
  v_p double precision;
BEGIN
  SELECT * INTO ctx FROM demo_ctx;
  FOR s IN
    SELECT l.id AS lib, x.day, x.starts_at
    FROM libraries l CROSS JOIN LATERAL leen_sessions(l.id, ctx.start, current_date - 1) x
    WHERE l.id IN (ctx.bt, ctx.fb)
    ORDER BY x.day, x.starts_at, l.id
  LOOP
    t0 := s.day + s.starts_at;
    k := 1;

    UPDATE items SET status = 'available', status_changed_at = t0, version = version + 1
    WHERE library_id = s.lib AND status = 'cleaning' AND status_changed_at < t0;
    UPDATE items SET status = CASE WHEN pg_temp.demo_u('worn' || id || s.day) < 0.15
                                   THEN 'retired' ELSE 'available' END,
                     status_changed_at = t0, version = version + 1
    WHERE library_id = s.lib AND status = 'in_repair' AND status_changed_at < t0 - interval '25 days';
    UPDATE items SET status = 'retired', status_changed_at = t0, version = version + 1
    WHERE library_id = s.lib AND status = 'available' AND expires_on <= s.day
      AND pg_temp.demo_u('expired' || id) < 0.5;

    -- renewals: a household with items at home renews when its year is over
    FOR r IN
      SELECT o.household_id, count(*) AS open,
             (SELECT m.slots FROM memberships m WHERE m.household_id = o.household_id
                AND m.library_id = s.lib ORDER BY m.valid_until DESC LIMIT 1) AS slots
      FROM loans o
      WHERE o.library_id = s.lib AND o.returned_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.household_id = o.household_id
                          AND m.library_id = s.lib AND s.day BETWEEN m.valid_from AND m.valid_until)
      GROUP BY o.household_id ORDER BY o.household_id
    LOOP
      PERFORM pg_temp.demo_membership(r.household_id, s.lib, s.day, t0 + k * interval '1 minute',
                                      greatest(r.slots, r.open::integer));
      k := k + 2;
    END LOOP;

    -- swaps: a child outgrowing its bike gets the next size when one is
    -- free; a baby of six months or more may trade the pram for a buggy
    FOR r IN
      SELECT o.id, o.household_id, o.child_id, i.category_id, c2.name, c2.min_age_months,
             pg_temp.demo_age(ch.birth_month, s.day) AS age
      FROM loans o JOIN items i ON i.id = o.item_id
      JOIN categories c2 ON c2.id = i.category_id
      JOIN children ch ON ch.id = o.child_id
      WHERE o.library_id = s.lib AND o.returned_at IS NULL
        AND ((s.lib = ctx.fb AND pg_temp.demo_age(ch.birth_month, s.day) >= c2.max_age_months - 3)
             OR (c2.name = 'Kinderwagen' AND pg_temp.demo_age(ch.birth_month, s.day) >= 6
                 AND pg_temp.demo_u('buggy' || o.id) < 0.6))
      ORDER BY pg_temp.demo_u('swap' || o.id || s.day)
    LOOP
      IF r.name = 'Kinderwagen' THEN
        SELECT c2.id INTO v_cat FROM categories c2 WHERE c2.library_id = s.lib AND c2.name = 'Buggy';
      ELSE
        v_cat := pg_temp.demo_bike_cat(r.child_id, r.age, r.min_age_months);
      END IF;
      CONTINUE WHEN v_cat IS NULL OR v_cat = r.category_id;
      v_item := pg_temp.demo_pick(v_cat, s.day);
      CONTINUE WHEN v_item IS NULL;
      PERFORM pg_temp.demo_return(r.id, t0 + k * interval '1 minute',
                                  CASE WHEN pg_temp.demo_u('swapcond' || r.id) < 0.15
                                       THEN 'needs_cleaning' ELSE 'ok' END,
                                  0, NULL, '{}', true);
      PERFORM pg_temp.demo_checkout(v_item, r.household_id, r.child_id, s.day,
                                    t0 + k * interval '1 minute' + interval '20 seconds', r.id);
      k := k + 1;
    END LOOP;

    -- returns, renewals and loans kept past their due date
    FOR r IN
      SELECT o.id, o.household_id, o.due_on, o.renewals, o.deposit_cents, o.item_id,
             c2.id AS category_id,
             c2.max_age_months, c2.components, c2.loan_days, ch.birth_month
      FROM loans o JOIN items i ON i.id = o.item_id
      JOIN categories c2 ON c2.id = i.category_id
      LEFT JOIN children ch ON ch.id = o.child_id
      WHERE o.library_id = s.lib AND o.returned_at IS NULL
      ORDER BY pg_temp.demo_u('ret' || o.id || s.day)
    LOOP
      v_age := pg_temp.demo_age(r.birth_month, s.day);
      IF r.due_on <= s.day THEN
        -- some families are late; a few recent ones have not come back yet
        -- (always the same families, and some others)
        CONTINUE WHEN r.due_on > current_date - 60
                      AND (pg_temp.demo_u('overdue' || r.id) < 0.35
                           OR pg_temp.demo_u('latefamily' || r.household_id) < 0.15);
        CONTINUE WHEN s.day < r.due_on + 10 AND pg_temp.demo_u('late' || r.id) < 0.3;
        IF r.renewals = 0 AND (v_age IS NULL OR v_age + r.loan_days / 30 <= r.max_age_months)
           AND pg_temp.demo_u('renew' || r.id) < (CASE WHEN s.lib = ctx.fb THEN 0.6 ELSE 0.35 END)
        THEN
          UPDATE loans SET due_on = pg_temp.demo_due(s.lib, s.day, r.loan_days), renewals = renewals + 1
          WHERE id = r.id;
          CONTINUE;
        END IF;
      ELSIF NOT (coalesce(v_age > r.max_age_months, false)
                 OR pg_temp.demo_u('early' || r.id || s.day) < CASE WHEN s.lib = ctx.fb THEN 0.02 ELSE 0.04 END)
      THEN
        CONTINUE;
      END IF;
      v_p := pg_temp.demo_u('cond' || r.id);
      v_cond := CASE WHEN v_p < CASE WHEN s.lib = ctx.fb THEN 0.08 ELSE 0.15 END THEN 'needs_cleaning'
                     WHEN v_p < CASE WHEN s.lib = ctx.fb THEN 0.2 ELSE 0.19 END THEN 'needs_repair'
                     ELSE 'ok' END;
      v_withheld := 0;
      v_reason := NULL;
      v_missing := '{}';
      IF cardinality(r.components) > 0 AND pg_temp.demo_u('missing' || r.id) < 0.07 THEN
        v_missing := ARRAY[r.components[1 + floor(pg_temp.demo_u('which' || r.id)
                                                   * cardinality(r.components))::integer]];
        v_withheld := least(r.deposit_cents, 500);
        v_reason := v_missing[1] || ' ontbreekt';
      ELSIF v_cond = 'needs_repair' AND pg_temp.demo_u('damage' || r.id) < 0.4 THEN
        v_withheld := least(r.deposit_cents, 1000);
        v_reason := CASE WHEN s.lib = ctx.fb THEN 'voorwiel verbogen, herstelling nodig'
                         ELSE 'scheur in de stof, herstelling nodig' END;
      END IF;
      PERFORM pg_temp.demo_return(r.id, t0 + k * interval '1 minute', v_cond, v_withheld, v_reason,
                                  v_missing, false);
      k := k + 1;
    END LOOP;

    -- newcomers: a membership on their first visit
    FOR r IN
      SELECT h.id, h.idx,
             (SELECT count(*) FROM children ch WHERE ch.household_id = h.id
                AND pg_temp.demo_age(ch.birth_month, s.day) BETWEEN 9 AND 160) AS riders
      FROM demo_hh h
      WHERE (s.lib = ctx.bt AND h.bt_join = s.day) OR (s.lib = ctx.fb AND h.fb_join = s.day)
      ORDER BY h.idx
    LOOP
      v_slots := CASE WHEN s.lib = ctx.bt THEN 5 ELSE least(4, greatest(1, r.riders::integer)) END;
      PERFORM pg_temp.demo_membership(r.id, s.lib, s.day, t0 + k * interval '1 minute', v_slots);
      k := k + 2;
    END LOOP;

    -- check-outs for members who come in, within their slots
    FOR r IN
      SELECT m.household_id, m.slots, m.valid_from,
             (SELECT count(*) FROM loans o WHERE o.household_id = m.household_id
                AND o.library_id = s.lib AND o.returned_at IS NULL) AS open
      FROM memberships m
      -- memberships of a household never overlap here: a renewal starts
      -- only once the last one has ended
      WHERE m.library_id = s.lib AND s.day BETWEEN m.valid_from AND m.valid_until
      ORDER BY pg_temp.demo_u('queue' || m.household_id || s.day)
    LOOP
      v_free := r.slots - r.open::integer;
      CONTINUE WHEN v_free <= 0;
      IF s.lib = ctx.bt THEN
        CONTINUE WHEN r.valid_from <> s.day
                      AND pg_temp.demo_u('visit' || r.household_id || s.day) >= 0.3;
        SELECT ch.id, pg_temp.demo_age(ch.birth_month, s.day) AS age INTO c
        FROM children ch WHERE ch.household_id = r.household_id
        ORDER BY ch.birth_month DESC, ch.id LIMIT 1;
        CONTINUE WHEN c.age < -1;
        v_age := greatest(c.age, 0);
        FOR v_cat IN
          SELECT cat.id FROM categories cat JOIN demo_cat dc ON dc.name = cat.name
          WHERE cat.library_id = s.lib
            AND cat.min_age_months <= v_age AND v_age <= cat.max_age_months - 2
            AND pg_temp.demo_u('want' || r.household_id || cat.id) < dc.want
            AND NOT EXISTS (SELECT 1 FROM loans o JOIN items i ON i.id = o.item_id
                            WHERE o.household_id = r.household_id AND i.category_id = cat.id)
          ORDER BY cat.min_age_months, pg_temp.demo_u('order' || r.household_id || cat.id)
        LOOP
          EXIT WHEN v_free <= 0;
          v_item := pg_temp.demo_pick(v_cat, s.day);
          CONTINUE WHEN v_item IS NULL;
          -- a pram lent before the birth is for no child yet
          PERFORM pg_temp.demo_checkout(v_item, r.household_id, CASE WHEN c.age >= 0 THEN c.id END,
                                        s.day, t0 + k * interval '1 minute', NULL);
          k := k + 1;
          v_free := v_free - 1;
        END LOOP;
      ELSE
        FOR c IN
          SELECT ch.id, pg_temp.demo_age(ch.birth_month, s.day) AS age
          FROM children ch
          WHERE ch.household_id = r.household_id
            AND NOT EXISTS (SELECT 1 FROM loans o WHERE o.child_id = ch.id AND o.returned_at IS NULL)
          ORDER BY ch.birth_month, ch.id
        LOOP
          EXIT WHEN v_free <= 0;
          v_cat := pg_temp.demo_bike_cat(c.id, c.age, NULL);
          CONTINUE WHEN v_cat IS NULL;
          v_item := pg_temp.demo_pick(v_cat, s.day);
          CONTINUE WHEN v_item IS NULL;
          PERFORM pg_temp.demo_checkout(v_item, r.household_id, c.id, s.day,
                                        t0 + k * interval '1 minute', NULL);
          k := k + 1;
          v_free := v_free - 1;
        END LOOP;
      END IF;
    END LOOP;
  END LOOP;
END $$;

-- ---------------------------------------------------------------------
-- Today's picture: reservations, items out of circulation
-- ---------------------------------------------------------------------

-- Children outgrowing their bike with no bigger one free wait for one;
-- Babytheek families with a young baby reserve a high chair for when it
-- turns six months, and one waits for a stroller now.
-- A household waits at most once for a category.
CREATE TEMP TABLE demo_res ON COMMIT DROP AS
SELECT DISTINCT ON (y.library_id, y.household_id, y.category_id) y.*
FROM (
SELECT x.library_id, x.household_id, x.category_id, x.wanted_from, x.created_at
FROM (
  SELECT (SELECT fb FROM demo_ctx) AS library_id, o.household_id,
         pg_temp.demo_bike_cat(o.child_id, pg_temp.demo_age(ch.birth_month, current_date),
                               c.min_age_months) AS category_id,
         current_date AS wanted_from,
         (SELECT max(day) + time '11:30' FROM leen_sessions((SELECT fb FROM demo_ctx),
            current_date - 400, current_date - 1)) - make_interval(mins => row_number() OVER (ORDER BY o.id)::integer) AS created_at,
         row_number() OVER (ORDER BY o.id) AS n
  FROM loans o JOIN items i ON i.id = o.item_id JOIN categories c ON c.id = i.category_id
  JOIN children ch ON ch.id = o.child_id
  WHERE o.library_id = (SELECT fb FROM demo_ctx) AND o.returned_at IS NULL
    AND pg_temp.demo_age(ch.birth_month, current_date) >= c.max_age_months - 3
) x
WHERE x.n <= 4 AND x.category_id IS NOT NULL
UNION ALL
SELECT (SELECT fb FROM demo_ctx), ch.household_id,
       pg_temp.demo_bike_cat(ch.id, pg_temp.demo_age(ch.birth_month, current_date), NULL),
       current_date,
       (SELECT max(day) + time '10:40' FROM leen_sessions((SELECT fb FROM demo_ctx),
          current_date - 400, current_date - 1)) + make_interval(mins => (ch.id % 50)::integer)
FROM children ch
JOIN memberships m ON m.household_id = ch.household_id AND m.library_id = (SELECT fb FROM demo_ctx)
                  AND current_date BETWEEN m.valid_from AND m.valid_until
WHERE NOT EXISTS (SELECT 1 FROM loans o WHERE o.child_id = ch.id AND o.returned_at IS NULL)
  AND pg_temp.demo_bike_cat(ch.id, pg_temp.demo_age(ch.birth_month, current_date), NULL) IS NOT NULL
  AND (SELECT count(*) FROM loans o WHERE o.household_id = ch.household_id
         AND o.library_id = m.library_id AND o.returned_at IS NULL) < m.slots
UNION ALL
SELECT (SELECT bt FROM demo_ctx), k.household_id, c.id,
       (k.birth_month + interval '6 months')::date,
       least(now() - interval '1 day',
             greatest(k.created + interval '2 hours',
                      ((k.birth_month + interval '1 month')::date + k.n::integer) + time '15:10'))
FROM (SELECT ch.household_id, ch.birth_month, h.created,
             row_number() OVER (ORDER BY ch.birth_month DESC, ch.id) AS n
      FROM children ch JOIN demo_hh h ON h.id = ch.household_id
      WHERE h.grp IN ('B', 'C') AND ch.birth_month > current_date - interval '5 months'
        AND ch.birth_month + interval '1 month' + interval '5 days' < current_date) k
JOIN categories c ON c.library_id = (SELECT bt FROM demo_ctx) AND c.name = 'Kinderstoel'
WHERE k.n <= 3
UNION ALL
SELECT (SELECT bt FROM demo_ctx), h.id, c.id, current_date - 7,
       (current_date - 7) + time '16:20'
FROM demo_hh h JOIN categories c ON c.library_id = (SELECT bt FROM demo_ctx) AND c.name = 'Kinderwagen'
WHERE h.id = (SELECT m.household_id FROM memberships m
              WHERE m.library_id = (SELECT bt FROM demo_ctx) AND m.valid_until >= current_date
                AND m.valid_from < current_date - 7
                AND NOT EXISTS (SELECT 1 FROM loans o JOIN items i ON i.id = o.item_id
                                WHERE o.household_id = m.household_id AND i.category_id = c.id)
              ORDER BY m.valid_from DESC, m.id LIMIT 1)
) y
ORDER BY y.library_id, y.household_id, y.category_id, y.created_at;

INSERT INTO reservations (library_id, household_id, category_id, wanted_from, created_by, created_at)
SELECT library_id, household_id, category_id, wanted_from, pg_temp.demo_sys(), created_at
FROM demo_res
ORDER BY created_at;

-- A reservation whose day has come gets a free item set aside, first in
-- line first.
DO $$
DECLARE
  r record;
  v_item bigint;
BEGIN
  FOR r IN SELECT * FROM reservations WHERE status = 'waiting' AND wanted_from <= current_date
           ORDER BY created_at, id
  LOOP
    v_item := pg_temp.demo_pick(r.category_id, current_date);
    CONTINUE WHEN v_item IS NULL;
    UPDATE reservations SET status = 'offered', offered_item = v_item WHERE id = r.id;
    UPDATE items i SET status = 'reserved', reserved_for = r.household_id, version = version + 1,
      status_changed_at = greatest(r.created_at, (SELECT max(o.returned_at) FROM loans o
                                                  WHERE o.item_id = i.id))
    WHERE i.id = v_item;
  END LOOP;
END $$;

-- Whatever the year brought, the screens show items being cleaned, in
-- repair, taken out of circulation and lost: top each library up to a few
-- of each, dated after the item's last return.
DO $$
DECLARE
  v record;
  v_item bigint;
BEGIN
  FOR v IN
    SELECT * FROM (VALUES ('babytheek', 'cleaning', 2, 1), ('babytheek', 'in_repair', 1, 9),
                          ('babytheek', 'retired', 2, 60), ('fietsbieb', 'in_repair', 2, 20),
                          ('fietsbieb', 'retired', 1, 120), ('fietsbieb', 'lost', 1, 150))
      AS t (slug, status, want, ago)
  LOOP
    WHILE (SELECT count(*) FROM items i JOIN libraries l ON l.id = i.library_id
           WHERE l.slug = v.slug AND i.status = v.status) < v.want
    LOOP
      SELECT i.id INTO v_item FROM items i JOIN libraries l ON l.id = i.library_id
      WHERE l.slug = v.slug AND i.status = 'available'
      ORDER BY pg_temp.demo_u('fixup' || v.status || i.id) LIMIT 1;
      UPDATE items i SET status = v.status, version = version + 1,
        status_changed_at = least(now() - interval '1 hour', greatest(
          (current_date - v.ago) + time '16:45',
          (SELECT max(o.returned_at) + interval '1 hour' FROM loans o WHERE o.item_id = i.id)))
      WHERE i.id = v_item;
    END LOOP;
  END LOOP;
END $$;

INSERT INTO audit (at, user_id, action, entity, entity_id, details)
SELECT now(), pg_temp.demo_sys(), 'demo.load', 'org', o.id::text,
       jsonb_build_object('households', (SELECT count(*) FROM households),
                          'items', (SELECT count(*) FROM items),
                          'loans', (SELECT count(*) FROM loans))
FROM orgs o WHERE o.slug = 'izegem';

COMMIT;
