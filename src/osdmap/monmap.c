/*
 * The monitor map itself: its monitors in rank order, adding and removing
 * them with Ceph's rank rules, and its versioned binary encoding, both the
 * body carried in messages and the file form monmaptool and ceph-mon
 * --mkfs read and write.  Parsing and printing live in monmap_text.c.
 *
 * Encoding invariants (docs/monmap.md has the byte layout):
 *  1. Every count is checked against MONMAP_MAX_MONS / MONMAP_ADDRVEC_MAX
 *     and against the bytes left before it sizes an allocation.
 *  2. A decoded map has unique, non-empty, NUL-free names, and only v4/v6
 *     addresses of a known type; anything else is -EBADMSG.
 *  3. Fields are only appended; the decoder reads what `version` says the
 *     encoder wrote and skips what a newer encoder added after it.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/crc32c.h"
#include "osdmap/monmap.h"

#define MONMAP_VERSION 1
#define MONMAP_COMPAT 1
#define MON_VERSION 1
#define MON_COMPAT 1

#define FAMILY_V4 4
#define FAMILY_V6 6

/* The file form: magic, the versioned body, crc32c of everything before. */
static const uint8_t file_magic[8] = { 'L', 'O', 'L', 'M', 'O', 'N', 'M', 0x01 };
#define MONMAP_FILE_MAX (64u << 20)

void monmap_init(struct monmap *m)
{
	struct timespec ts;

	memset(m, 0, sizeof(*m));
	clock_gettime(CLOCK_REALTIME, &ts);
	m->created.sec = ts.tv_sec;
	m->created.nsec = (uint32_t)ts.tv_nsec;
	m->modified = m->created;
	m->election_strategy = MONMAP_ELECTION_CLASSIC;
}

void monmap_release(struct monmap *m)
{
	free(m->mons);
	m->mons = NULL;
	m->count = m->cap = 0;
}

int monmap_copy(struct monmap *dst, const struct monmap *src)
{
	*dst = *src;
	dst->mons = NULL;
	dst->cap = 0;
	if (src->count) {
		dst->mons = calloc(src->count, sizeof(*dst->mons));
		if (!dst->mons) {
			dst->count = 0;
			return -ENOMEM;
		}
		memcpy(dst->mons, src->mons, src->count * sizeof(*dst->mons));
		dst->cap = src->count;
	}
	return 0;
}

struct monmap_mon *monmap_find(const struct monmap *m, const char *name,
			       size_t *rank)
{
	for (size_t i = 0; i < m->count; i++) {
		if (strcmp(m->mons[i].name, name) == 0) {
			if (rank)
				*rank = i;
			return &m->mons[i];
		}
	}
	return NULL;
}

static bool addr_equal(const struct monmap_addr *a, const struct monmap_addr *b)
{
	return monmap_addr_cmp(a, b) == 0;
}

bool monmap_contains_addr(const struct monmap *m, const struct monmap_addr *a)
{
	for (size_t i = 0; i < m->count; i++)
		for (unsigned j = 0; j < m->mons[i].naddrs; j++)
			if (addr_equal(&m->mons[i].addrs[j], a))
				return true;
	return false;
}

const struct monmap_addr *monmap_mon_addr(const struct monmap_mon *mon)
{
	for (unsigned i = 0; i < mon->naddrs; i++)
		if (mon->addrs[i].type == MONMAP_ADDR_V1)
			return &mon->addrs[i];
	return &mon->addrs[0];
}

static uint16_t sa_port(const struct sockaddr_storage *sa)
{
	if (sa->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return ntohs(((const struct sockaddr_in *)sa)->sin_port);
}

static void sa_set_port(struct sockaddr_storage *sa, uint16_t port)
{
	if (sa->ss_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)sa)->sin_port = htons(port);
}

static void raft_default(const struct monmap_mon *mon,
			 struct sockaddr_storage *out)
{
	*out = monmap_mon_addr(mon)->sa;
	sa_set_port(out, (uint16_t)(sa_port(out) + 1));
}

static int sa_cmp(const struct sockaddr_storage *a,
		  const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return a->ss_family < b->ss_family ? -1 : 1;
	if (sa_port(a) != sa_port(b))
		return sa_port(a) < sa_port(b) ? -1 : 1;
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
		return memcmp(&x->sin6_addr, &y->sin6_addr, 16);
	}
	const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
	return memcmp(&x->sin_addr, &y->sin_addr, 4);
}

