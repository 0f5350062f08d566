/*
 * The object store's write path against the disk it runs on, measured in
 * the same run (the reference is plain pwrite+fdatasync of the same size):
 *  - 4 KiB write transactions per second, with 1 and with 8 threads (each
 *    thread overwrites its own object; concurrent transactions share syncs
 *    through group commit), against 1 and 8 threads of pwrite+fdatasync;
 *  - 4 MiB write_full transactions, MB/s, against pwrite+fdatasync of
 *    4 MiB and against writing the data twice (into RocksDB, as a journal
 *    would, then in place).
 * Usage: os_bench [-s SECONDS] [dir]  (default 3 s per case, a fresh
 * directory under /tmp).  Prints one line per case and the ratios.
 */
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <rocksdb/c.h>

#include "os/os.h"

#define SMALL 4096
#define BIG (4u << 20)
#define SPAN (64u << 20)	/* raw files cycle through this much */
#define MAXTHR 8

static double secs = 3;
static char *buf;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct job {
	pthread_t th;
	int id;
	int fd;			/* raw */
	struct os_store *st;	/* store */
	size_t len;
	long ops;
	int err;
};

static void *raw_main(void *p)
{
	struct job *j = p;
	double end = now_s() + secs;
	for (long i = 0; now_s() < end; i++) {
		off_t off = (off_t)(((size_t)j->id * 997 + (size_t)i * 37) * j->len % SPAN);
		if (pwrite(j->fd, buf, j->len, off) != (ssize_t)j->len || fdatasync(j->fd)) {
			j->err = 1;
			break;
		}
		j->ops++;
	}
	return NULL;
}

static void *store_main(void *p)
{
	struct job *j = p;
	char name[32];
	double end = now_s() + secs;
	snprintf(name, sizeof(name), "obj%d", j->id);
	for (long i = 0; now_s() < end; i++) {
		struct os_txn *t = os_txn_create();
		if (j->len == BIG)
			os_txn_write_full(t, "1.0_head", name, BIG, buf);
		else
			os_txn_write(t, "1.0_head", name, (uint64_t)i * 37 * SMALL % BIG, j->len, buf);
		int r = os_txn_apply(j->st, t);
		os_txn_destroy(t);
		if (r) {
			j->err = 1;
			break;
		}
		j->ops++;
	}
	return NULL;
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(p);
}

/* Runs n jobs of `fn`; returns operations per second (negative: error). */
static double run(void *(*fn)(void *), int n, size_t len, int fd, struct os_store *st)
{
	struct job j[MAXTHR];
	double t0 = now_s();
	for (int i = 0; i < n; i++) {
		j[i] = (struct job){ .id = i, .fd = fd, .st = st, .len = len };
		pthread_create(&j[i].th, NULL, fn, &j[i]);
	}
	long ops = 0;
	int err = 0;
	for (int i = 0; i < n; i++) {
		pthread_join(j[i].th, NULL);
		ops += j[i].ops;
		err |= j[i].err;
	}
	return err ? -1 : ops / (now_s() - t0);
}

/* Journal-style double write: data into RocksDB (sync), then in place. */
static double journal_double_write(const char *dir)
{
	char path[512], *err = NULL;
	snprintf(path, sizeof(path), "%s/journal-db", dir);
	rocksdb_options_t *o = rocksdb_options_create();
	rocksdb_options_set_create_if_missing(o, 1);
	rocksdb_writeoptions_t *wo = rocksdb_writeoptions_create();
	rocksdb_writeoptions_set_sync(wo, 1);
	rocksdb_t *db = rocksdb_open(o, path, &err);
	if (err)
		return -1;
	snprintf(path, sizeof(path), "%s/raw2", dir);
	int fd = open(path, O_RDWR | O_CREAT, 0644);
	long n = 0;
	double t0 = now_s(), end = t0 + secs;
	while (now_s() < end) {
		rocksdb_put(db, wo, "j", 1, buf, BIG, &err);
		if (err || pwrite(fd, buf, BIG, (off_t)(n % 8) * BIG) != BIG || fdatasync(fd))
			return -1;
		n++;
	}
	double rate = n / (now_s() - t0);
	close(fd);
	rocksdb_close(db);
	rocksdb_writeoptions_destroy(wo);
	rocksdb_options_destroy(o);
	return rate;
}

