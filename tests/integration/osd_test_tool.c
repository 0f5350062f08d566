/*
 * A small helper the OSD integration tests drive ceph-osd with.
 *
 *   osd_test_tool find DIR OID
 *       open the (stopped) OSD store in DIR, look for object OID (any
 *       namespace, no locator key) in every PG collection and print its
 *       data to stdout; exit 0 if found, 1 if not, 2 on error.
 *   osd_test_tool garbage ADDR COUNT
 *       connect to the OSD at ADDR as client.garbage and send COUNT
 *       malformed OSD_MSG_OP frames (random bytes, truncated and
 *       corrupted encodings of a real op); exit 0 once sent.
 *   osd_test_tool badop ADDR POOL OID
 *       stat OID in POOL, then in a pool that does not exist, on the OSD
 *       at ADDR; print each reply's result (-errno).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/encoding.h"
#include "msg/msgr.h"
#include "os/os.h"
#include "osdc/osd_proto.h"

static int cmd_find(const char *dir, const char *oid)
{
	struct os_store *st;
	char **colls = NULL;
	size_t nc = 0;
	int r, found = 1;

	r = os_open(dir, NULL, &st);
	if (r) {
		fprintf(stderr, "os_open %s: %s\n", dir, strerror(-r));
		return 2;
	}
	r = os_collection_list(st, &colls, &nc);
	for (size_t i = 0; !r && i < nc && found; i++) {
		char *soid = osd_store_name("", "", oid);
		struct os_stat s;

		if (!soid)
			break;
		if (os_stat(st, colls[i], soid, &s) == 0) {
			char *buf = malloc(s.size ? s.size : 1);
			ssize_t n = buf ? os_read(st, colls[i], soid, 0, s.size, buf) : -ENOMEM;

			if (n >= 0) {
				fwrite(buf, 1, (size_t)n, stdout);
				found = 0;
			} else {
				fprintf(stderr, "read %s/%s: %s\n", colls[i], oid, strerror((int)-n));
				found = 2;
			}
			free(buf);
		}
		free(soid);
	}
	for (size_t i = 0; i < nc; i++)
		free(colls[i]);
	free(colls);
	os_close(st);
	return r ? 2 : found;
}

static int open_client(const char *addr_s, struct msgr_client **cl)
{
	struct msgr_addr addr;
	int r = msgr_addr_parse(addr_s, 6800, &addr);

	if (r) {
		fprintf(stderr, "bad address %s\n", addr_s);
		return r;
	}
	r = msgr_client_open("client.garbage", NULL, NULL, &addr, 5000, cl);
	if (r)
		fprintf(stderr, "connect %s: %s\n", addr_s, strerror(-r));
	return r;
}

static int encode_op(uint16_t code, const char *oid, int64_t pool, struct enc_buf *b)
{
	struct osd_op op = { .op = code, .name = "", .len = 16 };
	struct osd_op_msg m = { .tid = 1, .epoch = 1, .flags = OSD_FLAG_READ, .pool = pool,
				.nspace = "", .key = "", .oid = oid, .n_ops = 1, .ops = &op };

	enc_buf_init(b);
	return osd_op_msg_encode(&m, b);
}

static int cmd_garbage(const char *addr_s, int count)
{
	struct msgr_client *cl = NULL;
	struct enc_buf good;
	uint8_t buf[512];
	int sent = 0;

	srand((unsigned)getpid());
	if (encode_op(OSD_OP_READ, "victim", 1, &good))
		return 2;
	for (int i = 0; i < count; i++) {
		size_t len;
		int r;

		if (!cl && open_client(addr_s, &cl))
			return 2;
		switch (i % 3) {
		case 0: /* random bytes */
			len = (size_t)(rand() % (int)sizeof(buf));
			for (size_t k = 0; k < len; k++)
				buf[k] = (uint8_t)rand();
			break;
		case 1: /* a real op cut short */
			len = good.len > 1 ? (size_t)rand() % (good.len - 1) : 0;
			memcpy(buf, good.data, len);
			break;
		default: /* a real op with a byte changed */
			len = good.len < sizeof(buf) ? good.len : sizeof(buf);
			memcpy(buf, good.data, len);
			buf[(size_t)rand() % len] ^= (uint8_t)(1 + rand() % 255);
			break;
		}
		r = msgr_send(msgr_client_conn(cl), OSD_MSG_OP, buf, len);
		if (r) {
			/* The OSD closed this connection: use a new one. */
			msgr_client_close(cl);
			cl = NULL;
			continue;
		}
		sent++;
		usleep(2000);
	}
	if (cl)
		msgr_client_close(cl);
	enc_buf_release(&good);
	printf("sent %d malformed ops\n", sent);
	return 0;
}

static int call_op(struct msgr_client *cl, struct enc_buf *b)
{
	struct msgr_msg *reply = NULL;
	struct osd_op_reply rep;
	int r = msgr_client_call(cl, OSD_MSG_OP, b->data, b->len, 10000, &reply);

	enc_buf_release(b);
	if (r)
		return r;
	r = osd_op_reply_decode(reply->data, reply->len, &rep);
	if (!r) {
		r = rep.result;
		osd_op_reply_release(&rep);
	}
	msgr_msg_put(reply);
	return r;
}

static int cmd_badop(const char *addr_s, const char *pool_s, const char *oid)
{
	struct msgr_client *cl = NULL;
	struct enc_buf b;
	int64_t pool = atoll(pool_s);
	int r;

	if (open_client(addr_s, &cl))
		return 2;
	encode_op(OSD_OP_STAT, oid, pool, &b);
	r = call_op(cl, &b);
	printf("stat %s: %d\n", oid, r);
	encode_op(OSD_OP_STAT, oid, 999999, &b);
	r = call_op(cl, &b);
	printf("stat in missing pool: %d\n", r);
	{
		char *longname = malloc(3001);

		if (longname) {
			memset(longname, 'n', 3000);
			longname[3000] = 0;
			encode_op(OSD_OP_STAT, longname, pool, &b);
			r = call_op(cl, &b);
			printf("name of 3000 bytes: %d\n", r);
			free(longname);
		}
	}
	/* An op code this OSD does not know (a newer client's). */
	encode_op(OSD_OP_MAX_ + 100, oid, pool, &b);
	r = call_op(cl, &b);
	printf("unknown op: %d\n", r);
	msgr_client_close(cl);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "find"))
		return cmd_find(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "garbage"))
		return cmd_garbage(argv[2], atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "badop"))
		return cmd_badop(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: osd_test_tool find DIR OID | garbage ADDR COUNT | "
			"badop ADDR POOL OID\n");
	return 2;
}