bool monmap_raft_is_default(const struct monmap_mon *mon)
{
	struct sockaddr_storage d;

	raft_default(mon, &d);
	return sa_cmp(&d, &mon->raft) == 0;
}

int monmap_addr_cmp(const struct monmap_addr *a, const struct monmap_addr *b)
{
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->nonce != b->nonce)
		return a->nonce < b->nonce ? -1 : 1;
	return sa_cmp(&a->sa, &b->sa);
}

static int mon_rank_cmp(const void *x, const void *y)
{
	const struct monmap_mon *a = x, *b = y;
	int r = monmap_addr_cmp(monmap_mon_addr(a), monmap_mon_addr(b));

	return r ? r : strcmp(a->name, b->name);
}

void monmap_sort(struct monmap *m)
{
	if (m->persistent_features & MONMAP_FEATURE_NAUTILUS)
		return;
	if (m->count > 1)
		qsort(m->mons, m->count, sizeof(*m->mons), mon_rank_cmp);
}

static bool addr_valid(const struct monmap_addr *a)
{
	if (a->type > MONMAP_ADDR_ANY)
		return false;
	return a->sa.ss_family == AF_INET || a->sa.ss_family == AF_INET6;
}

static void set_err(char *err, size_t errlen, const char *fmt, const char *s)
{
	if (err && errlen)
		snprintf(err, errlen, fmt, s);
}

int monmap_add(struct monmap *m, const char *name,
	       const struct monmap_addr *addrs, unsigned n,
	       char *err, size_t errlen)
{
	struct monmap_mon *mon;
	char buf[96];

	if (!name[0] || strlen(name) >= MONMAP_NAME_MAX) {
		set_err(err, errlen, "invalid monitor name '%s'", name);
		return -EINVAL;
	}
	if (n == 0 || n > MONMAP_ADDRVEC_MAX) {
		set_err(err, errlen, "invalid address vector for mon.%s", name);
		return -EINVAL;
	}
	for (unsigned i = 0; i < n; i++) {
		if (!addr_valid(&addrs[i])) {
			set_err(err, errlen, "invalid address for mon.%s", name);
			return -EINVAL;
		}
	}
	if (monmap_find(m, name, NULL)) {
		set_err(err, errlen, "map already contains mon.%s", name);
		return -EEXIST;
	}
	for (unsigned i = 0; i < n; i++) {
		if (monmap_contains_addr(m, &addrs[i])) {
			monmap_addr_format(&addrs[i], buf, sizeof(buf));
			set_err(err, errlen, "map already contains %s", buf);
			return -EEXIST;
		}
	}
	if (m->count >= MONMAP_MAX_MONS) {
		set_err(err, errlen, "too many monitors adding mon.%s", name);
		return -ENOSPC;
	}
	if (m->count == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 4;
		struct monmap_mon *p = realloc(m->mons, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		m->mons = p;
		m->cap = cap;
	}
	mon = &m->mons[m->count];
	memset(mon, 0, sizeof(*mon));
	memcpy(mon->name, name, strlen(name) + 1);
	memcpy(mon->addrs, addrs, n * sizeof(*addrs));
	mon->naddrs = n;
	raft_default(mon, &mon->raft);
	m->count++;
	monmap_sort(m);
	return 0;
}

int monmap_remove(struct monmap *m, const char *name)
{
	size_t rank;

	if (!monmap_find(m, name, &rank))
		return -ENOENT;
	memmove(&m->mons[rank], &m->mons[rank + 1],
		(m->count - rank - 1) * sizeof(*m->mons));
	m->count--;
	return 0;
}

/* ---- encoding ---- */

static void enc_sockaddr(struct enc_buf *b, const struct sockaddr_storage *sa)
{
	if (sa->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;
		enc_put_u8(b, FAMILY_V6);
		enc_put_u16(b, ntohs(s6->sin6_port));
		enc_put_bytes(b, &s6->sin6_addr, 16);
	} else {
		const struct sockaddr_in *s4 = (const void *)sa;
		enc_put_u8(b, FAMILY_V4);
		enc_put_u16(b, ntohs(s4->sin_port));
		enc_put_bytes(b, &s4->sin_addr, 4);
	}
}

static void dec_sockaddr(struct dec_cursor *c, struct sockaddr_storage *sa)
{
	uint8_t family = dec_u8(c);
	uint16_t port = dec_u16(c);

	memset(sa, 0, sizeof(*sa));
	if (family == FAMILY_V6) {
		struct sockaddr_in6 *s6 = (void *)sa;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		dec_bytes(c, &s6->sin6_addr, 16);
	} else if (family == FAMILY_V4) {
		struct sockaddr_in *s4 = (void *)sa;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		dec_bytes(c, &s4->sin_addr, 4);
	} else {
		dec_fail(c, -EBADMSG);
	}
}

static void enc_mon(struct enc_buf *b, const struct monmap_mon *mon)
{
	size_t mark = enc_start(b, MON_VERSION, MON_COMPAT);

	enc_put_string(b, mon->name);
	enc_put_u8(b, (uint8_t)mon->naddrs);
	for (unsigned i = 0; i < mon->naddrs; i++) {
		enc_put_u8(b, mon->addrs[i].type);
		enc_put_u32(b, mon->addrs[i].nonce);
		enc_sockaddr(b, &mon->addrs[i].sa);
	}
	enc_sockaddr(b, &mon->raft);
	enc_put_u16(b, mon->priority);
	enc_put_u16(b, mon->weight);
	enc_finish(b, mark);
}

int monmap_encode(const struct monmap *m, struct enc_buf *b)
{
	size_t mark = enc_start(b, MONMAP_VERSION, MONMAP_COMPAT);

	enc_put_bytes(b, m->fsid, sizeof(m->fsid));
	enc_put_u32(b, m->epoch);
	enc_put_s64(b, m->created.sec);
	enc_put_u32(b, m->created.nsec);
	enc_put_s64(b, m->modified.sec);
	enc_put_u32(b, m->modified.nsec);
	enc_put_u8(b, m->min_mon_release);
	enc_put_u8(b, m->election_strategy);
	enc_put_u64(b, m->persistent_features);
	enc_put_u64(b, m->optional_features);
	enc_put_u32(b, (uint32_t)m->count);
	for (size_t i = 0; i < m->count; i++)
		enc_mon(b, &m->mons[i]);
	return enc_finish(b, mark);
}

static bool name_valid(const char *name)
{
	if (!name[0])
		return false;
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x21 || *p == 0x7f)
			return false;
	return true;
}

