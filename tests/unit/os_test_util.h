/* Helpers shared by the object store tests: scratch directories. */
#ifndef LOLIGO_OS_TEST_UTIL_H
#define LOLIGO_OS_TEST_UTIL_H

#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int os_test_rm_one(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb; (void)flag; (void)f;
	return remove(p);
}

static inline void os_test_rmrf(const char *dir)
{
	nftw(dir, os_test_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh directory under $TMPDIR (or /tmp); the caller frees it. */
static inline char *os_test_mkdtemp(void)
{
	const char *t = getenv("TMPDIR");
	char buf[512];
	snprintf(buf, sizeof(buf), "%s/loligo-os-XXXXXX", t ? t : "/tmp");
	if (!mkdtemp(buf))
		return NULL;
	return strdup(buf);
}

#endif
