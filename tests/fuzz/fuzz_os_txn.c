/*
 * Fuzz target for the object store transaction decoders (os_txn_decode and
 * the borrowing os_txn_decode_ref),
 * which replicas run on bytes from the network.  Whatever the input,
 * decoding must not read out of bounds, allocate from an unchecked length,
 * or leak; a transaction that decodes must re-encode, and that encoding
 * must decode and re-encode to the same bytes (newer envelope versions or
 * a nonzero bool other than 1 make the input itself differ), with op and
 * data counts the input could actually carry.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/encoding.h"
#include "os/os.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct os_txn *t = NULL, *t2 = NULL;
	struct enc_buf b, b2;

	struct os_txn *tr = NULL;
	int rr = os_txn_decode_ref(data, size, &tr);

	if (os_txn_decode(data, size, &t) != 0) {
		if (t || tr || rr == 0)
			abort();	/* no txn on failure; both decoders agree */
		return 0;
	}
	if (rr != 0)
		abort();
	/* The borrowing decoder's txn encodes to the same bytes. */
	enc_buf_init(&b);
	enc_buf_init(&b2);
	if (os_txn_encode(t, &b) || os_txn_encode(tr, &b2) || b.len != b2.len ||
	    memcmp(b.data, b2.data, b.len))
		abort();
	enc_buf_release(&b);
	enc_buf_release(&b2);
	os_txn_destroy(tr);
	if (os_txn_data_bytes(t) > size || os_txn_num_ops(t) > size)
		abort();
	enc_buf_init(&b);
	if (os_txn_encode(t, &b) != 0)
		abort();
	if (b.len > size || os_txn_decode(b.data, b.len, &t2) != 0)
		abort();
	enc_buf_init(&b2);
	if (os_txn_encode(t2, &b2) != 0 || b2.len != b.len || memcmp(b.data, b2.data, b.len))
		abort();
	enc_buf_release(&b2);
	enc_buf_release(&b);
	os_txn_destroy(t2);
	os_txn_destroy(t);
	return 0;
}
