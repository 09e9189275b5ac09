#include "lua/lua_pkt.h"

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#include "core/strutil.h"
#include "lua/lua_env.h"
#include "view/dissect.h"
#include "view/pcap.h"

/* A layer object is the packet (its user value) and an index into it, so
 * that p.ip.ttl = 1 changes p itself. */
struct llayer {
	int index;
};

void lpkt_set_resolver(lua_State *L, const struct name_resolver *nr)
{
	luaenv_lpkt(L)->resolver = nr;
}

static const struct name_resolver *resolver(lua_State *L)
{
	return luaenv_lpkt(L)->resolver;
}

/* Packets that own no C storage have a metatable of their own, the same
 * but for __gc (see new_pkt). The registry holds it under this key, as it
 * holds the other two by name: luaenv_lpkt keeps their addresses,
 * which stay theirs only while they live. */
static const char light_key = 'l';

/* The userdata at idx if its metatable is m1 or m2 (by address, see
 * luaenv_lpkt), else NULL: luaL_testudata without looking the
 * metatable up by name. */
static void *udata_with_meta(lua_State *L, int idx, const void *m1, const void *m2)
{
	void *u = lua_touserdata(L, idx);
	if (!u || !lua_getmetatable(L, idx))
		return NULL;
	const void *mt = lua_topointer(L, -1);
	lua_pop(L, 1);
	return mt == m1 || mt == m2 ? u : NULL;
}

struct pkt *lpkt_test(lua_State *L, int idx)
{
	const struct lpkt_state *m = luaenv_lpkt(L);
	return udata_with_meta(L, idx, m->pkt, m->light);
}

struct pkt *lpkt_check(lua_State *L, int idx)
{
	struct pkt *p = lpkt_test(L, idx);
	if (!p)
		luaL_typeerror(L, idx, LPKT_META);	/* as luaL_checkudata says it */
	return p;
}

/* Every function of this file has the metatables and the method table
 * as its first upvalues (lpkt_open), to set them on new userdata without
 * looking them up in the registry. Telling packets and layers from other
 * userdata compares metatable addresses instead (udata_with_meta). */
#define UP_PKT_META lua_upvalueindex(1)
#define UP_LAYER_META lua_upvalueindex(2)
#define UP_METHODS lua_upvalueindex(3)
#define UP_LIGHT_META lua_upvalueindex(4)
#define NUPVALUES 4


/* A new packet with room for `layers` layers: sized to what it will hold,
 * so that building a packet from Ether{}, IPv4{} and TCP{} makes little
 * garbage. Decoded packets get room for all.
 *
 * A packet starts with the light metatable, which has no __gc: most
 * packets built in Lua are steps on the way to another (Ether{} and
 * Ether{} / IPv4{} in Ether{} / IPv4{} / TCP{}) and never own C storage,
 * and the collector takes two cycles and a call for an object with a
 * finalizer. Whatever gives a packet C storage (a payload, an encoded
 * frame) calls settle at once, before anything that may raise an error. */
static struct pkt *new_pkt(lua_State *L, int layers)
{
	struct pkt *p = lua_newuserdatauv(L, pkt_size(layers), 0);
	pkt_init_cap(p, layers);
	pkt_set_meter(p, luaenv_pkt_meter(L));
	lua_pushvalue(L, UP_LIGHT_META);
	lua_setmetatable(L, -2);
	return p;
}

/* The packet p at idx owns C storage now: it gets the metatable with __gc
 * if it has not got it yet. */
static void settle(lua_State *L, int idx, const struct pkt *p)
{
	if (!p->payload.base && !p->frame.base)
		return;
	idx = lua_absindex(L, idx);
	lua_getmetatable(L, idx);
	bool light = lua_topointer(L, -1) == luaenv_lpkt(L)->light;
	lua_pop(L, 1);
	if (light) {
		lua_pushvalue(L, UP_PKT_META);
		lua_setmetatable(L, idx);
	}
}

