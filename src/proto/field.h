/* Field descriptors: every header field of every protocol as data, so that
 * one piece of code reads, writes, parses, prints and range-checks them
 * for the packet builder, the Lua API and the views alike. */
#ifndef STACKLAB_PROTO_FIELD_H
#define STACKLAB_PROTO_FIELD_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/sbuf.h"
#include "proto/pkt.h"

enum field_type {
	FT_UINT,	/* unsigned, `bits` wide, stored in `size` bytes */
	FT_BOOL,	/* one bit, stored in a byte */
	FT_MAC,		/* uint8_t[6] */
	FT_IP4,		/* uint32_t, host order */
	FT_FLAGS,	/* TCP flags, uint8_t */
	FT_OPTS,	/* struct optbytes: raw option bytes */
	FT_SACK,	/* TCP SACK blocks: nsack and sack[] */
};

enum field_fill {
	FILL_DEFAULT,	/* has a default value */
	FILL_COMPUTED,	/* the encoder computes it unless given */
	FILL_OPTION,	/* absent unless given (TCP and IPv4 options) */
};

enum field_fmt { FMT_DEC, FMT_HEX };

struct field {
	const char *name;	/* as typed: "sport" */
	const char *label;	/* as shown: "Source Port" */
	uint8_t type, fill, fmt;
	uint8_t bits;		/* FT_UINT: width */
	uint8_t size;		/* FT_UINT: storage bytes */
	uint8_t wire_end;	/* where the field ends in a minimal header, in bytes */
	uint16_t offset;	/* in the header struct */
};

#define FLD_UINT(st, m, name, label, bits, fill, fmt, end) \
	{ name, label, FT_UINT, fill, fmt, bits, sizeof(((st *)0)->m), end, offsetof(st, m) }
#define FLD(st, m, type, name, label, fill, end) \
	{ name, label, type, fill, FMT_DEC, 0, sizeof(((st *)0)->m), end, offsetof(st, m) }

/* Looks host names up where an address is wanted ("pkt eth dst=b"). */
struct name_resolver {
	void *ctx;
	int (*mac)(void *ctx, const char *name, uint8_t mac[6]);
	int (*ip)(void *ctx, const char *name, uint32_t *ip);
};

int field_lookup(const struct proto_def *def, const char *name);
/* Fills e with "TCP has no field 'sprot' (did you mean 'sport'?) ..."; returns -1. */
int field_unknown(const struct proto_def *def, const char *name, struct err *e);
/* "sport dport seq ..." for error messages and help. */
void field_names(const struct proto_def *def, struct sbuf *sb);

uint64_t field_get_uint(const struct layer *l, const struct field *f);
/* The largest value an integer-like field holds. */
uint64_t field_max(const struct field *f);

/* Setters: check the value, store it, mark the field given, touch p.
 * Errors name the protocol, the field and what would be right. */
int field_set_uint(struct pkt *p, int li, int fi, int64_t v, struct err *e);
int field_set_bytes(struct pkt *p, int li, int fi, const uint8_t *b, size_t n, struct err *e);
int field_set_text(struct pkt *p, int li, int fi, const char *text,
		   const struct name_resolver *nr, struct err *e);
/* Back to the default (or computed, or absent) value. */
void field_unset(struct pkt *p, int li, int fi);

/* The value as text: "49152", "0x0800", "10.0.0.1", "SYN,ACK". */
void field_format(const struct layer *l, int fi, struct sbuf *sb);

/* Parses a number: decimal, 0x hex, 0b binary, 0o octal; 0 on success. */
int parse_uint(const char *s, uint64_t *v);

#endif
