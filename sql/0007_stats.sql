-- Monthly statistics (DESIGN.md "Monthly statistics"): the figures per
-- library and calendar month, Europe/Brussels local whatever the session's
-- time zone, and the indexes that keep one library-month fast on ten
-- years of Flanders-scale data.

-- A loan is open during [started_at, returned_at] (no upper bound while
-- it is out). "Open at some moment of the month" and "open at the month's
-- last moment" are then range overlap and containment, which a GiST index
-- over (library, period) answers by descending to the few loans that
-- touch the month instead of every loan of the library's history.
-- btree_gist supplies the bigint part; it is a trusted extension.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE INDEX loans_library_period ON loans
  USING gist (library_id, tstzrange(started_at, returned_at, '[]'));

-- The deposits still held at a month's end are the balance of the
-- deposits_held account up to then: an index-only scan over this one.
CREATE INDEX ledger_library_deposits_held ON ledger (library_id, created_at)
  INCLUDE (amount_cents) WHERE account = 'deposits_held';

CREATE INDEX reservations_library_created ON reservations (library_id, created_at);

-- The calendar months from p_from's month to p_to's month: the first day,
-- the first day of the next month, and both as Brussels midnights (a month
-- with a daylight-saving change is 743 or 745 hours long).
CREATE FUNCTION leen_stats_month_bounds(p_from date, p_to date)
RETURNS TABLE (first_day date, next_day date, t0 timestamptz, t1 timestamptz)
LANGUAGE sql IMMUTABLE AS $$
  SELECT d::date, (d + interval '1 month')::date,
         d AT TIME ZONE 'Europe/Brussels', (d + interval '1 month') AT TIME ZONE 'Europe/Brussels'
  FROM generate_series(date_trunc('month', p_from::timestamp),
                       date_trunc('month', p_to::timestamp), interval '1 month') AS d
$$;

-- The statistics functions below are PL/pgSQL around one query so that
-- a connection plans it once and reuses the plan (planning this query
-- costs more than running it for one library-month); every condition is
-- an index condition on the parameters, so the generic plan is as good
-- as a custom one. They run with jit = off: the planner cannot tell how
-- few months generate_series yields (it assumes 1000), so the estimated
-- cost passes jit_above_cost, and compiling would take seconds for a
-- query that runs in milliseconds.

-- Every figure of DESIGN.md's table per library and month, ordered by
-- library then month. Definitions, where the table leaves room:
--   new_households: households whose earliest membership in the library
--     has its valid_from in the month; _reduced: leen_active_reduction
--     finds a reduction on that valid_from.
--   active_households: distinct households with a loan whose
--     [started_at, returned_at] overlaps the month; _reduced: with a
--     non-revoked reduction whose validity overlaps the month.
--   loans_started / returns: started_at / returned_at in the month;
--     swaps: loans started in the month with swapped_from set.
--   loans_per_session: loans_started / opening_sessions rounded to one
--     decimal; NULL when the library held no session.
--   *_end: at the month's last moment (the next month's Brussels midnight
--     minus one microsecond).
--   items_lendable_end: items.status is only the current status, so an
--     item counts when created_at is before the month's end and it is not
--     retired or lost since before the month's end (status_changed_at).
--   utilisation_end: items_on_loan_end / items_lendable_end in percent,
--     one decimal; NULL without lendable items.
--   overdue_end: loans open at the end with due_on before the last day.
--   money (cents, positive): fees_charged = credit of fee_income by
--     membership_fee lines, fees_reduced = debit of fee_reduction by
--     fee_reduction lines, deposits taken / refunded / withheld = the
--     deposits_held lines of those kinds; deposits_held_end = the whole
--     balance of deposits_held (corrections included) up to the end.
--   reservations_waiting_end: created before the end and not closed
--     (fulfilled or cancelled) before it.
CREATE FUNCTION leen_stats_months(p_libraries bigint[], p_from date, p_to date)
RETURNS TABLE (
  library_id bigint, month date,
  new_households bigint, new_households_reduced bigint,
  active_households bigint, active_households_reduced bigint,
  loans_started bigint, "returns" bigint, swaps bigint,
  opening_sessions bigint, loans_per_session numeric,
  items_lendable_end bigint, items_on_loan_end bigint, utilisation_end numeric,
  overdue_end bigint,
  fees_charged_cents bigint, fees_reduced_cents bigint,
  deposits_taken_cents bigint, deposits_refunded_cents bigint,
  deposits_withheld_cents bigint, deposits_held_end_cents bigint,
  reservations_waiting_end bigint)
