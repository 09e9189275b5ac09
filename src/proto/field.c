#include "proto/field.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strutil.h"

static void *field_ptr(struct layer *l, const struct field *f)
{
	return (char *)&l->h + f->offset;
}

static const void *field_cptr(const struct layer *l, const struct field *f)
{
	return (const char *)&l->h + f->offset;
}

int field_lookup(const struct proto_def *def, const char *name)
{
	/* Names are typed as they are written nearly always: look for that
	 * first, byte by byte, and only then ignoring case. Field names differ
	 * even ignoring case, so both passes find the same field. */
	for (int i = 0; i < def->nfields; i++)
		if (def->fields[i].name[0] == name[0] && strcmp(def->fields[i].name, name) == 0)
			return i;
	for (int i = 0; i < def->nfields; i++)
		if (str_ieq(def->fields[i].name, name))
			return i;
	return -1;
}

void field_names(const struct proto_def *def, struct sbuf *sb)
{
	for (int i = 0; i < def->nfields; i++)
		sbuf_printf(sb, "%s%s", i ? " " : "", def->fields[i].name);
}

int field_unknown(const struct proto_def *def, const char *name, struct err *e)
{
	const char *names[32];
	for (int i = 0; i < def->nfields; i++)
		names[i] = def->fields[i].name;
	const char *near = closest_word(name, names, def->nfields);
	struct sbuf sb = SBUF_INIT;
	field_names(def, &sb);
	if (near)
		err_set(e, "%s has no field '%s' (did you mean '%s'?); its fields are: %s",
			def->abbrev, name, near, sbuf_str(&sb));
	else
		err_set(e, "%s has no field '%s'; its fields are: %s", def->abbrev, name, sbuf_str(&sb));
	sbuf_free(&sb);
	return -1;
}

uint64_t field_get_uint(const struct layer *l, const struct field *f)
{
	const void *p = field_cptr(l, f);
	switch (f->type == FT_UINT ? f->size : f->type == FT_IP4 ? 4 : 1) {
	case 1: return *(const uint8_t *)p;
	case 2: return *(const uint16_t *)p;
	case 4: return *(const uint32_t *)p;
	default: return 0;
	}
}

uint64_t field_max(const struct field *f)
{
	switch (f->type) {
	case FT_UINT: return (UINT64_C(1) << f->bits) - 1;
	case FT_BOOL: return 1;
	case FT_FLAGS: return 0xff;
	case FT_IP4: return 0xffffffffu;
	default: return 0;
	}
}

static void mark_set(struct pkt *p, int li, int fi)
{
	struct layer *l = &p->layer[li];
	l->given |= 1u << fi;
	if (l->def->on_set)
		l->def->on_set(l, fi);
	pkt_touch(p);
}

static void store_uint(struct layer *l, const struct field *f, uint64_t v)
{
	void *p = field_ptr(l, f);
	switch (f->type == FT_UINT ? f->size : f->type == FT_IP4 ? 4 : 1) {
	case 1: *(uint8_t *)p = (uint8_t)v; break;
	case 2: *(uint16_t *)p = (uint16_t)v; break;
	case 4: *(uint32_t *)p = (uint32_t)v; break;
	default: break;
	}
}

static int wants(const struct layer *l, const struct field *f, const char *what, const char *got, struct err *e)
{
	return err_set(e, "%s field '%s' (%s) wants %s (got '%s')",
		       l->def->abbrev, f->name, f->label, what, got);
}

int field_set_uint(struct pkt *p, int li, int fi, int64_t v, struct err *e)
{
	struct layer *l = &p->layer[li];
	const struct field *f = &l->def->fields[fi];
	uint64_t max = field_max(f);
	if (f->type == FT_MAC || f->type == FT_OPTS || f->type == FT_SACK)
		return err_set(e, "%s field '%s' (%s) wants text, not a number", l->def->abbrev, f->name, f->label);
	if (v < 0 || (uint64_t)v > max)
		return err_set(e, "%s field '%s' (%s) must be from 0 to %" PRIu64 " (got %" PRId64 ")",
			       l->def->abbrev, f->name, f->label, max, v);
	store_uint(l, f, (uint64_t)v);
	mark_set(p, li, fi);
	return 0;
}