/* The encoded frame of the packet at idx (pkt_frame), which may give it
 * C storage. */
static const struct buf *frame_of(lua_State *L, int idx, struct pkt *p)
{
	const struct buf *f = pkt_frame(p);
	settle(L, idx, p);
	return f;
}

static int raise_err(lua_State *L, const struct err *e)
{
	return luaL_error(L, "%s", e->msg);
}

/* Values coming from Lua: nil unsets; numbers, booleans and strings set. */
static void set_field(lua_State *L, struct pkt *p, int li, int fi, int vidx)
{
	const struct layer *l = &p->layer[li];
	const struct field *f = &l->def->fields[fi];
	struct err e;
	int rc = 0;
	switch (lua_type(L, vidx)) {
	case LUA_TNIL:
		field_unset(p, li, fi);
		return;
	case LUA_TBOOLEAN:
		if (f->type != FT_BOOL)
			luaL_error(L, "%s field '%s' (%s) wants %s, not true or false", l->def->abbrev, f->name,
				   f->label, f->type == FT_FLAGS ? "flags like \"SYN,ACK\"" :
				   f->type == FT_UINT ? "a whole number" : "text");
		rc = field_set_uint(p, li, fi, lua_toboolean(L, vidx), &e);
		break;
	case LUA_TNUMBER: {
		int whole;
		lua_Integer v = lua_tointegerx(L, vidx, &whole);	/* 80.0 and 2^32 - 1 are whole too */
		if (!whole) {
			lua_Number n = lua_tonumber(L, vidx);
			luaL_error(L, "%s field '%s' (%s) must be a whole number (got %f)", l->def->abbrev, f->name,
				   f->label, (double)n);
		}
		rc = field_set_uint(p, li, fi, v, &e);
		break;
	}
	case LUA_TSTRING: {
		size_t n;
		const char *s = lua_tolstring(L, vidx, &n);
		if (f->type == FT_FLAGS && n == 0)
			s = "none", n = 4;	/* no flags read as "" and are written back so */
		if (f->type == FT_OPTS && strncmp(s, "hex:", 4) != 0)
			rc = field_set_bytes(p, li, fi, (const uint8_t *)s, n, &e);
		else if (strlen(s) != n)
			luaL_error(L, "%s field '%s' (%s): the text holds a zero byte", l->def->abbrev, f->name, f->label);
		else
			rc = field_set_text(p, li, fi, s, resolver(L), &e);
		break;
	}
	default: {
		/* A host object names itself: Ether{dst=b}. */
		const char *s = luaL_tolstring(L, vidx, NULL);
		rc = field_set_text(p, li, fi, s, resolver(L), &e);
		lua_pop(L, 1);
		if (rc < 0)
			luaL_error(L, "%s field '%s' (%s) cannot take a %s", l->def->abbrev, f->name, f->label,
				   luaL_typename(L, vidx));
	}
	}
	if (rc < 0)
		raise_err(L, &e);
}

static void push_field(lua_State *L, struct pkt *p, int li, int fi)
{
	const struct layer *l = &p->layer[li];
	const struct field *f = &l->def->fields[fi];
	if (!layer_given(l, fi) && (p->decoded || f->fill == FILL_OPTION)) {
		lua_pushnil(L);	/* not in the frame, or an option that is absent */
		return;
	}
	struct sbuf sb = SBUF_INIT;
	switch (f->type) {
	case FT_UINT:
		lua_pushinteger(L, (lua_Integer)field_get_uint(l, f));
		return;
	case FT_IP4:	/* addresses are strings, as written */
	case FT_MAC:
	case FT_FLAGS:
	case FT_SACK:
		field_format(l, fi, &sb);
		if (f->type == FT_FLAGS && strcmp(sbuf_str(&sb), "none") == 0)
			sbuf_reset(&sb);
		lua_pushstring(L, sbuf_str(&sb));
		sbuf_free(&sb);
		return;
	case FT_BOOL:
		lua_pushboolean(L, field_get_uint(l, f) != 0);
		return;
	case FT_OPTS: {
		const struct optbytes *o = (const void *)((const char *)&l->h + f->offset);
		lua_pushlstring(L, (const char *)o->b, o->len);
		return;
	}
	}
	lua_pushnil(L);
}