static void dec_mon(struct dec_cursor *c, struct monmap_mon *mon)
{
	struct dec_cursor sub;
	uint8_t version;

	memset(mon, 0, sizeof(*mon));
	if (dec_start(c, MON_VERSION, &version, &sub) != 0)
		return;
	dec_string_buf(&sub, mon->name, sizeof(mon->name));
	mon->naddrs = dec_u8(&sub);
	if (!dec_error(&sub) && (mon->naddrs == 0 || mon->naddrs > MONMAP_ADDRVEC_MAX))
		dec_fail(&sub, -EBADMSG);
	for (unsigned i = 0; i < mon->naddrs && !dec_error(&sub); i++) {
		struct monmap_addr *a = &mon->addrs[i];
		a->type = dec_u8(&sub);
		a->nonce = dec_u32(&sub);
		dec_sockaddr(&sub, &a->sa);
		if (!dec_error(&sub) && !addr_valid(a))
			dec_fail(&sub, -EBADMSG);
	}
	dec_sockaddr(&sub, &mon->raft);
	mon->priority = dec_u16(&sub);
	mon->weight = dec_u16(&sub);
	if (!dec_error(&sub) && !name_valid(mon->name))
		dec_fail(&sub, -EBADMSG);
	dec_finish(c, &sub);
}

/* The smallest encoding of one monitor: envelope, 1-byte name, one v4
 * address, v4 raft address, priority and weight. */
#define MON_MIN_BYTES (ENC_ENVELOPE_LEN + 4 + 1 + 1 + (1 + 4 + 7) + 7 + 4)

