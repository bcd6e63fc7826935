/* Reservation routes (api/reservations.c): a household waits for a
 * category or one item; the list shows each one's place in its queue. */
#ifndef LEEN_API_RESERVATIONS_H
#define LEEN_API_RESERVATIONS_H

#include "api.h"
#include "leen/reservation.h"

cJSON *api_reservation_json(const struct leen_reservation *res);

int api_reservations_list(struct api_req *r);   /* GET /v1/reservations */
int api_reservations_create(struct api_req *r); /* POST /v1/reservations */
int api_reservations_cancel(struct api_req *r); /* DELETE /v1/reservations/{id} */

#endif
