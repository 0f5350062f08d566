/*
 * Private declarations shared by the files of the CRUSH library, grouped
 * by the file that defines them.  Nothing outside src/crush includes this.
 */
#ifndef LOLIGO_CRUSH_INTERNAL_H
#define LOLIGO_CRUSH_INTERNAL_H

#include <stdint.h>

/* mapper.c: one bucket's scratch in a work area (see crush_work_size). */
struct crush_work_bucket {
	uint32_t perm_x;
	uint32_t perm_n;
	uint32_t *perm;
};

#endif
