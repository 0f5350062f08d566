/*
 * A simulated disk for crash tests, after SQLite's test6: writes go to the
 * real file at once (so reads see them), but the pre-image of each write
 * not yet covered by an fsync is kept.  At the chosen fsync the power
 * "fails": every unsynced write, newest first, is kept, dropped (pre-image
 * restored) or torn (only a prefix of its 512-byte sectors kept), chosen by
 * a seeded PRNG; that fsync and every later call fail with EIO, as a dead
 * disk would.  One simdisk serves any number of files, and any number of
 * threads: each call runs under the simdisk's mutex, so a write and its
 * pre-image are recorded together and a crash sees a consistent list.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/os.h"

#define SIM_SECTOR 512

struct sim_write {
	int fd;
	off_t off;
	size_t len;
	char *pre;	/* len bytes: zeros where the file was shorter */
};

struct os_simdisk {
	pthread_mutex_t lock;
	unsigned crash_at, syncs;
	uint64_t rng;
	bool crashed;
	struct sim_write *w;
	size_t nw, cap;
};

struct os_simdisk *os_simdisk_create(unsigned crash_at_sync, uint64_t seed)
{
	struct os_simdisk *d = calloc(1, sizeof(*d));
	if (d) {
		pthread_mutex_init(&d->lock, NULL);
		d->crash_at = crash_at_sync;
		d->rng = seed * 2654435761u + 1;
	}
	return d;
}

static void sim_forget(struct os_simdisk *d, int fd)
{
	size_t j = 0;
	for (size_t i = 0; i < d->nw; i++) {
		if (fd < 0 || d->w[i].fd == fd)
			free(d->w[i].pre);
		else
			d->w[j++] = d->w[i];
	}
	d->nw = j;
}

void os_simdisk_destroy(struct os_simdisk *d)
{
	if (!d)
		return;
	sim_forget(d, -1);
	free(d->w);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

bool os_simdisk_crashed(const struct os_simdisk *d)
{
	struct os_simdisk *m = (struct os_simdisk *)d;
	pthread_mutex_lock(&m->lock);
	bool c = d->crashed;
	pthread_mutex_unlock(&m->lock);
	return c;
}

unsigned os_simdisk_syncs(const struct os_simdisk *d)
{
	struct os_simdisk *m = (struct os_simdisk *)d;
	pthread_mutex_lock(&m->lock);
	unsigned n = d->syncs;
	pthread_mutex_unlock(&m->lock);
	return n;
}

static uint64_t sim_rand(struct os_simdisk *d)
{
	d->rng ^= d->rng << 13;
	d->rng ^= d->rng >> 7;
	d->rng ^= d->rng << 17;
	return d->rng;
}

static int sim_open_locked(struct os_simdisk *d, const char *path, int flags, mode_t mode)
{
	if (d->crashed) {
		errno = EIO;
		return -1;
	}
	return open(path, flags, mode);
}

static int sim_open(void *ctx, const char *path, int flags, mode_t mode)
{
	struct os_simdisk *d = ctx;
	pthread_mutex_lock(&d->lock);
	int r = sim_open_locked(d, path, flags, mode);
	int e = errno;
	pthread_mutex_unlock(&d->lock);
	errno = e;
	return r;
}

static ssize_t sim_pread_locked(struct os_simdisk *d, int fd, void *buf, size_t len, off_t off)
{
	if (d->crashed) {
		errno = EIO;
		return -1;
	}
	return pread(fd, buf, len, off);
}

static ssize_t sim_pread(void *ctx, int fd, void *buf, size_t len, off_t off)
{
	struct os_simdisk *d = ctx;
	pthread_mutex_lock(&d->lock);
	ssize_t r = sim_pread_locked(d, fd, buf, len, off);
	int e = errno;
	pthread_mutex_unlock(&d->lock);
	errno = e;
	return r;
}

static ssize_t sim_pwrite_locked(struct os_simdisk *d, int fd, const void *buf, size_t len, off_t off)
{
	if (d->crashed) {
		errno = EIO;
		return -1;
	}
	if (d->nw == d->cap) {
		size_t c = d->cap ? d->cap * 2 : 32;
		struct sim_write *nw = realloc(d->w, c * sizeof(*nw));
		if (!nw) {
			errno = ENOMEM;
			return -1;
		}
		d->w = nw;
		d->cap = c;
	}
	char *pre = calloc(1, len ? len : 1);
	if (!pre) {
		errno = ENOMEM;
		return -1;
	}
	if (pread(fd, pre, len, off) < 0) {
		free(pre);
		return -1;
	}
	ssize_t n = pwrite(fd, buf, len, off);
	if (n < 0) {
		free(pre);
		return -1;
	}
	d->w[d->nw++] = (struct sim_write){ .fd = fd, .off = off, .len = (size_t)n, .pre = pre };
	return n;
}

static ssize_t sim_pwrite(void *ctx, int fd, const void *buf, size_t len, off_t off)
{
	struct os_simdisk *d = ctx;
	pthread_mutex_lock(&d->lock);
	ssize_t r = sim_pwrite_locked(d, fd, buf, len, off);
	int e = errno;
	pthread_mutex_unlock(&d->lock);
	errno = e;
	return r;
}

/* Power loss: undo, wholly or partly, what was never synced. */
static void sim_crash(struct os_simdisk *d)
{
	for (size_t i = d->nw; i-- > 0;) {
		struct sim_write *w = &d->w[i];
		size_t sectors = (w->len + SIM_SECTOR - 1) / SIM_SECTOR, keep;
		switch (sim_rand(d) % 3) {
		case 0:
			keep = sectors;	/* made it to the platter */
			break;
		case 1:
			keep = 0;	/* lost */
			break;
		default:
			keep = sectors ? sim_rand(d) % sectors : 0;	/* torn */
			break;
		}
		size_t from = keep * SIM_SECTOR;
		if (from < w->len && pwrite(w->fd, w->pre + from, w->len - from, w->off + (off_t)from) < 0)
			abort();	/* the test harness itself is broken */
	}
	sim_forget(d, -1);
	d->crashed = true;
}

static int sim_fsync_locked(struct os_simdisk *d, int fd)
{
	if (d->crashed) {
		errno = EIO;
		return -1;
	}
	d->syncs++;
	if (d->syncs == d->crash_at) {
		sim_crash(d);
		errno = EIO;
		return -1;
	}
	if (fsync(fd))
		return -1;
	sim_forget(d, fd);
	return 0;
}

static int sim_fsync(void *ctx, int fd)
{
	struct os_simdisk *d = ctx;
	pthread_mutex_lock(&d->lock);
	int r = sim_fsync_locked(d, fd);
	int e = errno;
	pthread_mutex_unlock(&d->lock);
	errno = e;
	return r;
}

static int sim_close(void *ctx, int fd)
{
	/* Unsynced writes stay pending: closing is not a sync. */
	return close(fd);
}

const struct os_disk_ops os_disk_sim = {
	.open = sim_open,
	.pread = sim_pread,
	.pwrite = sim_pwrite,
	.fsync = sim_fsync,
	.close = sim_close,
};