LANGUAGE plpgsql STABLE SET jit = off AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH grid AS (
    SELECT lib.id AS lib, b.*
    FROM unnest(p_libraries) AS lib(id), leen_stats_month_bounds(p_from, p_to) AS b
  ), held_before AS (
    SELECT lib.id AS lib,
           coalesce((SELECT -sum(g.amount_cents) FROM ledger g
                     WHERE g.library_id = lib.id AND g.account = 'deposits_held'
                       AND g.created_at < (SELECT min(t0) FROM leen_stats_month_bounds(p_from, p_to))),
                    0)::bigint AS held
    FROM unnest(p_libraries) AS lib(id)
  ), figures AS (
    SELECT m.lib, m.first_day, nh.*, ah.*, ls.*, rt.*, se.*, il.*, oe.*, lg.*, rs.*
    FROM grid m
    CROSS JOIN LATERAL (
      SELECT count(*) AS nh_n,
             count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM leen_active_reduction(f.household_id, f.first_from))) AS nh_red
      FROM (SELECT ms.household_id, min(ms.valid_from) AS first_from
            FROM memberships ms
            WHERE ms.library_id = m.lib AND ms.valid_from >= m.first_day AND ms.valid_from < m.next_day
              AND NOT EXISTS (SELECT 1 FROM memberships e
                              WHERE e.household_id = ms.household_id AND e.library_id = m.lib
                                AND e.valid_from < m.first_day)
            GROUP BY ms.household_id) f
    ) nh
    CROSS JOIN LATERAL (
      SELECT count(*) AS ah_n,
             count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM reductions r
               WHERE r.household_id = a.household_id AND r.revoked_at IS NULL
                 AND r.valid_from < m.next_day AND r.valid_until >= m.first_day)) AS ah_red
      FROM (SELECT DISTINCT lo.household_id FROM loans lo
            WHERE lo.library_id = m.lib
              AND tstzrange(lo.started_at, lo.returned_at, '[]') && tstzrange(m.t0, m.t1, '[)')) a
    ) ah
    CROSS JOIN LATERAL (
      SELECT count(*) AS ls_n, count(*) FILTER (WHERE lo.swapped_from IS NOT NULL) AS ls_swaps
      FROM loans lo WHERE lo.library_id = m.lib AND lo.started_at >= m.t0 AND lo.started_at < m.t1
    ) ls
    CROSS JOIN LATERAL (
      SELECT count(*) AS rt_n FROM loans lo
      WHERE lo.library_id = m.lib AND lo.returned_at >= m.t0 AND lo.returned_at < m.t1
    ) rt
    CROSS JOIN LATERAL (
      SELECT count(*) AS se_n FROM leen_sessions(m.lib, m.first_day, m.next_day - 1)
    ) se
    CROSS JOIN LATERAL (
      SELECT count(*) AS il_n FROM items i
      WHERE i.library_id = m.lib AND i.created_at < m.t1
        AND NOT (i.status IN ('retired', 'lost') AND i.status_changed_at < m.t1)
    ) il
    CROSS JOIN LATERAL (
      SELECT count(DISTINCT lo.item_id) AS oe_items,
             count(*) FILTER (WHERE lo.due_on < m.next_day - 1) AS oe_overdue
      FROM loans lo
      WHERE lo.library_id = m.lib
        AND tstzrange(lo.started_at, lo.returned_at, '[]') @> (m.t1 - interval '1 microsecond')
    ) oe
    CROSS JOIN LATERAL (
      SELECT coalesce(-sum(g.amount_cents) FILTER (WHERE g.kind = 'membership_fee' AND g.account = 'fee_income'), 0) AS lg_fees,
             coalesce(sum(g.amount_cents) FILTER (WHERE g.kind = 'fee_reduction' AND g.account = 'fee_reduction'), 0) AS lg_reduced,
             coalesce(-sum(g.amount_cents) FILTER (WHERE g.kind = 'deposit_taken' AND g.account = 'deposits_held'), 0) AS lg_taken,
             coalesce(sum(g.amount_cents) FILTER (WHERE g.kind = 'deposit_refunded' AND g.account = 'deposits_held'), 0) AS lg_refunded,
             coalesce(sum(g.amount_cents) FILTER (WHERE g.kind = 'deposit_withheld' AND g.account = 'deposits_held'), 0) AS lg_withheld,
             coalesce(-sum(g.amount_cents) FILTER (WHERE g.account = 'deposits_held'), 0) AS lg_held_delta
      FROM ledger g
      WHERE g.library_id = m.lib AND g.created_at >= m.t0 AND g.created_at < m.t1
    ) lg
    CROSS JOIN LATERAL (
      SELECT count(*) AS rs_n FROM reservations r
      WHERE r.library_id = m.lib AND r.created_at < m.t1 AND (r.closed_at IS NULL OR r.closed_at >= m.t1)
    ) rs
  )
  SELECT f.lib, f.first_day, f.nh_n, f.nh_red, f.ah_n, f.ah_red, f.ls_n, f.rt_n, f.ls_swaps,
         f.se_n, CASE WHEN f.se_n > 0 THEN round(f.ls_n::numeric / f.se_n, 1) END,
         f.il_n, f.oe_items, CASE WHEN f.il_n > 0 THEN round(100.0 * f.oe_items / f.il_n, 1) END,
         f.oe_overdue,
         f.lg_fees::bigint, f.lg_reduced::bigint, f.lg_taken::bigint, f.lg_refunded::bigint,
         f.lg_withheld::bigint,
         (hb.held + sum(f.lg_held_delta) OVER (PARTITION BY f.lib ORDER BY f.first_day))::bigint,
         f.rs_n
  FROM figures f JOIN held_before hb ON hb.lib = f.lib
  ORDER BY f.lib, f.first_day;
