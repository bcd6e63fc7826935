#include "leen/actor.h"

int leen_actor_in_library(const struct leen_actor *a, int64_t library_id)
{
  if (a->role == LEEN_ROLE_ADMIN || a->user_id == 0)
    return 1;
  if (a->role == LEEN_ROLE_SOCIAL_WORKER)
    return 0;
  for (size_t i = 0; i < a->nlibraries; i++)
    if (a->libraries[i] == library_id)
      return 1;
  return 0;
}

int leen_actor_has_role(const struct leen_actor *a, enum leen_role role)
{
  if (a->role == LEEN_ROLE_ADMIN || a->user_id == 0)
    return 1;
  switch (role) {
  case LEEN_ROLE_VOLUNTEER:
    return a->role == LEEN_ROLE_VOLUNTEER || a->role == LEEN_ROLE_COORDINATOR;
  case LEEN_ROLE_COORDINATOR:
    return a->role == LEEN_ROLE_COORDINATOR;
  case LEEN_ROLE_SOCIAL_WORKER:
    return a->role == LEEN_ROLE_SOCIAL_WORKER;
  case LEEN_ROLE_ADMIN:
    return 0;
  }
  return 0;
}
