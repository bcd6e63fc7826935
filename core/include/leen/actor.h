/* Who performs an operation: every core operation that changes or reads
 * protected data takes an actor, checks it, and writes it to the audit. */
#ifndef LEEN_ACTOR_H
#define LEEN_ACTOR_H

#include <stddef.h>
#include <stdint.h>

#include "leen/user.h"

#define LEEN_ACTOR_MAX_LIBRARIES 32

struct leen_actor {
  int64_t user_id;            /* 0: the system itself (imports, demo data) */
  int64_t org_id;
  enum leen_role role;
  /* libraries a volunteer or coordinator acts in (ids); admins and social
   * workers act across their org and have none */
  int64_t libraries[LEEN_ACTOR_MAX_LIBRARIES];
  size_t nlibraries;
};

/* 1 when the actor may act in library_id: an admin of the org, or a
 * volunteer/coordinator linked to it. Social workers act in no library. */
int leen_actor_in_library(const struct leen_actor *a, int64_t library_id);

/* 1 when the actor's role is at least `role` in the chain volunteer <
 * coordinator < admin; social_worker matches only social_worker and admin. */
int leen_actor_has_role(const struct leen_actor *a, enum leen_role role);

#endif
