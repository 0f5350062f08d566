/*
 * Error-message buffers: functions that can fail on user input take a
 * (char *err, size_t errlen) pair and write a one-line reason into it.
 * err_set() is the one way to fill one; err may be NULL.
 */
#ifndef LOLIGO_COMMON_ERRBUF_H
#define LOLIGO_COMMON_ERRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

static inline void err_set(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline void err_set(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

#endif
