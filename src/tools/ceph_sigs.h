/*
 * The command signatures the `ceph` CLI matches against: the monitor's own
 * table (src/mon/mon_signatures.h) when it is built in, else a small
 * built-in table of the commands Loligo's monitors serve first.
 */
#ifndef LOLIGO_TOOLS_CEPH_SIGS_H
#define LOLIGO_TOOLS_CEPH_SIGS_H

#include <stddef.h>

#include "common/cmdsig.h"

/* 0, or -EINVAL/-ENOMEM with the reason in err (a malformed table). */
int ceph_sigs_load(struct cmdsig_table *t, char *err, size_t errlen);

#endif
