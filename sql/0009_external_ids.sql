-- Bulk imports (docs/import.md): every imported item and household keeps
-- the id it had in the source (a MyTurn "Item ID", a member number of an
-- older register), so running the same file again finds what it made the
-- first time and changes nothing. Records made at the counter have none.

ALTER TABLE items ADD COLUMN external_id text
  CHECK (length(external_id) BETWEEN 1 AND 100);
ALTER TABLE households ADD COLUMN external_id text
  CHECK (length(external_id) BETWEEN 1 AND 100);

-- One source id names one record: per library for items (two libraries
-- may both have imported an "Item ID" 17), per org for households.
CREATE UNIQUE INDEX items_external_id ON items (library_id, external_id)
  WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX households_external_id ON households (org_id, external_id)
  WHERE external_id IS NOT NULL;
