/* Concurrency: counters racing for one item on separate connections, and
 * two returns of one loan at once. Row locks decide; the partial unique
 * index on open loans is the backstop. */
#include <pthread.h>

#include "test_loan_fixture.h"

TestSuite(concurrency, .init = fx_setup, .fini = fx_teardown, .timeout = 300);

enum { RACERS = 8, ROUNDS = 500, RETURN_ROUNDS = 100 };

struct race {
  pthread_barrier_t start, done;
  int rounds;
  /* per round, written by each racer before `done` */
  int ok[RACERS];
  enum leen_code code[RACERS];
  char message[RACERS][256];
};

struct racer {
  struct race *race;
  int idx;
  struct leen_db *db;
  int32_t household;
  const char *item;
  int returning;   /* 1: return the item; 0: check it out */
};

static void *run(void *p)
{
  struct racer *r = p;
  struct race *race = r->race;
  for (int round = 0; round < race->rounds; round++) {
    pthread_barrier_wait(&race->start);
    struct leen_loan l;
    struct leen_err err;
    leen_err_clear(&err);
    int rc;
    if (r->returning) {
      struct leen_return in = {.item = r->item};
      rc = leen_loan_return(r->db, &fx.vol, &in, &l, &err);
    } else {
      struct leen_checkout in = {.item = r->item, .household = r->household};
      rc = leen_loan_checkout(r->db, &fx.vol, &in, &l, &err);
    }
    if (rc == 0)
      leen_loan_release(&l);
    race->ok[r->idx] = rc == 0;
    race->code[r->idx] = err.code;
    snprintf(race->message[r->idx], sizeof race->message[r->idx], "%s", err.message);
    pthread_barrier_wait(&race->done);
  }
  return NULL;
}

/* Opens a connection per racer and starts them. */
static void start(struct race *race, struct racer *racers, pthread_t *threads, int n,
                  const char *item, int returning)
{
  pthread_barrier_init(&race->start, NULL, (unsigned)n + 1);
  pthread_barrier_init(&race->done, NULL, (unsigned)n + 1);
  for (int i = 0; i < n; i++) {
    struct leen_err err;
    racers[i] = (struct racer){.race = race, .idx = i, .household = 10101 + i, .item = item,
                               .returning = returning};
    cr_assert_eq(leen_db_open(&racers[i].db, fx.ci, &err), 0, "%s", err.message);
    pthread_create(&threads[i], NULL, run, &racers[i]);
  }
}

static void finish(struct race *race, struct racer *racers, pthread_t *threads, int n)
{
  for (int i = 0; i < n; i++) {
    pthread_join(threads[i], NULL);
    leen_db_close(racers[i].db);
  }
  pthread_barrier_destroy(&race->start);
  pthread_barrier_destroy(&race->done);
}

/* Eight households with a Fietsbieb membership; two on the social tariff
 * so that the deposits differ. */
static void racing_households(void)
{
  fx_exec("INSERT INTO households (number, org_id, name)"
          " SELECT n, 1, 'Gezin ' || n FROM generate_series(10101, 10108) n;"
          "INSERT INTO memberships (household_id, library_id, valid_from, valid_until, slots,"
          " fee_cents, reduction_cents)"
          " SELECT id, 101, '2020-01-01', current_date + 365, 2, 0, 0 FROM households"
          " WHERE number BETWEEN 10101 AND 10108;"
          "INSERT INTO reductions (org_id, household_id, level, valid_from, valid_until, issued_by)"
          " SELECT 1, id, 'social', '2020-01-01', current_date + 30, 204 FROM households"
          " WHERE number IN (10102, 10105)");
}

