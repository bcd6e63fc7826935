-- The data of the browser tests, after the users exist. Each screen size
-- (phone, laptop) gets its own items and households, so the flows of one
-- never meet those of the other:
--   items FB<n+1> .. FB<n+8>, households 2000<k+1> .. 2000<k+4>,
--   phone: n = 0, k = 0; laptop: n = 10, k = 1 (FB0011.., 20011..).
-- Dates are relative to today, so the data never goes stale.
DO $$
DECLARE
  fb bigint := (SELECT id FROM libraries WHERE slug = 'fietsbieb');
  bt bigint := (SELECT id FROM libraries WHERE slug = 'babytheek');
  org bigint := (SELECT id FROM orgs WHERE slug = 'default');
  social bigint := (SELECT id FROM users WHERE username = 'sociaal');
  c16 bigint;
  c20 bigint;
  seat bigint;
  pram bigint;
  names text[][] := ARRAY[['Gezin Peeters', 'Gezin Janssens', 'Gezin Maes', 'Gezin Claes'],
                          ['Gezin Willems', 'Gezin Jacobs', 'Gezin Mertens', 'Gezin Goossens']];
  s int;
  n int;
  hh bigint[];
  mem bigint;
  it bigint;
BEGIN
  INSERT INTO categories (library_id, name, deposit_cents, loan_days, components)
  VALUES (fb, 'Fiets 16 inch', 2000, 365, '{bel,slot}') RETURNING id INTO c16;
  INSERT INTO categories (library_id, name, deposit_cents, loan_days, components)
  VALUES (fb, 'Fiets 20 inch', 3000, 365, '{bel,slot,lampje}') RETURNING id INTO c20;
  INSERT INTO categories (library_id, name, deposit_cents, loan_days, safety_check)
  VALUES (bt, 'Autostoel', 1000, 90, true) RETURNING id INTO seat;
  INSERT INTO categories (library_id, name, deposit_cents, loan_days, components)
  VALUES (bt, 'Kinderwagen', 2000, 90, '{regenhoes}') RETURNING id INTO pram;

  -- a car seat without a safety check: lending it is refused (item_unsafe)
  INSERT INTO items (library_id, category_id, number, code, name)
  VALUES (bt, seat, 1, 'BT0001', 'Maxi-Cosi Pebble');
  INSERT INTO items (library_id, category_id, number, code, name)
  VALUES (bt, pram, 2, 'BT0002', 'Kinderwagen Joolz');

  FOR s IN 0..1 LOOP
    n := s * 10;
    INSERT INTO items (library_id, category_id, number, code, name) VALUES
      (fb, c16, n + 1, 'FB' || lpad((n + 1)::text, 4, '0'), 'Btwin 16 rood'),
      (fb, c16, n + 2, 'FB' || lpad((n + 2)::text, 4, '0'), 'Btwin 16 blauw'),
      (fb, c16, n + 3, 'FB' || lpad((n + 3)::text, 4, '0'), 'Puky 16 groen'),
      (fb, c16, n + 4, 'FB' || lpad((n + 4)::text, 4, '0'), 'Puky 16 geel'),
      (fb, c20, n + 5, 'FB' || lpad((n + 5)::text, 4, '0'), 'Btwin 20 zwart'),
      (fb, c16, n + 6, 'FB' || lpad((n + 6)::text, 4, '0'), 'Cube 16 wit');
    INSERT INTO items (library_id, category_id, number, code, name, status)
    VALUES (fb, c16, n + 7, 'FB' || lpad((n + 7)::text, 4, '0'), 'Loekie 16 roze', 'cleaning');
    -- on loan for the whole run: the public label page shows it without the household
    INSERT INTO items (library_id, category_id, number, code, name)
    VALUES (fb, c16, n + 8, 'FB' || lpad((n + 8)::text, 4, '0'), 'Kettler 16 oranje');

    hh := ARRAY[]::bigint[];
    FOR k IN 1..4 LOOP
      INSERT INTO households (org_id, number, name, postcode)
      VALUES (org, 20000 + s * 10 + k, names[s + 1][k], '8870') RETURNING id INTO it;
      hh := hh || it;
    END LOOP;
    INSERT INTO children (household_id, first_name, birth_month)
    VALUES (hh[1], 'Lien', date '2020-05-01'), (hh[2], 'Noah', date '2019-09-01');

    -- household 1: social tariff, not a member yet
    INSERT INTO reductions (org_id, household_id, level, valid_from, valid_until, issued_by)
    VALUES (org, hh[1], 'social', current_date - 30, current_date + 200, social);

    -- households 2 and 3 have a bike at home; household 4 is a member with a free slot
    FOR k IN 2..4 LOOP
      INSERT INTO memberships (household_id, library_id, valid_from, valid_until, slots, fee_cents,
                               reduction_cents)
      VALUES (hh[k], fb, current_date - 60, current_date + 300, 2, 4000, 0) RETURNING id INTO mem;
      IF k < 4 THEN
        SELECT id INTO it FROM items WHERE code = 'FB' || lpad((n + k + 1)::text, 4, '0');
        INSERT INTO loans (item_id, household_id, library_id, membership_id, started_at, due_on,
                           deposit_cents, deposit_method)
        VALUES (it, hh[k], fb, mem, now() - interval '30 days', current_date + 335, 2000, 'cash');
        UPDATE items SET status = 'on_loan' WHERE id = it;
      END IF;
      IF k = 2 THEN
        SELECT id INTO it FROM items WHERE code = 'FB' || lpad((n + 8)::text, 4, '0');
        INSERT INTO loans (item_id, household_id, library_id, membership_id, started_at, due_on,
                           deposit_cents, deposit_method)
        VALUES (it, hh[k], fb, mem, now() - interval '10 days', current_date + 355, 2000, 'cash');
        UPDATE items SET status = 'on_loan' WHERE id = it;
      END IF;
    END LOOP;
  END LOOP;
END $$;