int main(int argc, char **argv)
{
	char dir[256], path[512];
	int opt;
	bool own_dir = false;
	while ((opt = getopt(argc, argv, "s:")) != -1) {
		if (opt != 's' || (secs = atof(optarg)) <= 0) {
			fprintf(stderr, "usage: os_bench [-s SECONDS] [dir]\n");
			return 2;
		}
	}
	if (optind < argc)
		snprintf(dir, sizeof(dir), "%s", argv[optind]);
	else if (!mkdtemp(strcpy(dir, "/tmp/os-bench-XXXXXX")))
		return 1;
	else
		own_dir = true;
	buf = malloc(BIG);
	for (size_t i = 0; i < BIG; i++)
		buf[i] = (char)(i * 7 + (i >> 13));

	/* The reference file is written in full first, so that its syncs do
	 * not also commit file-size changes. */
	snprintf(path, sizeof(path), "%s/raw", dir);
	int fd = open(path, O_RDWR | O_CREAT, 0644);
	for (size_t off = 0; fd >= 0 && off < SPAN; off += BIG)
		if (pwrite(fd, buf, BIG, (off_t)off) != BIG)
			return 1;
	if (fd < 0 || fsync(fd))
		return 1;
	double raw1 = run(raw_main, 1, SMALL, fd, NULL);
	double raw8 = run(raw_main, 8, SMALL, fd, NULL);
	double rawbig = run(raw_main, 1, BIG, fd, NULL);
	close(fd);
	double dbl = journal_double_write(dir);

	snprintf(path, sizeof(path), "%s/store", dir);
	mkdir(path, 0755);
	struct os_store *st;
	if (os_open(path, NULL, &st) || os_collection_create(st, "1.0_head"))
		return 1;
	/* Objects exist at full size first, so every case is an overwrite. */
	for (int i = 0; i < MAXTHR; i++) {
		char name[32];
		snprintf(name, sizeof(name), "obj%d", i);
		struct os_txn *t = os_txn_create();
		os_txn_write_full(t, "1.0_head", name, BIG, buf);
		if (os_txn_apply(st, t))
			return 1;
		os_txn_destroy(t);
	}
	double st1 = run(store_main, 1, SMALL, -1, st);
	double st8 = run(store_main, 8, SMALL, -1, st);
	double stbig = run(store_main, 1, BIG, -1, st);
	double stbig4 = run(store_main, 4, BIG, -1, st);
	os_close(st);
	if (own_dir)
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	if (raw1 < 0 || raw8 < 0 || rawbig < 0 || dbl < 0 || st1 < 0 || st8 < 0 || stbig < 0 ||
	    stbig4 < 0) {
		fprintf(stderr, "os_bench: an I/O failed\n");
		return 1;
	}

	double mb = BIG / 1048576.0;
	printf("4 KiB writes, 1 thread:  raw pwrite+fdatasync %7.0f/s  store %7.0f txn/s (x%.2f)\n",
	       raw1, st1, st1 / raw1);
	printf("4 KiB writes, 8 threads: raw pwrite+fdatasync %7.0f/s  store %7.0f txn/s (x%.2f)\n",
	       raw8, st8, st8 / raw8);
	printf("4 MiB writes, 1 thread:  raw pwrite+fdatasync %7.1f MB/s store %7.1f MB/s (x%.2f), "
	       "journal double-write %.1f MB/s (x%.2f)\n",
	       rawbig * mb, stbig * mb, stbig / rawbig, dbl * mb, dbl / rawbig);
	printf("4 MiB writes, 4 threads: store %.1f MB/s (x%.2f of 1-thread raw)\n",
	       stbig4 * mb, stbig4 / rawbig);
	free(buf);
	return 0;
}
