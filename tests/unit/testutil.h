/* What every cmocka suite includes, and helpers for building and checking
 * packets. */
#ifndef STACKLAB_TESTUTIL_H
#define STACKLAB_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/strutil.h"
#include "proto/field.h"
#include "proto/pkt.h"

/* Bytes from a hex string; aborts the test on malformed hex. */
static inline size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	long n = hex_decode(hex, out, cap);
	assert_true(n >= 0);
	return (size_t)n;
}

/* Sets a field by name from text, failing the test on error. */
static inline void set(struct pkt *p, int li, const char *name, const char *value)
{
	struct err e;
	int fi = field_lookup(p->layer[li].def, name);
	assert_true(fi >= 0);
	if (field_set_text(p, li, fi, value, NULL, &e) < 0)
		fail_msg("setting %s=%s: %s", name, value, e.msg);
}

static inline int fidx(const struct pkt *p, int li, const char *name)
{
	int fi = field_lookup(p->layer[li].def, name);
	assert_true(fi >= 0);
	return fi;
}

/* Pushes layers named in a space-separated list: "eth ip tcp". */
static inline void build(struct pkt *p, const char *layers)
{
	char copy[128];
	snprintf(copy, sizeof copy, "%s", layers);
	for (char *w = strtok(copy, " "); w; w = strtok(NULL, " ")) {
		const struct proto_def *def = proto_lookup(w);
		assert_non_null(def);
		assert_non_null(pkt_push(p, def, NULL));
	}
}

/* Asserts the frame equals the hex string. */
static inline void assert_frame(struct pkt *p, const char *hex)
{
	uint8_t want[2048];
	size_t n = unhex(hex, want, sizeof want);
	const struct buf *f = pkt_frame(p);
	if (f->len != n || memcmp(buf_data(f), want, n) != 0) {
		char got[4200] = "";
		for (size_t i = 0; i < f->len && i < 2000; i++)
			sprintf(got + 2 * i, "%02x", buf_data(f)[i]);
		fail_msg("frame differs:\n  want %s\n  got  %s", hex, got);
	}
}

/* ---- More helpers for the protocol, view and Lua suites. ---- */

/* Decodes a frame written as hex into p (initialised); returns its length. */
static inline size_t decode_hex(struct pkt *p, const char *hex)
{
	uint8_t b[2048];
	size_t n = unhex(hex, b, sizeof b);
	pkt_decode(p, b, n);
	return n;
}

/* Asserts n bytes equal the hex string, showing both when they differ. */
static inline void assert_bytes(const uint8_t *got, size_t n, const char *hex)
{
	uint8_t want[2048];
	size_t wn = unhex(hex, want, sizeof want);
	if (n != wn || memcmp(got, want, n) != 0) {
		char g[4200] = "";
		for (size_t i = 0; i < n && i < 2000; i++)
			sprintf(g + 2 * i, "%02x", got[i]);
		fail_msg("bytes differ:\n  want %s\n  got  %s", hex, g);
	}
}

/* Asserts that haystack contains needle, showing the haystack if not. */
#define assert_contains(hay, needle) do { \
	const char *h_ = (hay), *n_ = (needle); \
	if (!strstr(h_, n_)) \
		fail_msg("expected to find \"%s\" in:\n%s", n_, h_); \
} while (0)
#define assert_not_contains(hay, needle) do { \
	const char *h_ = (hay), *n_ = (needle); \
	if (strstr(h_, n_)) \
		fail_msg("did not expect \"%s\" in:\n%s", n_, h_); \
} while (0)

/* A layer's decoding error, all three parts. */
#define assert_derr(l, code_, a_, b_) do { \
	const struct layer *l_ = (l); \
	if (l_->err.code != (code_) || l_->err.a != (a_) || l_->err.b != (b_)) \
		fail_msg("%s: error {%u, %u, %u}, expected {%u, %u, %u}", l_->def->abbrev, \
			 l_->err.code, l_->err.a, l_->err.b, (unsigned)(code_), (unsigned)(a_), (unsigned)(b_)); \
} while (0)

/* An output callback (luaenv_config.out) that appends to the sbuf ctx. */
static inline void capture(void *ctx, const char *s, size_t n)
{
	sbuf_put(ctx, s, n);
}

/* The value of a field as field_format writes it, in out. */
static inline const char *field_str(const struct pkt *p, int li, const char *name, char *out, size_t cap)
{
	struct sbuf sb = SBUF_INIT;
	field_format(&p->layer[li], fidx(p, li, name), &sb);
	snprintf(out, cap, "%s", sbuf_str(&sb));
	sbuf_free(&sb);
	return out;
}