/* "data" or "payload": the payload rather than a field. */
static bool is_payload_key(const char *k)
{
	return (k[0] == 'd' && strcmp(k, "data") == 0) || (k[0] == 'p' && strcmp(k, "payload") == 0);
}

/* The payload a constructor or p.payload was given: a string (or a number,
 * as Lua turns numbers into strings). */
static const char *payload_arg(lua_State *L, int idx, const char *where, size_t *n)
{
	const char *s = lua_type(L, idx) == LUA_TNUMBER || lua_type(L, idx) == LUA_TSTRING ? lua_tolstring(L, idx, n) : NULL;
	if (!s)
		luaL_error(L, "%s: the payload must be a string, like \"hello\" (got %s)", where, luaL_typename(L, idx));
	return s;
}

/* Of the names in table t that are not fields of def (nor the payload),
 * raises the error for the first in byte order. */
static void raise_first_unknown(lua_State *L, const struct proto_def *def, int t)
{
	lua_pushnil(L);
	const int first = lua_gettop(L);	/* that name so far, kept reachable */
	lua_pushnil(L);
	while (lua_next(L, t)) {
		const char *k = lua_tostring(L, -2);	/* all keys are strings by now */
		if (!is_payload_key(k) && field_lookup(def, k) < 0 &&
		    (lua_isnil(L, first) || strcmp(k, lua_tostring(L, first)) < 0)) {
			lua_pushvalue(L, -2);
			lua_replace(L, first);
		}
		lua_pop(L, 1);
	}
	struct err e;
	field_unknown(def, lua_tostring(L, first), &e);
	raise_err(L, &e);
}

/* Fields given in a constructor's table; "data" or "payload" is the
 * payload. They are applied in the header's order, then the payload,
 * whatever order the table holds them in: Lua walks a table in an order
 * that changes from run to run (its string hashes are seeded afresh in
 * each process), and neither which of two bad fields an error names nor
 * what a packet holds may change with it. For the same reason, of several
 * unknown names the first in byte order is reported. The values wait on
 * the stack while the table is walked, out of reach of anything the
 * table's own code could do. */
static void apply_table(lua_State *L, int pidx, struct pkt *p, int li, int t)
{
	const struct proto_def *def = p->layer[li].def;
	int at[32];	/* the stack slot of field i's value, where bit i of given is set */
	uint32_t given = 0, twice = 0;	/* twice: under two spellings (seq and SEQ) */
	int payload_at = 0, payloads = 0;
	bool unknown = false;
	const int base = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, t)) {
		if (lua_type(L, -2) != LUA_TSTRING)
			luaL_error(L, "%s{...} takes fields by name, like %s{%s=...}", def->abbrev, def->abbrev,
				   def->fields[0].name);
		const char *k = lua_tostring(L, -2);
		bool payload = is_payload_key(k);
		int fi = payload ? -1 : field_lookup(def, k);
		if (!payload && fi < 0) {
			unknown = true;
			lua_pop(L, 1);
			continue;
		}
		if (lua_gettop(L) - base > LUA_MINSTACK - 8)
			luaL_checkstack(L, 4, "too many fields");
		/* The value stays where it is; a copy of the key goes on top for lua_next. */
		lua_pushvalue(L, -2);
		int slot = lua_gettop(L) - 1;
		if (payload) {
			payloads++;
			payload_at = slot;
		} else {
			twice |= given & 1u << fi;
			given |= 1u << fi;
			at[fi] = slot;
		}
	}
	if (unknown)
		raise_first_unknown(L, def, t);
	if (twice)
		luaL_error(L, "%s{...} gives field '%s' twice, in different cases", def->abbrev,
			   def->fields[__builtin_ctz(twice)].name);
	if (payloads > 1)
		luaL_error(L, "%s{...} gives the payload twice (data and payload are the same)", def->abbrev);
	for (uint32_t g = given; g; g &= g - 1)
		set_field(L, p, li, __builtin_ctz(g), at[__builtin_ctz(g)]);
	if (payload_at) {
		size_t n;
		char where[32];
		snprintf(where, sizeof where, "%s{data=...}", def->abbrev);
		const char *s = payload_arg(L, payload_at, where, &n);
		struct err e;
		if (pkt_set_payload(p, s, n, &e) < 0)
			raise_err(L, &e);
		settle(L, pidx, p);
	}
	lua_settop(L, base);
}