int field_set_bytes(struct pkt *p, int li, int fi, const uint8_t *b, size_t n, struct err *e)
{
	struct layer *l = &p->layer[li];
	const struct field *f = &l->def->fields[fi];
	if (f->type != FT_OPTS)
		return err_set(e, "%s field '%s' (%s) does not take raw bytes", l->def->abbrev, f->name, f->label);
	struct optbytes *o = field_ptr(l, f);
	if (n > sizeof o->b)
		return err_set(e, "%s field '%s' (%s) holds at most 40 bytes (got %zu)",
			       l->def->abbrev, f->name, f->label, n);
	memcpy(o->b, b, n);
	o->len = (uint8_t)n;
	mark_set(p, li, fi);
	return 0;
}

static int parse_bool(const char *s, uint64_t *v)
{
	static const char *const yes[] = {"1", "true", "yes", "on", "set"};
	static const char *const no[] = {"0", "false", "no", "off", "unset"};
	for (size_t i = 0; i < 5; i++) {
		if (str_ieq(s, yes[i]))
			return *v = 1, 0;
		if (str_ieq(s, no[i]))
			return *v = 0, 0;
	}
	return -1;
}

int parse_uint(const char *s, uint64_t *v)
{
	int base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2, s += 2;
	else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
		base = 8, s += 2;
	if (!isxdigit((unsigned char)s[0]))
		return -1;
	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return -1;	/* strtoull would take a second "0x" */
	errno = 0;
	char *end;
	unsigned long long n = strtoull(s, &end, base);
	if (errno || *end)
		return -1;
	*v = n;
	return 0;
}

static int parse_sack(const char *s, struct tcp_sack *sk)
{
	struct tcp_sack out = {0};
	while (*s) {
		char *end;
		if (!isdigit((unsigned char)*s) || out.n == TCP_MAX_SACK)
			return -1;
		unsigned long long left = strtoull(s, &end, 10);
		if (*end != '-' || !isdigit((unsigned char)end[1]))
			return -1;
		unsigned long long right = strtoull(end + 1, &end, 10);
		if (left > 0xffffffffu || right > 0xffffffffu)
			return -1;
		out.edge[2 * out.n] = (uint32_t)left;
		out.edge[2 * out.n + 1] = (uint32_t)right;
		out.n++;
		while (*end == ',' || *end == ' ')
			end++;
		s = end;
	}
	*sk = out;
	return 0;
}