Test(concurrency, eight_counters_race_for_one_item)
{
  racing_households();
  static struct race race;
  memset(&race, 0, sizeof race);
  race.rounds = ROUNDS;
  struct racer racers[RACERS];
  pthread_t threads[RACERS];
  start(&race, racers, threads, RACERS, "FB0001", 0);
  int wins[RACERS] = {0};
  for (int round = 0; round < ROUNDS; round++) {
    pthread_barrier_wait(&race.start);
    pthread_barrier_wait(&race.done);
    int winners = 0;
    for (int i = 0; i < RACERS; i++) {
      if (race.ok[i]) {
        winners++;
        wins[i]++;
      } else {
        cr_assert_eq(race.code[i], LEEN_E_ITEM_NOT_AVAILABLE, "round %d racer %d: %s (%s)", round,
                     i, leen_code_name(race.code[i]), race.message[i]);
      }
    }
    cr_assert_eq(winners, 1, "round %d: %d check-outs succeeded", round, winners);
    cr_assert_eq(fx_int("SELECT count(*) FROM loans WHERE returned_at IS NULL"), 1,
                 "round %d", round);
    fx_take_back("FB0001", "available");
  }
  finish(&race, racers, threads, RACERS);

  int total = 0;
  for (int i = 0; i < RACERS; i++)
    total += wins[i];
  cr_assert_eq(total, ROUNDS);
  cr_assert_eq(fx_int("SELECT count(*) FROM loans"), ROUNDS);
  cr_assert_eq(fx_int("SELECT count(*) FROM loans WHERE returned_at IS NULL"), 0);
  /* each loan took its deposit once and gave it back once */
  cr_assert_eq(fx_int("SELECT count(*) FROM loans l WHERE deposit_cents <> refund_cents"
                      " OR (SELECT count(*) FROM ledger g WHERE g.loan_id = l.id) <> 4"),
               0);
  cr_assert_eq(fx_int("SELECT coalesce(sum(amount_cents), 0) FROM ledger"
                      " WHERE account = 'deposits_held'"),
               0);
  cr_assert_eq(fx_int("SELECT sum(amount_cents) FROM ledger WHERE kind = 'deposit_taken'"
                      " AND account = 'cash'"),
               fx_int("SELECT sum(deposit_cents) FROM loans"));
  cr_assert_eq(fx_int("SELECT count(*) FROM audit WHERE action = 'loan.checkout'"), ROUNDS);
  fx_ledger_balanced();
}

Test(concurrency, two_returns_of_one_loan_refund_once)
{
  racing_households();
  static struct race race;
  memset(&race, 0, sizeof race);
  race.rounds = RETURN_ROUNDS;
  struct racer racers[2];
  pthread_t threads[2];
  start(&race, racers, threads, 2, "FB0002", 1);
  for (int round = 0; round < RETURN_ROUNDS; round++) {
    int64_t loan = fx_lend("FB0002", 10101 + round % RACERS);
    pthread_barrier_wait(&race.start);
    pthread_barrier_wait(&race.done);
    cr_assert_eq(race.ok[0] + race.ok[1], 1, "round %d: %d returns succeeded", round,
                 race.ok[0] + race.ok[1]);
    int loser = race.ok[0] ? 1 : 0;
    cr_assert_eq(race.code[loser], LEEN_E_ALREADY_RETURNED, "round %d: %s (%s)", round,
                 leen_code_name(race.code[loser]), race.message[loser]);
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM ledger WHERE loan_id = %lld AND kind = 'deposit_refunded'",
             (long long)loan);
    cr_assert_eq(fx_int(sql), 2, "round %d: one refund of two lines", round);
  }
  finish(&race, racers, threads, 2);
  cr_assert_eq(fx_int("SELECT count(*) FROM loans WHERE returned_at IS NULL"), 0);
  cr_assert_eq(fx_int("SELECT count(*) FROM audit WHERE action = 'loan.return'"), RETURN_ROUNDS);
  cr_assert_eq(fx_int("SELECT coalesce(sum(amount_cents), 0) FROM ledger"
                      " WHERE account = 'deposits_held'"),
               0);
  fx_ledger_balanced();
}