static int construct(lua_State *L)
{
	const struct proto_def *def = lua_touserdata(L, lua_upvalueindex(NUPVALUES + 1));
	if (!lua_isnoneornil(L, 1) && !lua_istable(L, 1))
		return luaL_error(L, "%s{...} takes a table of fields, like %s{%s=...}, or nothing",
				  def->abbrev, def->abbrev, def->fields[0].name);
	struct pkt *p = new_pkt(L, 1);
	int pidx = lua_gettop(L);
	struct err e;
	if (!pkt_push(p, def, &e))
		return raise_err(L, &e);
	if (lua_istable(L, 1))
		apply_table(L, pidx, p, 0, 1);
	return 1;
}

/* a / b: a copy of a with b's layers, or b as payload, on top. */
static int pkt_div(lua_State *L)
{
	struct pkt *a = lpkt_test(L, 1);
	if (!a)
		return luaL_error(L, "the left of '/' must be a packet or layer, like IPv4{} / TCP{}");
	struct pkt *b = lpkt_test(L, 2);
	if (!b && lua_type(L, 2) != LUA_TSTRING)
		return luaL_error(L, "the right of '/' must be a layer, like TCP{}, or a payload string (got %s)",
				  luaL_typename(L, 2));
	/* Room for both (pkt_stack refuses more than PKT_MAX_LAYERS). */
	int layers = a->n + (b ? b->n : 0);
	struct pkt *r = new_pkt(L, layers < 1 ? 1 : layers > PKT_MAX_LAYERS ? PKT_MAX_LAYERS : layers);
	pkt_copy(r, a);
	settle(L, -1, r);
	r->decoded = false;
	if (b) {
		struct err e;
		int rc = pkt_stack(r, b, &e);
		settle(L, -1, r);
		if (rc < 0)
			return raise_err(L, &e);
	} else {
		size_t n;
		const char *s = lua_tolstring(L, 2, &n);
		struct err e;
		if (pkt_add_payload(r, s, n, &e) < 0)
			return raise_err(L, &e);
		settle(L, -1, r);
	}
	return 1;
}

static const struct proto_def *layer_name(const char *k)
{
	return proto_lookup(k);
}

static int push_layer(lua_State *L, int pidx, int li)
{
	struct llayer *ll = lua_newuserdatauv(L, sizeof *ll, 1);
	ll->index = li;
	lua_pushvalue(L, pidx);
	lua_setiuservalue(L, -2, 1);
	lua_pushvalue(L, UP_LAYER_META);
	lua_setmetatable(L, -2);
	return 1;
}

