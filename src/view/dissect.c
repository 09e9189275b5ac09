#include "view/dissect.h"

#include <string.h>

#include "proto/field.h"

enum { COL_LABEL = 11, COL_VALUE = 35, COL_HOW = 68 };

void put_quoted(struct sbuf *sb, const uint8_t *d, size_t n, size_t max)
{
	sbuf_putc(sb, '"');
	for (size_t i = 0; i < n && i < max; i++) {
		uint8_t c = d[i];
		if (c == '"' || c == '\\')
			sbuf_printf(sb, "\\%c", c);
		else if (c == '\n')
			sbuf_puts(sb, "\\n");
		else if (c == '\r')
			sbuf_puts(sb, "\\r");
		else if (c == '\t')
			sbuf_puts(sb, "\\t");
		else if (c < 0x20 || c >= 0x7f)
			sbuf_printf(sb, "\\x%02x", c);
		else
			sbuf_putc(sb, (char)c);
	}
	sbuf_putc(sb, '"');
	if (n > max)
		sbuf_puts(sb, "...");
}

int view_main_layer(const struct pkt *p)
{
	int main_layer = -1;
	for (int i = 0; i < p->n && !p->layer[i].partial; i++) {
		main_layer = i;
		if (p->layer[i].def == &proto_icmp && icmp_is_error(p->layer[i].h.icmp.type))
			break;	/* what follows is the quoted datagram */
	}
	return main_layer;
}

static void put_checksum_state(const struct layer *l, const struct view_opts *o, struct sbuf *sb)
{
	switch (l->csum_status) {
	case CSUM_GOOD:
		put_colored(sb, o, C_GREEN, "[correct]");
		break;
	case CSUM_BAD: {
		color_on(sb, o, C_RED);
		sbuf_printf(sb, "[incorrect, should be 0x%04x]", l->csum_good);
		color_off(sb, o);
		break;
	}
	case CSUM_NONE:
		sbuf_puts(sb, "[none: the sender did not compute one]");
		break;
	case CSUM_PARTIAL:
		sbuf_puts(sb, "[unverified: part of what it covers is not here]");
		break;
	default:
		break;
	}
}

static const char *how_field_was_set(const struct pkt *p, const struct layer *l, int f)
{
	if (p->decoded)
		return "";
	if (layer_given(l, f))
		return "given";
	if (l->computed >> f & 1)
		return "computed";
	return "default";
}

static void field_line(struct pkt *p, const struct layer *l, int f, const struct view_opts *o, struct sbuf *sb)
{
	const struct field *fd = &l->def->fields[f];
	bool present = layer_given(l, f);
	if (fd->fill == FILL_OPTION && !present)
		return;
	if (fd->type == FT_OPTS && p->decoded)
		return;	/* the decoded options are shown one by one */
	sbuf_printf(sb, "  %s", fd->name);
	sbuf_pad_to(sb, COL_LABEL);
	sbuf_printf(sb, "%s ", fd->label);
	sbuf_pad_to(sb, COL_VALUE);
	if (p->decoded && !present) {
		sbuf_puts(sb, "(not in the frame)\n");
		return;
	}
	field_format(l, f, sb);
	size_t before = sb->len;
	sbuf_puts(sb, " (");
	if (l->def->annotate)
		l->def->annotate(l, f, sb);
	if (sb->len == before + 2)
		sb->len = before, sb->s[before] = '\0';
	else
		sbuf_putc(sb, ')');
	if (f == l->def->csum_field) {
		sbuf_putc(sb, ' ');
		put_checksum_state(l, o, sb);
	}
	const char *how = how_field_was_set(p, l, f);
	if (*how) {
		sbuf_putc(sb, ' ');
		sbuf_pad_to(sb, COL_HOW);
		color_on(sb, o, C_DIM);
		sbuf_puts(sb, how);
		color_off(sb, o);
	}
	sbuf_putc(sb, '\n');
}