/* Asserts a field formats as want. */
#define assert_field(p, li, name, want) do { \
	char fs_[256]; \
	field_str((p), (li), (name), fs_, sizeof fs_); \
	if (strcmp(fs_, (want)) != 0) \
		fail_msg("field %s of layer %d is '%s', expected '%s'", (name), (li), fs_, (want)); \
} while (0)

#define assert_given(p, li, name) \
	assert_true(layer_given(&(p)->layer[li], fidx((p), (li), (name))))
#define assert_not_given(p, li, name) \
	assert_false(layer_given(&(p)->layer[li], fidx((p), (li), (name))))

/* Every layer of a decoded packet lies inside the frame, and the payload and
 * trailer fit after the last one. */
static inline void assert_layers_within_frame(const struct pkt *p)
{
	size_t len = p->frame.len, end = 0;
	for (int i = 0; i < p->n; i++) {
		const struct layer *l = &p->layer[i];
		if ((size_t)l->off + l->len > len)
			fail_msg("layer %d (%s) at %u+%u beyond the %zu-byte frame", i, l->def->abbrev,
				 l->off, l->len, len);
		if (l->off != end)
			fail_msg("layer %d (%s) starts at %u, not at %zu", i, l->def->abbrev, l->off, end);
		end = (size_t)l->off + l->len;
	}
	if (end + p->payload.len + p->trailer != len)
		fail_msg("layers end at %zu, payload %zu, trailer %u: not the frame's %zu bytes",
			 end, p->payload.len, p->trailer, len);
}

/* A small deterministic generator for fuzz-style loops (Numerical Recipes' LCG). */
static inline uint32_t lcg_next(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/* Every field of layer li of p formats the same as layer lj of q. */
static inline void assert_same_fields(const struct pkt *p, int li, const struct pkt *q, int lj)
{
	const struct layer *a = &p->layer[li], *b = &q->layer[lj];
	assert_ptr_equal(a->def, b->def);
	for (int f = 0; f < a->def->nfields; f++) {
		/* Raw option bytes the first did not give are built from its
		 * option fields, and those are compared one by one. */
		if (a->def->fields[f].type == FT_OPTS && !layer_given(a, f))
			continue;
		struct sbuf x = SBUF_INIT, y = SBUF_INIT;
		field_format(a, f, &x);
		field_format(b, f, &y);
		if (strcmp(sbuf_str(&x), sbuf_str(&y)) != 0)
			fail_msg("%s field %s: '%s' against '%s'", a->def->abbrev, a->def->fields[f].name,
				 sbuf_str(&x), sbuf_str(&y));
		sbuf_free(&x);
		sbuf_free(&y);
	}
}

/* Encodes p, decodes the frame into q, and checks that every layer came back
 * with the same fields and no error, and the same payload. */
static inline void assert_round_trip(struct pkt *p)
{
	struct pkt q;
	pkt_init(&q);
	const struct buf *f = pkt_frame(p);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.n, p->n);
	for (int i = 0; i < p->n; i++) {
		if (q.layer[i].err.code)
			fail_msg("layer %d (%s) decoded with error %u", i, q.layer[i].def->abbrev, q.layer[i].err.code);
		assert_same_fields(p, i, &q, i);
	}
	assert_int_equal(q.payload.len, p->payload.len);
	if (p->payload.len)
		assert_memory_equal(buf_data(&q.payload), buf_data(&p->payload), p->payload.len);
	pkt_free(&q);
}

/* Decodes hex, forgets the frame, encodes again from the decoded fields,
 * and expects the very same bytes (minus any Ethernet padding). */
static inline void assert_reencodes_identically(const char *hex)
{
	uint8_t b[2048];
	size_t n = unhex(hex, b, sizeof b);
	struct pkt p;
	pkt_init(&p);
	pkt_decode(&p, b, n);
	size_t keep = n - p.trailer;
	pkt_touch(&p);
	const struct buf *f = pkt_frame(&p);
	if (f->len != keep || memcmp(buf_data(f), b, keep) != 0) {
		char got[4200] = "";
		for (size_t i = 0; i < f->len && i < 2000; i++)
			sprintf(got + 2 * i, "%02x", buf_data(f)[i]);
		fail_msg("re-encoding differs:\n  want %s\n  got  %s", hex, got);
	}
	pkt_free(&p);
}

#endif