static int pkt_index(lua_State *L)
{
	struct pkt *p = lpkt_check(L, 1);
	const char *k = luaL_checkstring(L, 2);
	lua_pushvalue(L, 2);
	if (lua_rawget(L, UP_METHODS) != LUA_TNIL)
		return 1;
	lua_pop(L, 1);
	if (is_payload_key(k)) {
		lua_pushlstring(L, (const char *)buf_data(&p->payload), p->payload.len);
		return 1;
	}
	if (strcmp(k, "time") == 0) {
		lua_pushnumber(L, (lua_Number)p->time_us / 1000.0);
		return 1;
	}
	if (strcmp(k, "error") == 0) {
		struct sbuf sb = SBUF_INIT;
		const char *msg = pkt_first_error(p, &sb);
		if (msg)
			lua_pushstring(L, msg);
		else
			lua_pushnil(L);
		sbuf_free(&sb);
		return 1;
	}
	const struct proto_def *def = layer_name(k);
	int li = def ? pkt_find(p, def) : -1;
	if (li < 0) {
		if (!def)
			return luaL_error(L, "a packet has no '%s': use a layer name (eth, arp, ip, icmp, udp, tcp), "
					  "payload, or a method (bytes, hex, show, hexdump, osi, summary, layers, copy)", k);
		lua_pushnil(L);
		return 1;
	}
	return push_layer(L, 1, li);
}

static int pkt_newindex(lua_State *L)
{
	struct pkt *p = lpkt_check(L, 1);
	const char *k = luaL_checkstring(L, 2);
	if (is_payload_key(k)) {
		size_t n = 0;
		const char *s = lua_isnil(L, 3) ? "" : payload_arg(L, 3, "p.payload = ...", &n);
		struct err e;
		if (pkt_set_payload(p, s, n, &e) < 0)
			return raise_err(L, &e);
		settle(L, 1, p);
		return 0;
	}
	return luaL_error(L, "cannot set '%s' on a packet: set fields on its layers (p.tcp.seq = 1) or p.payload", k);
}

/* The packet of the layer object at idx, which is left on the stack (at
 * *pidx) for settle. */
static struct pkt *layer_pkt(lua_State *L, int idx, int *li, int *pidx)
{
	struct llayer *ll = udata_with_meta(L, idx, luaenv_lpkt(L)->layer, NULL);
	if (!ll)
		luaL_typeerror(L, idx, LLAYER_META);	/* as luaL_checkudata says it */
	lua_getiuservalue(L, idx, 1);
	struct pkt *p = lpkt_check(L, -1);
	*pidx = lua_gettop(L);
	*li = ll->index;
	return p;
}

static int layer_index(lua_State *L)
{
	int li, pidx;
	struct pkt *p = layer_pkt(L, 1, &li, &pidx);
	const char *k = luaL_checkstring(L, 2);
	const struct proto_def *def = p->layer[li].def;
	int fi = field_lookup(def, k);
	if (fi < 0) {
		if (strcmp(k, "name") == 0) {
			lua_pushstring(L, def->name);
			return 1;
		}
		if (strcmp(k, "csum_status") == 0) {
			static const char *const names[] = {NULL, "correct", "incorrect", "none", "unverified"};
			if (!p->decoded)
				frame_of(L, pidx, p);
			uint8_t st = p->layer[li].csum_status;
			lua_pushstring(L, st < 5 ? names[st] : NULL);
			return 1;
		}
		if (strcmp(k, "error") == 0) {
			struct sbuf sb = SBUF_INIT;
			if (p->layer[li].err.code)
				decode_err_format(&p->layer[li], &sb);
			lua_pushstring(L, sb.len ? sbuf_str(&sb) : NULL);
			sbuf_free(&sb);
			return 1;
		}
		struct err e;
		field_unknown(def, k, &e);
		return raise_err(L, &e);
	}
	if (!p->decoded)
		frame_of(L, pidx, p);	/* computed fields are filled in by encoding */
	push_field(L, p, li, fi);
	return 1;
}

static int layer_newindex(lua_State *L)
{
	int li, pidx;
	struct pkt *p = layer_pkt(L, 1, &li, &pidx);
	const char *k = luaL_checkstring(L, 2);
	int fi = field_lookup(p->layer[li].def, k);
	struct err e;
	if (fi < 0 && field_unknown(p->layer[li].def, k, &e) < 0)
		return raise_err(L, &e);
	set_field(L, p, li, fi, 3);
	return 0;
}

