-- Privacy requests: everything stored about one household as one JSON
-- document (GDPR right of access), read in one round trip so the export is
-- a consistent snapshot. Anonymising is done by core/src/privacy.c.

-- A timestamp as RFC 3339 in the session's time zone (Europe/Brussels).
CREATE FUNCTION leen_privacy_ts(p timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT to_char(p, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM')
$$;

-- The export of household row p_household: the household, its children,
-- memberships, loans, reductions, ledger lines, reservations and the audit
-- rows about the household itself. Arrays are in id order.
CREATE FUNCTION leen_privacy_export(p_household bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'exported_at', leen_privacy_ts(now()),
    'controller', jsonb_build_object('org', o.slug, 'name', o.name),
    'household', jsonb_build_object(
      'number', h.number, 'name', h.name, 'email', h.email, 'phone', h.phone,
      'postcode', h.postcode, 'language', h.language, 'version', h.version,
      'created_at', leen_privacy_ts(h.created_at),
      'anonymized_at', leen_privacy_ts(h.anonymized_at)),
    'children', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'id', c.id, 'first_name', c.first_name,
               'birth_month', to_char(c.birth_month, 'YYYY-MM')) ORDER BY c.id)
      FROM children c WHERE c.household_id = h.id), '[]'::jsonb),
    'memberships', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'id', m.id, 'library', l.slug,
               'valid_from', to_char(m.valid_from, 'YYYY-MM-DD'),
               'valid_until', to_char(m.valid_until, 'YYYY-MM-DD'),
               'slots', m.slots, 'fee_cents', m.fee_cents,
               'reduction_cents', m.reduction_cents,
               'due_cents', m.fee_cents - m.reduction_cents,
               'reduction_id', m.reduction_id,
               'created_at', leen_privacy_ts(m.created_at)) ORDER BY m.id)
      FROM memberships m JOIN libraries l ON l.id = m.library_id
      WHERE m.household_id = h.id), '[]'::jsonb),
    'loans', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'id', n.id, 'item', i.code, 'item_name', i.name, 'library', l.slug,
               'child_id', n.child_id, 'started_at', leen_privacy_ts(n.started_at),
               'due_on', to_char(n.due_on, 'YYYY-MM-DD'),
               'deposit_cents', n.deposit_cents, 'deposit_method', n.deposit_method,
               'returned_at', leen_privacy_ts(n.returned_at),
               'return_condition', n.return_condition,
               'refund_cents', n.refund_cents, 'withheld_cents', n.withheld_cents,
               'withheld_reason', n.withheld_reason,
               'missing_components', to_jsonb(n.missing_components),
               'swapped_from', n.swapped_from, 'renewals', n.renewals) ORDER BY n.id)
      FROM loans n JOIN items i ON i.id = n.item_id JOIN libraries l ON l.id = n.library_id
      WHERE n.household_id = h.id), '[]'::jsonb),
    'reductions', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'id', r.id, 'voucher_code', r.voucher_code, 'level', r.level,
               'valid_from', to_char(r.valid_from, 'YYYY-MM-DD'),
               'valid_until', to_char(r.valid_until, 'YYYY-MM-DD'),
               'reference', r.reference, 'issued_at', leen_privacy_ts(r.issued_at),
               'redeemed_at', leen_privacy_ts(r.redeemed_at),
               'revoked_at', leen_privacy_ts(r.revoked_at)) ORDER BY r.id)
      FROM reductions r WHERE r.household_id = h.id), '[]'::jsonb),
    'ledger', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'id', g.id, 'journal_id', g.journal_id, 'kind', g.kind, 'account', g.account,
               'amount_cents', g.amount_cents, 'library', l.slug, 'loan_id', g.loan_id,
               'membership_id', g.membership_id, 'reason', g.reason,
               'created_at', leen_privacy_ts(g.created_at)) ORDER BY g.id)
      FROM ledger g LEFT JOIN libraries l ON l.id = g.library_id
      WHERE g.household_id = h.id), '[]'::jsonb),
    'reservations', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'id', s.id, 'library', l.slug, 'category_id', s.category_id,
               'item', i.code, 'wanted_from', to_char(s.wanted_from, 'YYYY-MM-DD'),
               'status', s.status, 'offered_item', oi.code,
               'created_at', leen_privacy_ts(s.created_at),
               'closed_at', leen_privacy_ts(s.closed_at)) ORDER BY s.id)
      FROM reservations s JOIN libraries l ON l.id = s.library_id
      LEFT JOIN items i ON i.id = s.item_id LEFT JOIN items oi ON oi.id = s.offered_item
      WHERE s.household_id = h.id), '[]'::jsonb),
    'audit', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'id', a.id, 'at', leen_privacy_ts(a.at), 'action', a.action,
               'details', a.details) ORDER BY a.id)
      FROM audit a WHERE a.entity = 'household' AND a.entity_id = h.number::text),
      '[]'::jsonb))
  FROM households h JOIN orgs o ON o.id = h.org_id
  WHERE h.id = p_household
$$;
