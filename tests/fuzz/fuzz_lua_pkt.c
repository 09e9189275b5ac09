/* The Lua packet constructors with values drawn from the input: every
 * layer, every field, values of every type, stacked in any order, then
 * encoded, shown and decoded again. Errors are Lua errors, never more. */
#include <lua.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sbuf.h"
#include "lua/lua_env.h"
#include "proto/field.h"

static const char *const layers[] = {"Ether", "ARP", "IPv4", "IP", "ICMP", "UDP", "TCP"};
static const struct proto_def *const defs[] = {&proto_eth, &proto_arp, &proto_ipv4, &proto_ipv4,
					       &proto_icmp, &proto_udp, &proto_tcp};

struct in {
	const uint8_t *d;
	size_t n, i;
};

static unsigned next(struct in *in)
{
	return in->i < in->n ? in->d[in->i++] : 0;
}

/* A Lua literal: a number (maybe out of range), a string, a boolean, nil. */
static void value(struct in *in, struct sbuf *sb)
{
	switch (next(in) % 6) {
	case 0: sbuf_printf(sb, "%u", next(in) << 8 | next(in)); break;
	case 1: sbuf_printf(sb, "%lld", (long long)(next(in) << 24 | next(in) << 16 | next(in) << 8 | next(in)) - 100000); break;
	case 2: sbuf_puts(sb, next(in) & 1 ? "true" : "false"); break;
	case 3: sbuf_printf(sb, "%u.5", next(in)); break;
	default: {
		sbuf_putc(sb, '"');
		unsigned len = next(in) % 24;
		for (unsigned k = 0; k < len; k++)
			sbuf_printf(sb, "\\%u", next(in));
		sbuf_putc(sb, '"');
	}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = {data, size, 0};
	struct sbuf src = SBUF_INIT;
	sbuf_puts(&src, "local p = ");
	int nl = (int)(next(&in) % 8);
	for (int l = 0; l < nl; l++) {
		unsigned which = next(&in) % 7;
		sbuf_printf(&src, "%s%s{", l ? " / " : "", layers[which]);
		int nf = (int)(next(&in) % 6);
		for (int f = 0; f < nf; f++) {
			unsigned fi = next(&in) % (defs[which]->nfields + 1u);
			sbuf_printf(&src, "%s=", fi < defs[which]->nfields ? defs[which]->fields[fi].name : "data");
			value(&in, &src);
			sbuf_puts(&src, ", ");
		}
		sbuf_putc(&src, '}');
		if (next(&in) % 4 == 0) {
			sbuf_puts(&src, " / ");
			value(&in, &src);
		}
	}
	if (!nl)
		sbuf_puts(&src, "Ether{}");
	sbuf_puts(&src, "\nlocal b = p:bytes()\nlocal s = p:show() .. p:hexdump() .. p:osi() .. tostring(p)\n"
			"local q = decode(b)\nlocal t = q:show()\n");
	if (next(&in) & 1)
		sbuf_puts(&src, "p.tcp.seq = 4294967295\np.ip.ttl = nil\n");
	struct luaenv_config cfg = {0};
	cfg.seed = 1;
	cfg.max_steps = 100000;
	cfg.max_mem = 16u << 20;
	cfg.no_files = true;	/* the input may name any path */
	lua_State *L = luaenv_new(&cfg);
	if (!L)
		abort();
	struct err e;
	luaenv_run(L, sbuf_str(&src), src.len, "=fuzz", &e);
	luaenv_free(L);
	sbuf_free(&src);
	return 0;
}