static int layer_tostring(lua_State *L)
{
	int li, pidx;
	struct pkt *p = layer_pkt(L, 1, &li, &pidx);
	struct sbuf sb = SBUF_INIT;
	frame_of(L, pidx, p);
	sbuf_printf(&sb, "%s: ", p->layer[li].def->abbrev);
	p->layer[li].def->summary(p, li, &sb);
	lua_pushstring(L, sbuf_str(&sb));
	sbuf_free(&sb);
	return 1;
}

static int pkt_gc(lua_State *L)
{
	pkt_free(lpkt_check(L, 1));
	return 0;
}

enum { SCRATCH_KEPT = 1 << 16 };

/* A frame the packet does not hold yet is encoded into the state's scratch
 * buffer rather than kept: a packet built, serialised and dropped (the
 * common case in a loop) then never owns C storage, and never needs the
 * finalizer that would keep it alive through one more collection. */
static int pkt_bytes(lua_State *L)
{
	struct pkt *p = lpkt_check(L, 1);
	const struct buf *f = &p->frame;
	if (!p->frame_valid) {
		struct buf *scratch = luaenv_scratch(L);
		pkt_encode(p, NULL, scratch);
		f = scratch;
	}
	lua_pushlstring(L, (const char *)buf_data(f), f->len);
	if (f != &p->frame && f->cap > SCRATCH_KEPT)
		buf_free(luaenv_scratch(L));	/* its bytes are not charged: not kept big */
	return 1;
}

static int pkt_len(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)frame_of(L, 1, lpkt_check(L, 1))->len);
	return 1;
}

static int pkt_hex(lua_State *L)
{
	const struct buf *f = frame_of(L, 1, lpkt_check(L, 1));
	luaL_Buffer b;
	char *out = luaL_buffinitsize(L, &b, f->len * 2);
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < f->len; i++) {
		out[2 * i] = digits[buf_data(f)[i] >> 4];
		out[2 * i + 1] = digits[buf_data(f)[i] & 15];
	}
	luaL_pushresultsize(&b, f->len * 2);
	return 1;
}

typedef void (*view_fn)(struct pkt *, const struct view_opts *, struct sbuf *);

static int push_view(lua_State *L, view_fn fn)
{
	struct pkt *p = lpkt_check(L, 1);
	struct sbuf sb = SBUF_INIT;
	struct view_opts o = luaenv_view_opts(L);
	fn(p, &o, &sb);	/* views encode the packet */
	settle(L, 1, p);
	lua_pushlstring(L, sbuf_str(&sb), sb.len);
	sbuf_free(&sb);
	return 1;
}

static int pkt_show(lua_State *L) { return push_view(L, view_tree); }
static int pkt_hexdump(lua_State *L) { return push_view(L, view_hexdump); }
static int pkt_osi(lua_State *L) { return push_view(L, view_osi); }

static int pkt_summary(lua_State *L)
{
	struct sbuf sb = SBUF_INIT;
	struct pkt *p = lpkt_check(L, 1);
	view_summary(p, &sb);
	settle(L, 1, p);
	lua_pushstring(L, sbuf_str(&sb));
	sbuf_free(&sb);
	return 1;
}

static int pkt_layers(lua_State *L)
{
	struct pkt *p = lpkt_check(L, 1);
	lua_createtable(L, p->n, 0);
	for (int i = 0; i < p->n; i++) {
		lua_pushstring(L, p->layer[i].def->name);
		lua_rawseti(L, -2, i + 1);
	}
	return 1;
}

/* p:layer(n): the n-th layer from the bottom, 1-based. */
static int pkt_layer_method(lua_State *L)
{
	struct pkt *p = lpkt_check(L, 1);
	lua_Integer n = luaL_checkinteger(L, 2);
	if (n < 1 || n > p->n) {
		lua_pushnil(L);
		return 1;
	}
	return push_layer(L, 1, (int)n - 1);
}

