#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "leen/migrate.h"
#include "leen/user.h"
#include "tsupport.h"

static char *ci;

static void setup(void) { ci = ts_db_create(0); }
static void teardown(void) { ts_db_drop(ci); }

TestSuite(migrate, .init = setup, .fini = teardown, .timeout = 120);

static struct leen_db *open_db(void)
{
  struct leen_db *db;
  struct leen_err err;
  cr_assert_eq(leen_db_open(&db, ci, &err), 0, "%s", err.message);
  return db;
}

Test(migrate, applies_all_then_nothing)
{
  struct leen_db *db = open_db();
  struct leen_err err;
  cr_assert_eq(leen_schema_version(db, &err), 0);
  int n = leen_migrate(db, NULL, NULL, &err);
  cr_assert_gt(n, 1, "applied %d: %s", n, err.message);
  cr_assert_eq(leen_schema_version(db, &err), leen_schema_known_version());
  cr_assert_eq(leen_migrate(db, NULL, NULL, &err), 0);
  cr_assert_eq(leen_schema_check(db, &err), 0);

  PGconn *c = ts_connect(ci);
  cr_assert_eq(ts_sql_int(c, "SELECT count(*) FROM schema_migrations"), n);
  cr_assert_eq(ts_sql_int(c, "SELECT count(*) FROM orgs"), 1);
  PQfinish(c);
  leen_db_close(db);
}

struct racer {
  int applied;
  struct leen_err err;
};

static void *race(void *p)
{
  struct racer *r = p;
  struct leen_db *db;
  if (leen_db_open(&db, ci, &r->err) < 0) {
    r->applied = -1;
    return NULL;
  }
  r->applied = leen_migrate(db, NULL, NULL, &r->err);
  leen_db_close(db);
  return NULL;
}

Test(migrate, concurrent_runs_apply_each_migration_once)
{
  enum { N = 4 };
  pthread_t t[N];
  struct racer r[N];
  memset(r, 0, sizeof r);
  for (int i = 0; i < N; i++)
    pthread_create(&t[i], NULL, race, &r[i]);
  int total = 0, expected = 0;
  for (int i = 0; i < N; i++) {
    pthread_join(t[i], NULL);
    cr_assert_geq(r[i].applied, 0, "runner %d failed: %s", i, r[i].err.message);
    total += r[i].applied;
  }
  PGconn *c = ts_connect(ci);
  expected = (int)ts_sql_int(c, "SELECT count(*) FROM schema_migrations");
  PQfinish(c);
  cr_assert_eq(total, expected);
  cr_assert_gt(total, 1);
}

Test(migrate, refuses_a_newer_schema)
{
  struct leen_db *db = open_db();
  struct leen_err err;
  cr_assert_geq(leen_migrate(db, NULL, NULL, &err), 0);
  PGconn *c = ts_connect(ci);
  PQclear(ts_sql(c, "INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')", 0,
                 NULL));
  PQfinish(c);
  cr_assert_eq(leen_migrate(db, NULL, NULL, &err), -1);
  cr_assert_eq(err.code, LEEN_E_CONFLICT);
  cr_assert(strstr(err.message, "newer"), "%s", err.message);
  cr_assert_eq(leen_schema_check(db, &err), -1);
  leen_db_close(db);

  /* leen-api refuses to start on it too */
  char dburl[900];
  snprintf(dburl, sizeof dburl, "DATABASE_URL=%s", ci);
  const char *env[] = {dburl, "LEEN_LISTEN=127.0.0.1:1", NULL};
  const char *argv[] = {LEEN_API_BIN, NULL};
  struct ts_run run;
  ts_run(argv, env, &run);
  cr_assert_neq(run.exit_code, 0);
  cr_assert(strstr(run.err, "newer"), "%s", run.err);
  ts_run_release(&run);
}

Test(migrate, failed_migration_leaves_nothing_behind)
{
  /* a table the first migration creates already exists: it must roll back whole */
  PGconn *c = ts_connect(ci);
  PQclear(ts_sql(c, "CREATE TABLE users (id int)", 0, NULL));
  PQfinish(c);
  struct leen_db *db = open_db();
  struct leen_err err;
  cr_assert_eq(leen_migrate(db, NULL, NULL, &err), -1);
  cr_assert(strstr(err.detail, "0001"), "%s", err.detail);
  cr_assert_eq(leen_schema_version(db, &err), 0);
  c = ts_connect(ci);
  cr_assert_eq(ts_sql_int(c, "SELECT count(*) FROM pg_tables WHERE tablename = 'orgs'"), 0);
  PQfinish(c);
  leen_db_close(db);
}

Test(migrate, create_user_hashes_the_password)
{
  struct leen_db *db = open_db();
  struct leen_err err;
  cr_assert_geq(leen_migrate(db, NULL, NULL, &err), 0);
  char path[] = "/tmp/leen-pw.XXXXXX";
  int fd = mkstemp(path);
  cr_assert(write(fd, "geheim-wachtwoord\n", 18) == 18);
  close(fd);
  char dburl[900];
  snprintf(dburl, sizeof dburl, "DATABASE_URL=%s", ci);
  const char *env[] = {dburl, NULL};
  const char *argv[] = {LEEN_API_BIN, "create-user", "--username", "beheer", "--role", "admin",
                        "--password-file", path, NULL};
  struct ts_run run;
  ts_run(argv, env, &run);
  cr_assert_eq(run.exit_code, 0, "%s", run.err);
  ts_run_release(&run);
  /* the same name again is refused with the conflict exit code */
  ts_run(argv, env, &run);
  cr_assert_eq(run.exit_code, 4, "%s", run.err);
  cr_assert(strstr(run.err, "taken"), "%s", run.err);
  ts_run_release(&run);
  unlink(path);

  PGconn *c = ts_connect(ci);
  char *hash = ts_sql_value(c, "SELECT password_hash FROM users WHERE username = 'beheer'");
  cr_assert(hash);
  cr_assert_null(strstr(hash, "geheim"));
  cr_assert(leen_password_verify(hash, "geheim-wachtwoord"));
  cr_assert_not(leen_password_verify(hash, "fout"));
  free(hash);
  /* the creation is audited, without the password or its hash */
  cr_assert_eq(ts_sql_int(c, "SELECT count(*) FROM audit WHERE action = 'user.create'"
                             " AND details->>'role' = 'admin' AND details::text NOT LIKE '%geheim%'"
                             " AND details::text NOT LIKE '%argon%'"), 1);
  PQfinish(c);

  struct leen_user_new u = {.username = "kort", .password = "kort", .role = LEEN_ROLE_VOLUNTEER};
  int64_t id;
  cr_assert_eq(leen_user_create(db, &u, &id, &err), -1);
  cr_assert_eq(err.code, LEEN_E_INVALID_FIELD);
  cr_assert_str_eq(err.field, "/password");
  const char *libs[] = {"nergens"};
  struct leen_user_new v = {.username = "vrijwilliger", .password = "lang-genoeg",
                            .role = LEEN_ROLE_VOLUNTEER, .libraries = libs, .nlibraries = 1};
  cr_assert_eq(leen_user_create(db, &v, &id, &err), -1);
  cr_assert_eq(err.code, LEEN_E_NOT_FOUND, "%s", err.message);
  leen_db_close(db);
}