int field_set_text(struct pkt *p, int li, int fi, const char *text,
		   const struct name_resolver *nr, struct err *e)
{
	struct layer *l = &p->layer[li];
	const struct field *f = &l->def->fields[fi];
	uint64_t v;
	switch (f->type) {
	case FT_UINT:
		if (parse_uint(text, &v) < 0) {
			char what[80];
			snprintf(what, sizeof what, "a whole number from 0 to %" PRIu64, field_max(f));
			return wants(l, f, what, text, e);
		}
		if (v > field_max(f))
			return err_set(e, "%s field '%s' (%s) must be from 0 to %" PRIu64 " (got %s)",
				       l->def->abbrev, f->name, f->label, field_max(f), text);
		return field_set_uint(p, li, fi, (int64_t)v, e);
	case FT_BOOL:
		if (parse_bool(text, &v) < 0)
			return wants(l, f, "1 or 0 (true or false)", text, e);
		return field_set_uint(p, li, fi, (int64_t)v, e);
	case FT_FLAGS: {
		uint8_t flags;
		if (tcp_flags_parse(text, &flags) < 0)
			return wants(l, f, "flags such as SYN,ACK or Scapy's SA or tcpdump's S.", text, e);
		return field_set_uint(p, li, fi, flags, e);
	}
	case FT_MAC: {
		uint8_t mac[6];
		if (mac_parse(text, mac) < 0 && !(nr && nr->mac && nr->mac(nr->ctx, text, mac) == 0))
			return wants(l, f, nr ? "a MAC address like 02:00:00:00:00:0b, or a host name"
					      : "a MAC address like 02:00:00:00:00:0b", text, e);
		memcpy(field_ptr(l, f), mac, 6);
		mark_set(p, li, fi);
		return 0;
	}
	case FT_IP4: {
		uint32_t ip;
		if (ip4_parse(text, &ip) < 0 && !(nr && nr->ip && nr->ip(nr->ctx, text, &ip) == 0))
			return wants(l, f, nr ? "an IPv4 address like 10.0.0.2, or a host name"
					      : "an IPv4 address like 10.0.0.2", text, e);
		return field_set_uint(p, li, fi, ip, e);
	}
	case FT_OPTS: {
		uint8_t b[41];
		long n = str_ieq(text, "none") ? 0 : hex_decode(text, b, sizeof b);	/* as field_format writes it */
		if (n < 0 || n > 40)
			return wants(l, f, "up to 40 bytes in hex, like hex:020405b4", text, e);
		return field_set_bytes(p, li, fi, b, (size_t)n, e);
	}
	case FT_SACK:
		if (parse_sack(str_ieq(text, "none") ? "" : text, field_ptr(l, f)) < 0)
			return wants(l, f, "up to 4 blocks LEFT-RIGHT, like 1001-2001,3001-4001", text, e);
		mark_set(p, li, fi);
		return 0;
	}
	return err_set(e, "internal: unknown field type");
}

void field_unset(struct pkt *p, int li, int fi)
{
	struct layer *l = &p->layer[li];
	const struct field *f = &l->def->fields[fi];
	struct layer fresh;
	memset(&fresh, 0, sizeof fresh);
	l->def->init(&fresh, &addr_defaults_ab);
	memcpy(field_ptr(l, f), field_cptr(&fresh, f), f->size);
	l->given &= ~(1u << fi);
	if (l->def->on_set)
		l->def->on_set(l, fi);	/* keeps related fields in step, as after a set */
	pkt_touch(p);
}

void field_format(const struct layer *l, int fi, struct sbuf *sb)
{
	const struct field *f = &l->def->fields[fi];
	const void *ptr = field_cptr(l, f);
	switch (f->type) {
	case FT_UINT:
		if (f->fmt == FMT_HEX)
			sbuf_printf(sb, "0x%0*" PRIx64, (f->bits + 3) / 4, field_get_uint(l, f));
		else
			sbuf_printf(sb, "%" PRIu64, field_get_uint(l, f));
		break;
	case FT_BOOL:
		sbuf_puts(sb, field_get_uint(l, f) ? "1" : "0");
		break;
	case FT_MAC: {
		char s[18];
		mac_format(ptr, s);
		sbuf_puts(sb, s);
		break;
	}
	case FT_IP4: {
		char s[16];
		ip4_format((uint32_t)field_get_uint(l, f), s);
		sbuf_puts(sb, s);
		break;
	}
	case FT_FLAGS: {
		char s[40];
		tcp_flags_format((uint8_t)field_get_uint(l, f), s);
		sbuf_puts(sb, s[0] ? s : "none");
		break;
	}
	case FT_OPTS: {
		const struct optbytes *o = ptr;
		for (int i = 0; i < o->len; i++)
			sbuf_printf(sb, "%s%02x", i ? " " : "", o->b[i]);
		if (!o->len)
			sbuf_puts(sb, "none");
		break;
	}
	case FT_SACK: {
		const struct tcp_sack *s = ptr;
		for (int i = 0; i < s->n; i++)
			sbuf_printf(sb, "%s%" PRIu32 "-%" PRIu32, i ? "," : "", s->edge[2 * i], s->edge[2 * i + 1]);
		if (!s->n)
			sbuf_puts(sb, "none");
		break;
	}
	}
}