static int pkt_copy_method(lua_State *L)
{
	struct pkt *p = lpkt_check(L, 1);
	struct pkt *c = new_pkt(L, p->n ? p->n : 1);
	pkt_copy(c, p);
	settle(L, -1, c);
	return 1;
}

static int l_decode(lua_State *L)
{
	size_t n;
	luaL_checktype(L, 1, LUA_TSTRING);
	const char *s = lua_tolstring(L, 1, &n);
	struct pkt *p = new_pkt(L, PKT_MAX_LAYERS);
	pkt_decode(p, (const uint8_t *)s, n);
	settle(L, -1, p);
	return 1;
}

static int l_unhex(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	luaL_Buffer b;
	unsigned char *out = (unsigned char *)luaL_buffinitsize(L, &b, n / 2 + 1);
	long got = hex_decode(s, out, n / 2 + 1);
	if (got < 0)
		return luaL_error(L, "unhex: '%s' is not hex: give pairs of hex digits, like \"0a0b\" or \"0a:0b\"", s);
	luaL_pushresultsize(&b, (size_t)got);
	return 1;
}

/* pcap.write(path, {packets...}) */
static int l_pcap_write(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	luaL_checktype(L, 2, LUA_TTABLE);
	luaenv_check_path(L, path, true);
	lua_Integer n = luaL_len(L, 2);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, 2, i);
		if (!lpkt_test(L, -1))
			return luaL_error(L, "pcap.write: item %d is a %s, not a packet", (int)i, luaL_typename(L, -1));
		lua_pop(L, 1);
	}
	struct err e;
	struct pcap_out *w = pcap_out_open(path, &e);
	if (!w)
		return raise_err(L, &e);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, 2, i);
		struct pkt *p = lpkt_check(L, -1);
		const struct buf *f = frame_of(L, -1, p);
		pcap_out_frame(w, p->time_us ? p->time_us : (int64_t)(i - 1) * 1000, buf_data(f), f->len);
		lua_pop(L, 1);
	}
	if (pcap_out_close(w, &e) < 0)
		return raise_err(L, &e);
	lua_pushinteger(L, n);
	return 1;
}

/* pcap.read(path) --> array of packets, each with .time in ms */
static int l_pcap_read(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	luaenv_check_path(L, path, false);
	struct err e;
	struct pcap_in *r = pcap_in_open(path, &e);
	if (!r)
		return raise_err(L, &e);
	lua_newtable(L);
	int64_t t = 0;	/* set by every pcap_in_next that returns 1 */
	const uint8_t *frame = NULL;
	size_t len = 0;
	int rc;
	for (lua_Integer i = 1; (rc = pcap_in_next(r, &t, &frame, &len, &e)) == 1; i++) {
		struct pkt *p = new_pkt(L, PKT_MAX_LAYERS);
		pkt_decode(p, frame, len);
		settle(L, -1, p);
		p->time_us = t;
		lua_rawseti(L, -2, i);
	}
	pcap_in_close(r);
	if (rc < 0)
		return raise_err(L, &e);
	return 1;
}

static const luaL_Reg pkt_methods[] = {
	{"bytes", pkt_bytes}, {"hex", pkt_hex}, {"show", pkt_show}, {"hexdump", pkt_hexdump},
	{"osi", pkt_osi}, {"summary", pkt_summary}, {"layers", pkt_layers}, {"layer", pkt_layer_method}, {"copy", pkt_copy_method},
	{NULL, NULL},
};

static const luaL_Reg pkt_meta[] = {
	{"__index", pkt_index}, {"__newindex", pkt_newindex}, {"__div", pkt_div},
	{"__tostring", pkt_summary}, {"__len", pkt_len}, {NULL, NULL},	/* and __gc: fill_pkt_meta */
};

static const luaL_Reg layer_meta[] = {
	{"__index", layer_index}, {"__newindex", layer_newindex}, {"__tostring", layer_tostring},
	{NULL, NULL},
};

