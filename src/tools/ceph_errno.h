/*
 * Errno names as Ceph's CLI prints them ("Error ENOENT: ...").
 */
#ifndef LOLIGO_TOOLS_CEPH_ERRNO_H
#define LOLIGO_TOOLS_CEPH_ERRNO_H

/* "ENOENT" for 2; "E<number>" for an errno without a name here. */
const char *ceph_errno_name(int err);

#endif