END
$$;

-- Active households per postcode (NULL: none given) per library and month,
-- exact counts: the renderers hide cells under 5.
CREATE FUNCTION leen_stats_postcodes(p_libraries bigint[], p_from date, p_to date)
RETURNS TABLE (library_id bigint, month date, postcode text, households bigint)
LANGUAGE plpgsql STABLE SET jit = off AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT lib.id, b.first_day, h.postcode, count(*)
  FROM unnest(p_libraries) AS lib(id)
  CROSS JOIN leen_stats_month_bounds(p_from, p_to) AS b
  CROSS JOIN LATERAL (
    SELECT DISTINCT lo.household_id FROM loans lo
    WHERE lo.library_id = lib.id
      AND tstzrange(lo.started_at, lo.returned_at, '[]') && tstzrange(b.t0, b.t1, '[)')) a
  JOIN households h ON h.id = a.household_id
  GROUP BY lib.id, b.first_day, h.postcode
  ORDER BY lib.id, b.first_day, h.postcode NULLS LAST;
END
$$;

-- The reach of a library over a whole period: distinct households with a
-- loan open at some moment of it, and of those the ones with a reduction
-- valid at some moment of it (the months' figures cannot be added up).
CREATE FUNCTION leen_stats_reach(p_library bigint, p_from date, p_to date)
RETURNS TABLE (active_households bigint, active_households_reduced bigint)
LANGUAGE plpgsql STABLE SET jit = off AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH span AS (
    SELECT min(first_day) AS first_day, max(next_day) AS next_day, min(t0) AS t0, max(t1) AS t1
    FROM leen_stats_month_bounds(p_from, p_to)
  )
  SELECT count(*),
         count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM reductions r
           WHERE r.household_id = a.household_id AND r.revoked_at IS NULL
             AND r.valid_from < s.next_day AND r.valid_until >= s.first_day))
  FROM span s
  CROSS JOIN LATERAL (
    SELECT DISTINCT lo.household_id FROM loans lo
    WHERE lo.library_id = p_library
      AND tstzrange(lo.started_at, lo.returned_at, '[]') && tstzrange(s.t0, s.t1, '[)')) a;
END
$$;