int monmap_decode(struct monmap *m, struct dec_cursor *c)
{
	struct dec_cursor sub;
	uint8_t version;
	uint32_t count;
	int r;

	memset(m, 0, sizeof(*m));
	r = dec_start(c, MONMAP_VERSION, &version, &sub);
	if (r)
		return r;
	dec_bytes(&sub, m->fsid, sizeof(m->fsid));
	m->epoch = dec_u32(&sub);
	m->created.sec = dec_s64(&sub);
	m->created.nsec = dec_u32(&sub);
	m->modified.sec = dec_s64(&sub);
	m->modified.nsec = dec_u32(&sub);
	m->min_mon_release = dec_u8(&sub);
	m->election_strategy = dec_u8(&sub);
	m->persistent_features = dec_u64(&sub);
	m->optional_features = dec_u64(&sub);
	count = dec_u32(&sub);
	if (dec_error(&sub))
		goto out_finish;
	if (m->created.nsec >= 1000000000u || m->modified.nsec >= 1000000000u) {
		dec_fail(&sub, -EBADMSG);
		goto out_finish;
	}
	if (count > MONMAP_MAX_MONS) {
		dec_fail(&sub, -EMSGSIZE);
		goto out_finish;
	}
	if (count > dec_left(&sub) / MON_MIN_BYTES) {
		dec_fail(&sub, -EBADMSG);
		goto out_finish;
	}
	if (count) {
		m->mons = calloc(count, sizeof(*m->mons));
		if (!m->mons) {
			dec_fail(&sub, -ENOMEM);
			goto out_finish;
		}
		m->cap = count;
	}
	for (uint32_t i = 0; i < count && !dec_error(&sub); i++) {
		dec_mon(&sub, &m->mons[i]);
		if (dec_error(&sub))
			break;
		for (uint32_t j = 0; j < i; j++) {
			if (strcmp(m->mons[j].name, m->mons[i].name) == 0) {
				dec_fail(&sub, -EBADMSG);
				break;
			}
		}
		m->count = i + 1;
	}
out_finish:
	r = dec_finish(c, &sub);
	if (r)
		monmap_release(m);
	return r;
}

int monmap_encode_file(const struct monmap *m, uint8_t **out, size_t *len)
{
	struct enc_buf b;
	uint32_t crc;
	int r;

	enc_buf_init(&b);
	enc_put_bytes(&b, file_magic, sizeof(file_magic));
	monmap_encode(m, &b);
	if (!enc_buf_error(&b)) {
		crc = crc32c(b.data, b.len);
		enc_put_u32(&b, crc);
	}
	r = enc_buf_error(&b);
	if (r) {
		enc_buf_release(&b);
		return r;
	}
	*out = enc_buf_detach(&b, len);
	return *out ? 0 : -ENOMEM;
}

int monmap_decode_file(struct monmap *m, const void *data, size_t len)
{
	const uint8_t *p = data;
	struct dec_cursor c;
	uint32_t crc;
	int r;

	memset(m, 0, sizeof(*m));
	if (len < sizeof(file_magic) + ENC_ENVELOPE_LEN + 4 ||
	    memcmp(p, file_magic, sizeof(file_magic)) != 0)
		return -EBADMSG;
	dec_init(&c, p + len - 4, 4);
	crc = dec_u32(&c);
	if (crc != crc32c(p, len - 4))
		return -EBADMSG;
	dec_init(&c, p + sizeof(file_magic), len - sizeof(file_magic) - 4);
	r = monmap_decode(m, &c);
	if (r)
		return r;
	if (dec_left(&c) != 0) {
		monmap_release(m);
		return -EBADMSG;
	}
	return 0;
}

int monmap_read_file(struct monmap *m, const char *path)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t got = 0;
	int fd, r;

	memset(m, 0, sizeof(*m));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) != 0) {
		r = -errno;
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		r = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		goto out_close;
	}
	if ((uint64_t)st.st_size > MONMAP_FILE_MAX) {
		r = -EFBIG;
		goto out_close;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		r = -ENOMEM;
		goto out_close;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			goto out_free;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	r = monmap_decode_file(m, buf, got);
out_free:
	free(buf);
out_close:
	close(fd);
	return r;
}

int monmap_write_file(const struct monmap *m, const char *path)
{
	uint8_t *data;
	size_t len, done = 0;
	char *tmp;
	size_t plen = strlen(path);
	int fd, r;

	r = monmap_encode_file(m, &data, &len);
	if (r)
		return r;
	tmp = malloc(plen + 16);
	if (!tmp) {
		r = -ENOMEM;
		goto out_data;
	}
	snprintf(tmp, plen + 16, "%s.tmp.%ld", path, (long)getpid() % 100000);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		r = -errno;
		goto out_tmp;
	}
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			goto out_unlink;
		}
		done += (size_t)n;
	}
	if (fsync(fd) != 0) {
		r = -errno;
		goto out_unlink;
	}
	if (close(fd) != 0) {
		fd = -1;
		r = -errno;
		goto out_unlink;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		r = -errno;
		goto out_unlink;
	}
	goto out_tmp;
out_unlink:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out_tmp:
	free(tmp);
out_data:
	free(data);
	return r;
}