static void heading(struct sbuf *sb, const struct view_opts *o, const char *color, const char *title,
		    size_t off, size_t len)
{
	color_on(sb, o, color);
	sbuf_puts(sb, title);
	color_off(sb, o);
	if (len)
		sbuf_printf(sb, ", bytes %zu-%zu", off, off + len - 1);
	else
		sbuf_puts(sb, ", no bytes");
}

void view_tree(struct pkt *p, const struct view_opts *o, struct sbuf *sb)
{
	pkt_frame(p);
	for (int i = 0; i < p->n; i++) {
		struct layer *l = &p->layer[i];
		heading(sb, o, layer_color(l->def), l->def->title, l->off, l->len);
		if (l->partial)
			sbuf_puts(sb, " (quoted, may be cut short)");
		if (l->err.code == DERR_TRUNCATED) {
			sbuf_puts(sb, ": cut short\n");
		} else {
			sbuf_puts(sb, ": ");
			l->def->summary(p, i, sb);
			sbuf_putc(sb, '\n');
		}
		for (int f = 0; f < l->def->nfields; f++)
			field_line(p, l, f, o, sb);
		if (l->err.code) {
			color_on(sb, o, C_RED);
			sbuf_puts(sb, "  malformed: ");
			decode_err_format(l, sb);
			color_off(sb, o);
			sbuf_putc(sb, '\n');
		}
	}
	size_t off = p->n ? p->layer[p->n - 1].off + p->layer[p->n - 1].len : 0;
	if (p->payload.len) {
		heading(sb, o, layer_color(NULL), "Data", off, p->payload.len);
		sbuf_printf(sb, ": %zu byte%s ", p->payload.len, p->payload.len == 1 ? "" : "s");
		put_quoted(sb, buf_data(&p->payload), p->payload.len, 48);
		sbuf_putc(sb, '\n');
	}
	if (p->trailer) {
		heading(sb, o, C_DIM, "Padding", p->frame.len - p->trailer, p->trailer);
		sbuf_printf(sb, ": %u bytes after the datagram, to reach Ethernet's %d-byte minimum\n",
			    p->trailer, ETH_MIN_FRAME);
	}
}

void view_summary(struct pkt *p, struct sbuf *sb)
{
	pkt_frame(p);
	int main_layer = view_main_layer(p);
	int ip = pkt_find(p, &proto_ipv4);
	if (ip >= 0 && ip <= main_layer && !(p->layer[ip].given & (1u << IP_F_SRC)) && p->decoded)
		ip = -1;	/* cut short before the addresses */
	char a[18], b[18];
	if (ip >= 0 && ip <= main_layer) {
		ip4_format(p->layer[ip].h.ip.src, a);
		ip4_format(p->layer[ip].h.ip.dst, b);
	} else if (p->n && p->layer[0].def == &proto_eth &&
		   (!p->decoded || (p->layer[0].given & 3u) == 3u)) {	/* both addresses in the frame */
		mac_format(p->layer[0].h.eth.src, a);
		mac_format(p->layer[0].h.eth.dst, b);
	} else {
		strcpy(a, "?");
		strcpy(b, "?");
	}
	const char *proto = main_layer >= 0 ? p->layer[main_layer].def->abbrev : "Data";
	sbuf_printf(sb, "%s > %s %s %zu ", a, b, proto, p->frame.len);
	if (main_layer >= 0 && p->layer[main_layer].err.code == DERR_TRUNCATED)
		sbuf_puts(sb, "cut short");	/* as the tree says: its fields are not all there */
	else if (main_layer >= 0)
		p->layer[main_layer].def->summary(p, main_layer, sb);
	for (int i = 0; i < p->n; i++) {
		if (p->layer[i].err.code) {
			sbuf_puts(sb, " [Malformed: ");
			decode_err_format(&p->layer[i], sb);
			sbuf_putc(sb, ']');
			break;
		}
	}
}
