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

#endif
