-- The libraries the browser tests work in (before the users, who are
-- linked to them). Figures as DESIGN.md's: Fietsbieb EUR 20 per bike and
-- EUR 20 deposit, social tariff EUR 5 and half the deposit.
INSERT INTO libraries (org_id, slug, name, kind, code_prefix, fee_cents, social_fee_cents, fee_per,
                       social_deposit_percent, membership_months, max_slots, default_loan_days)
VALUES ((SELECT id FROM orgs WHERE slug = 'default'), 'fietsbieb', 'Fietsbieb Izegem', 'fietsbieb',
        'FB', 2000, 500, 'slot', 50, 12, 4, 365),
       ((SELECT id FROM orgs WHERE slug = 'default'), 'babytheek', 'Babytheek Izegem', 'babytheek',
        'BT', 3000, 500, 'household', 50, 12, 5, 90);

-- Open every Saturday (Fietsbieb) and every Wednesday (Babytheek).
INSERT INTO schedule_rules (library_id, freq, nth, weekday, starts_at, ends_at)
SELECT id, 'weekly', NULL::integer, 6, time '10:00', time '12:00' FROM libraries WHERE slug = 'fietsbieb'
UNION ALL
SELECT id, 'weekly', NULL::integer, 3, time '14:00', time '17:00' FROM libraries WHERE slug = 'babytheek';
