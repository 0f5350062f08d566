/*
 * The "none" authentication method: no payload, every peer accepted.
 * The default until cephx exists; also the model for a real method's
 * table (see struct msgr_auth_ops in msgr.h).
 */
#include "msgr.h"

const struct msgr_auth_ops msgr_auth_none = {
	.size = sizeof(struct msgr_auth_ops),
	.method = "none",
};
