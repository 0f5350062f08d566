/*
 * Rough cost of the object store's write path against the disk it runs
 * on, measured in the same run: a 4 MiB write (one txn) against a plain
 * pwrite+fsync of 4 MiB, and against writing the data twice (once into
 * RocksDB, as a journal would, then in place); and 4 KiB overwrites
 * against pwrite+fsync of 4 KiB.  Prints milliseconds per op and ratios.
 * Usage: os_bench [dir] (default: a fresh directory under /tmp).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <rocksdb/c.h>

#include "os/os.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int raw_write(const char *path, const char *buf, size_t len, int reps, size_t stride)
{
	int fd = open(path, O_RDWR | O_CREAT, 0644);
	if (fd < 0)
		return -1;
	for (int i = 0; i < reps; i++)
		if (pwrite(fd, buf, len, (off_t)((size_t)i * stride % (64u << 20))) != (ssize_t)len ||
		    fsync(fd))
			return -1;
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	char dir[256];
	enum { BIG = 4 << 20, REPS = 16, SMALL_REPS = 200 };
	if (argc > 1)
		snprintf(dir, sizeof(dir), "%s", argv[1]);
	else if (!mkdtemp(strcpy(dir, "/tmp/os-bench-XXXXXX")))
		return 1;
	char *buf = malloc(BIG), path[512];
	for (size_t i = 0; i < BIG; i++)
		buf[i] = (char)(i * 7 + (i >> 13));

	snprintf(path, sizeof(path), "%s/raw", dir);
	double t0 = now_ms();
	if (raw_write(path, buf, BIG, REPS, BIG))
		return 1;
	double raw_big = (now_ms() - t0) / REPS;
	t0 = now_ms();
	if (raw_write(path, buf, 4096, SMALL_REPS, 4096 * 37))
		return 1;
	double raw_small = (now_ms() - t0) / SMALL_REPS;

	/* Journal-style double write: data into RocksDB (sync), then in place. */
	char *err = NULL;
	snprintf(path, sizeof(path), "%s/journal-db", dir);
	rocksdb_options_t *o = rocksdb_options_create();
	rocksdb_options_set_create_if_missing(o, 1);
	rocksdb_writeoptions_t *wo = rocksdb_writeoptions_create();
	rocksdb_writeoptions_set_sync(wo, 1);
	rocksdb_t *db = rocksdb_open(o, path, &err);
	if (err)
		return 1;
	snprintf(path, sizeof(path), "%s/raw2", dir);
	int fd = open(path, O_RDWR | O_CREAT, 0644);
	t0 = now_ms();
	for (int i = 0; i < REPS; i++) {
		rocksdb_put(db, wo, "j", 1, buf, BIG, &err);
		if (err || pwrite(fd, buf, BIG, 0) != BIG || fsync(fd))
			return 1;
	}
	double dbl_big = (now_ms() - t0) / REPS;
	close(fd);
	rocksdb_close(db);
	rocksdb_writeoptions_destroy(wo);
	rocksdb_options_destroy(o);

	snprintf(path, sizeof(path), "%s/store", dir);
	mkdir(path, 0755);
	struct os_store *st;
	if (os_open(path, NULL, &st) || os_collection_create(st, "1.0_head"))
		return 1;
	t0 = now_ms();
	for (int i = 0; i < REPS; i++) {
		struct os_txn *t = os_txn_create();
		char name[32];
		snprintf(name, sizeof(name), "obj%d", i % 4);
		os_txn_write_full(t, "1.0_head", name, BIG, buf);
		if (os_txn_apply(st, t))
			return 1;
		os_txn_destroy(t);
	}
	double store_big = (now_ms() - t0) / REPS;
	t0 = now_ms();
	for (int i = 0; i < SMALL_REPS; i++) {
		struct os_txn *t = os_txn_create();
		os_txn_write(t, "1.0_head", "obj0", (uint64_t)i * 4096 * 37 % BIG, 4096, buf);
		if (os_txn_apply(st, t))
			return 1;
		os_txn_destroy(t);
	}
	double store_small = (now_ms() - t0) / SMALL_REPS;
	os_close(st);

	printf("4 MiB write: raw pwrite+fsync %.2f ms, store %.2f ms (x%.2f), "
	       "journal double-write %.2f ms (x%.2f)\n",
	       raw_big, store_big, store_big / raw_big, dbl_big, dbl_big / raw_big);
	printf("4 KiB overwrite: raw pwrite+fsync %.3f ms, store %.3f ms (x%.2f)\n",
	       raw_small, store_small, store_small / raw_small);
	free(buf);
	return 0;
}
