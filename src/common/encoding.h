/*
 * Little-endian encoding: a growable output buffer and a bounds-checked
 * input cursor, plus the versioned envelope every Loligo structure on the
 * wire or on disk is wrapped in.
 *
 * Both sides keep a sticky first error instead of returning one per call,
 * so an encoder or decoder is a straight list of puts or gets checked once
 * at the end (enc_buf_error(), dec_error()).  After an error every further
 * put is dropped and every get returns zero/NULL, so nothing reads past
 * the end or allocates from a corrupt length.
 *
 * Versioned structures.  enc_start() writes a 6-byte envelope
 *   u8 version, u8 compat_version, u32 body_length
 * and enc_finish() patches body_length once the body is written.
 * `version` is the encoder's format revision; `compat_version` is the
 * oldest revision a decoder must understand to read it at all (raise it
 * only when a change is not a pure append).  dec_start() refuses bodies
 * whose compat_version is newer than the decoder's `supported` revision
 * (-EOPNOTSUPP), hands back a sub-cursor bounded by body_length, and moves
 * the parent cursor past the whole body, so fields a newer encoder added
 * at the end are skipped unread.  Fields are only ever appended: a decoder
 * reads field N only when `version` says the encoder wrote it.
 *
 * Lengths that size allocations (dec_string, dec_blob) are checked against
 * both the bytes left and a caller-given maximum before anything is
 * allocated.  Errors: -EBADMSG for truncated or malformed input,
 * -EMSGSIZE for a length over the caller's maximum, -EOPNOTSUPP for an
 * incompatible version, -ENOMEM.  Not thread-safe per object.
 */
#ifndef LOLIGO_COMMON_ENCODING_H
#define LOLIGO_COMMON_ENCODING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ENC_ENVELOPE_LEN 6

/* ---- output ---- */

struct enc_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
	int err; /* first error (-ENOMEM, -EOVERFLOW), 0 if none */
};

void enc_buf_init(struct enc_buf *b);
/* Frees the contents; the buffer may be reused after enc_buf_init(). */
void enc_buf_release(struct enc_buf *b);
/* Hands the bytes to the caller (free() them); leaves `b` empty.  Returns
 * NULL (and frees) if the buffer had an error. */
uint8_t *enc_buf_detach(struct enc_buf *b, size_t *len);
/* Ensures room for `n` more bytes; 0 or -ENOMEM (also made sticky). */
int enc_buf_reserve(struct enc_buf *b, size_t n);
static inline int enc_buf_error(const struct enc_buf *b)
{
	return b->err;
}

void enc_put_u8(struct enc_buf *b, uint8_t v);
void enc_put_u16(struct enc_buf *b, uint16_t v);
void enc_put_u32(struct enc_buf *b, uint32_t v);
void enc_put_u64(struct enc_buf *b, uint64_t v);
void enc_put_s8(struct enc_buf *b, int8_t v);
void enc_put_s16(struct enc_buf *b, int16_t v);
void enc_put_s32(struct enc_buf *b, int32_t v);
void enc_put_s64(struct enc_buf *b, int64_t v);
void enc_put_bool(struct enc_buf *b, bool v);
/* Raw bytes, no length prefix. */
void enc_put_bytes(struct enc_buf *b, const void *p, size_t n);
/* Appends n bytes left for the caller to fill; returns their offset in
 * b->data (stable across later growth), or -1 on error (b->err set). */
ptrdiff_t enc_put_space(struct enc_buf *b, size_t n);
/* u32 length + bytes.  NULL is encoded as the empty string/blob. */
void enc_put_string(struct enc_buf *b, const char *s);
void enc_put_blob(struct enc_buf *b, const void *p, size_t n);
/* A string with its NUL included in the count, so a decoder can borrow
 * it in place (dec_cstr_ref); NULL encodes as "". */
void enc_put_cstr(struct enc_buf *b, const char *s);

/* Opens a versioned body; returns a mark for enc_finish(). */
size_t enc_start(struct enc_buf *b, uint8_t version, uint8_t compat);
/* Closes the body opened at `mark`, writing its length.  Returns the
 * buffer's sticky error (0 if all went well). */
int enc_finish(struct enc_buf *b, size_t mark);

/* ---- input ---- */

struct dec_cursor {
	const uint8_t *p;
	size_t left;
	int err; /* first error, 0 if none */
};

void dec_init(struct dec_cursor *c, const void *data, size_t len);
static inline int dec_error(const struct dec_cursor *c)
{
	return c->err;
}
static inline size_t dec_left(const struct dec_cursor *c)
{
	return c->err ? 0 : c->left;
}
/* Records `err` unless an earlier error is already recorded. */
void dec_fail(struct dec_cursor *c, int err);

uint8_t dec_u8(struct dec_cursor *c);
uint16_t dec_u16(struct dec_cursor *c);
uint32_t dec_u32(struct dec_cursor *c);
uint64_t dec_u64(struct dec_cursor *c);
int8_t dec_s8(struct dec_cursor *c);
int16_t dec_s16(struct dec_cursor *c);
int32_t dec_s32(struct dec_cursor *c);
int64_t dec_s64(struct dec_cursor *c);
/* Any nonzero byte is true. */
bool dec_bool(struct dec_cursor *c);
/* Copies `n` raw bytes into `out` (zero-filled on error). */
void dec_bytes(struct dec_cursor *c, void *out, size_t n);
/* Borrows `n` raw bytes from the input (NULL on error). */
const uint8_t *dec_ref(struct dec_cursor *c, size_t n);
void dec_skip(struct dec_cursor *c, size_t n);

/* A u32-length string, NUL-terminated in a malloc'd copy (the caller frees
 * it), at most `max` bytes long.  An embedded NUL is -EBADMSG.  NULL on
 * error. */
char *dec_string(struct dec_cursor *c, size_t max);
/* The same into a caller buffer of `size` bytes (max is size - 1). */
void dec_string_buf(struct dec_cursor *c, char *out, size_t size);
/* A u32-length blob in a malloc'd copy (never NULL on success, even when
 * empty), at most `max` bytes. */
void *dec_blob(struct dec_cursor *c, size_t max, size_t *len);
/* A u32-length blob borrowed from the input. */
const uint8_t *dec_blob_ref(struct dec_cursor *c, size_t max, size_t *len);
/* A string encoded with its NUL in the count (enc_put_cstr), borrowed
 * from the input: at most max characters, no NUL inside; an empty blob
 * reads as "".  NULL on error (the cursor fails with -EBADMSG). */
const char *dec_cstr_ref(struct dec_cursor *c, size_t max);

/* Opens a versioned body written by enc_start().  `supported` is the
 * newest revision this decoder knows.  On success *version is the
 * encoder's revision, `sub` covers exactly the body, and `c` has moved past
 * it.  Returns 0 or the (also recorded) error. */
int dec_start(struct dec_cursor *c, uint8_t supported, uint8_t *version,
	      struct dec_cursor *sub);
/* Folds the sub-cursor's error into its parent; returns the parent's
 * error.  Trailing bytes left in `sub` are fine: they are fields from a
 * newer version. */
int dec_finish(struct dec_cursor *c, const struct dec_cursor *sub);

#endif
