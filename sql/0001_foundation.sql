-- Foundation: municipalities (orgs), their libraries, and the people who
-- log in. The rest of the domain comes in later migrations.

CREATE TABLE orgs (
  id          bigserial PRIMARY KEY,
  slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE libraries (
  id                      bigserial PRIMARY KEY,
  org_id                  bigint NOT NULL REFERENCES orgs(id),
  slug                    text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name                    text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind                    text NOT NULL CHECK (kind ~ '^[a-z0-9_-]{1,40}$'),
  code_prefix             text NOT NULL UNIQUE CHECK (code_prefix ~ '^[A-Z]{1,4}$'),
  fee_cents               bigint NOT NULL DEFAULT 0 CHECK (fee_cents BETWEEN 0 AND 100000000),
  social_fee_cents        bigint NOT NULL DEFAULT 0 CHECK (social_fee_cents BETWEEN 0 AND 100000000),
  fee_per                 text NOT NULL DEFAULT 'slot' CHECK (fee_per IN ('slot', 'household')),
  social_deposit_percent  integer NOT NULL DEFAULT 100 CHECK (social_deposit_percent BETWEEN 0 AND 100),
  membership_months       integer NOT NULL DEFAULT 12 CHECK (membership_months BETWEEN 1 AND 120),
  max_slots               integer NOT NULL DEFAULT 1 CHECK (max_slots BETWEEN 1 AND 100),
  default_loan_days       integer NOT NULL DEFAULT 28 CHECK (default_loan_days BETWEEN 1 AND 3660),
  targets                 jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(targets) = 'object'),
  created_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX libraries_org ON libraries (org_id);

CREATE TABLE users (
  id             bigserial PRIMARY KEY,
  org_id         bigint NOT NULL REFERENCES orgs(id),
  username       text NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9._@-]{1,64}$'),
  password_hash  text NOT NULL,
  role           text NOT NULL CHECK (role IN ('volunteer', 'coordinator', 'social_worker', 'admin')),
  active         boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- The libraries a volunteer or coordinator acts in; admins and social
-- workers act across their org and have none.
CREATE TABLE user_libraries (
  user_id     bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  library_id  bigint NOT NULL REFERENCES libraries(id),
  PRIMARY KEY (user_id, library_id)
);

-- A fresh install has one org.
INSERT INTO orgs (slug, name) VALUES ('default', 'Gemeente');