/* The upvalues every function here has (see UP_PKT_META): the packet
 * and layer metatables, the method table and the light packet metatable,
 * at stack indexes m to m + 3. */
static void push_upvalues(lua_State *L, int m)
{
	for (int i = 0; i < NUPVALUES; i++)
		lua_pushvalue(L, m + i);
}

static void add_constructor(lua_State *L, int m, const char *name, const struct proto_def *def)
{
	push_upvalues(L, m);
	lua_pushlightuserdata(L, (void *)def);
	lua_pushcclosure(L, construct, NUPVALUES + 1);
	lua_setglobal(L, name);
}

static void add_function(lua_State *L, int m, const char *name, lua_CFunction fn)
{
	push_upvalues(L, m);
	lua_pushcclosure(L, fn, NUPVALUES);
	lua_setglobal(L, name);
}

/* Fills the packet metatable at the top of the stack (m as in push_upvalues). */
static void fill_pkt_meta(lua_State *L, int m, bool with_gc)
{
	push_upvalues(L, m);
	luaL_setfuncs(L, pkt_meta, NUPVALUES);
	if (with_gc) {
		push_upvalues(L, m);
		lua_pushcclosure(L, pkt_gc, NUPVALUES);
		lua_setfield(L, -2, "__gc");
	}
	lua_pushliteral(L, LPKT_META);	/* what error messages call it, both alike */
	lua_setfield(L, -2, "__name");
	luaenv_lock_metatable(L);
	lua_pushvalue(L, m + 2);
	lua_setfield(L, -2, "methods");
}

void lpkt_open(lua_State *L)
{
	luaL_newmetatable(L, LPKT_META);
	int m = lua_gettop(L);
	luaL_newmetatable(L, LLAYER_META);
	lua_createtable(L, 0, sizeof pkt_methods / sizeof pkt_methods[0] - 1);
	lua_createtable(L, 0, 12);
	lua_pushvalue(L, -1);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &light_key);
	/* m: packet metatable, m + 1: layer metatable, m + 2: methods,
	 * m + 3: light packet metatable */
	struct lpkt_state *st = luaenv_lpkt(L);
	st->pkt = lua_topointer(L, m);
	st->light = lua_topointer(L, m + 3);
	st->layer = lua_topointer(L, m + 1);
	lua_pushvalue(L, m);
	fill_pkt_meta(L, m, true);
	lua_pop(L, 1);
	lua_pushvalue(L, m + 3);
	fill_pkt_meta(L, m, false);
	lua_pop(L, 1);
	lua_pushvalue(L, m + 2);
	push_upvalues(L, m);
	luaL_setfuncs(L, pkt_methods, NUPVALUES);
	lua_pop(L, 1);
	lua_pushvalue(L, m + 1);
	push_upvalues(L, m);
	luaL_setfuncs(L, layer_meta, NUPVALUES);
	luaenv_lock_metatable(L);
	lua_pop(L, 1);

	add_constructor(L, m, "Ether", &proto_eth);
	add_constructor(L, m, "ARP", &proto_arp);
	add_constructor(L, m, "IPv4", &proto_ipv4);
	add_constructor(L, m, "IP", &proto_ipv4);
	add_constructor(L, m, "ICMP", &proto_icmp);
	add_constructor(L, m, "UDP", &proto_udp);
	add_constructor(L, m, "TCP", &proto_tcp);
	add_function(L, m, "decode", l_decode);
	add_function(L, m, "unhex", l_unhex);
	static const luaL_Reg pcap_fns[] = {{"write", l_pcap_write}, {"read", l_pcap_read}, {NULL, NULL}};
	lua_createtable(L, 0, 2);
	push_upvalues(L, m);
	luaL_setfuncs(L, pcap_fns, NUPVALUES);
	lua_setglobal(L, "pcap");
	lua_pop(L, NUPVALUES);
}
