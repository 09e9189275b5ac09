#include "view/style.h"

#include "proto/pkt.h"

const char *layer_color(const struct proto_def *def)
{
	if (def == &proto_eth)
		return "\033[34m";	/* blue */
	if (def == &proto_arp)
		return "\033[33m";	/* yellow */
	if (def == &proto_ipv4)
		return "\033[32m";	/* green */
	if (def == &proto_icmp)
		return "\033[36m";	/* cyan */
	if (def == &proto_udp)
		return "\033[35m";	/* magenta */
	if (def == &proto_tcp)
		return "\033[95m";	/* bright magenta */
	return "\033[33;1m";		/* payload: bold yellow */
}

void color_on(struct sbuf *sb, const struct view_opts *o, const char *color)
{
	if (o && o->color && color)
		sbuf_puts(sb, color);
}

void color_off(struct sbuf *sb, const struct view_opts *o)
{
	if (o && o->color)
		sbuf_puts(sb, C_RESET);
}

void put_colored(struct sbuf *sb, const struct view_opts *o, const char *color, const char *s)
{
	color_on(sb, o, color);
	sbuf_puts(sb, s);
	color_off(sb, o);
}
