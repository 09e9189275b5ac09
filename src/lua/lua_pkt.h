/* The packet part of the Lua API (SPEC section 5): Ether{} IPv4{} IP{}
 * ARP{} ICMP{} UDP{} TCP{}, layering with '/', fields by name (p.tcp.seq),
 * p:bytes() p:hex() p:show(), decode(bytes), and pcap files. */
#ifndef STACKLAB_LUA_PKT_H
#define STACKLAB_LUA_PKT_H

#include <lua.h>

#include "proto/field.h"
#include "proto/pkt.h"

#define LPKT_META "stacklab.packet"
#define LLAYER_META "stacklab.layer"

/* Registers the constructors and helpers as globals. */
void lpkt_open(lua_State *L);
/* The packet userdata at idx (either of its two metatables, see new_pkt
 * in lua_pkt.c): lpkt_check raises an error if it is not one. */
struct pkt *lpkt_check(lua_State *L, int idx);
struct pkt *lpkt_test(lua_State *L, int idx);
/* Where host names are looked up for address fields; the world sets it. */
void lpkt_set_resolver(lua_State *L, const struct name_resolver *nr);

#endif
