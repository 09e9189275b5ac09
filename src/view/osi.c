/* A frame against the OSI seven layers and the TCP/IP four: which bytes
 * each layer put there, from the physical layer's preamble to the FCS. */
#include <string.h>

#include "proto/checksum.h"
#include "view/dissect.h"

enum { COL_TCPIP = 17, COL_BYTES = 33, COL_WHAT = 45 };

static const char *const osi_names[8] = {
	"", "1 Physical", "2 Data link", "3 Network", "4 Transport", "5 Session", "6 Presentation",
	"7 Application",
};

static int osi_layer_of(const struct proto_def *def)
{
	if (def == &proto_eth)
		return 2;
	if (def == &proto_udp || def == &proto_tcp)
		return 4;
	return 3;	/* ARP, IPv4, ICMP */
}

static const char *tcpip_layer_of(int osi)
{
	return osi >= 5 ? "Application" : osi == 4 ? "Transport" : osi == 3 ? "Internet" : "Link";
}

static void row(struct sbuf *sb, const struct view_opts *o, int osi, const char *tcpip, const char *color)
{
	color_on(sb, o, color);
	sbuf_puts(sb, osi ? osi_names[osi] : "");
	color_off(sb, o);
	sbuf_pad_to(sb, COL_TCPIP);
	sbuf_puts(sb, tcpip);
	sbuf_pad_to(sb, COL_BYTES);
}

static void put_range(struct sbuf *sb, size_t off, size_t len)
{
	if (len)
		sbuf_printf(sb, "%zu-%zu", off, off + len - 1);
	else
		sbuf_puts(sb, "-");
	sbuf_pad_to(sb, COL_WHAT);
}

/* Ethernet sends each byte least significant bit first (IEEE 802.3 3.3). */
static void put_bits_lsb_first(struct sbuf *sb, uint8_t byte)
{
	for (int b = 0; b < 8; b++)
		sbuf_putc(sb, (byte >> b & 1) ? '1' : '0');
}

static void layer_rows(struct pkt *p, int osi, const struct view_opts *o, struct sbuf *sb, bool *any)
{
	int main_layer = view_main_layer(p);
	for (int i = 0; i <= main_layer; i++) {
		const struct layer *l = &p->layer[i];
		if (osi_layer_of(l->def) != osi)
			continue;
		row(sb, o, *any ? 0 : osi, *any ? "" : (l->def == &proto_arp ? "Link" : tcpip_layer_of(osi)),
		    layer_color(l->def));
		put_range(sb, l->off, l->len);
		sbuf_printf(sb, "%s header: ", l->def->abbrev);
		if (l->err.code == DERR_TRUNCATED)
			sbuf_puts(sb, "cut short");
		else
			l->def->summary(p, i, sb);
		const char *note = NULL;
		if (l->def == &proto_arp)
			note = "(ARP maps layer 3 addresses to layer 2 ones, \"layer 2.5\"; TCP/IP counts it in the link layer)";
		else if (l->def == &proto_icmp && i < p->n - 1)
			note = "(its data quotes the IPv4 header and first bytes of the datagram that failed)";
		if (note) {
			sbuf_putc(sb, '\n');
			sbuf_pad_to(sb, COL_WHAT);
			sbuf_puts(sb, note);
		}
		sbuf_putc(sb, '\n');
		*any = true;
	}
}

void view_osi(struct pkt *p, const struct view_opts *o, struct sbuf *sb)
{
	const struct buf *f = pkt_frame(p);
	size_t len = f->len;
	size_t pad = len < ETH_MIN_FRAME ? ETH_MIN_FRAME - len : 0;
	size_t data_off = p->n ? (size_t)p->layer[p->n - 1].off + p->layer[p->n - 1].len : 0;
	int main_layer = view_main_layer(p);
	bool quoting = main_layer >= 0 && main_layer + 1 < p->n;
	sbuf_printf(sb, "A frame of %zu bytes; on the wire %zu: preamble and SFD 8, frame %zu", len,
		    8 + len + pad + ETH_FCS_LEN, len);
	if (pad)
		sbuf_printf(sb, ", padding %zu", pad);
	sbuf_printf(sb, ", FCS %d.\n\n", ETH_FCS_LEN);
	sbuf_puts(sb, "OSI layer");
	sbuf_pad_to(sb, COL_TCPIP);
	sbuf_puts(sb, "TCP/IP layer");
	sbuf_pad_to(sb, COL_BYTES);
	sbuf_puts(sb, "bytes");
	sbuf_pad_to(sb, COL_WHAT);
	sbuf_puts(sb, "what this frame carries there\n");

	row(sb, o, 7, "Application", layer_color(NULL));
	if (p->payload.len && !quoting) {
		put_range(sb, data_off, p->payload.len);
		sbuf_printf(sb, "data, %zu bytes: ", p->payload.len);
		put_quoted(sb, buf_data(&p->payload), p->payload.len, 32);
	} else {
		put_range(sb, 0, 0);
		sbuf_puts(sb, "no application data in this frame");
	}
	sbuf_putc(sb, '\n');
	row(sb, o, 6, "Application", NULL);
	put_range(sb, 0, 0);
	sbuf_puts(sb, "no header: the application itself encodes, compresses or encrypts (e.g. TLS)\n");
	row(sb, o, 5, "Application", NULL);
	put_range(sb, 0, 0);
	sbuf_puts(sb, "no header: the application keeps its own dialogue (TCP's connection helps)\n");
	for (int osi = 4; osi >= 2; osi--) {
		bool any = false;
		layer_rows(p, osi, o, sb, &any);
		if (!any) {
			row(sb, o, osi, tcpip_layer_of(osi), NULL);
			put_range(sb, 0, 0);
			sbuf_puts(sb, "nothing of this layer in this frame\n");
		}
	}
	/* The frame check sequence covers the padded frame (IEEE 802.3 3.2.9). */
	uint8_t padded[ETH_MIN_FRAME] = {0};
	uint32_t fcs;
	if (pad) {
		if (len)
			memcpy(padded, buf_data(f), len);
		fcs = crc32_ieee(padded, ETH_MIN_FRAME);
	} else {
		fcs = crc32_ieee(buf_data(f), len);
	}
	row(sb, o, 0, "", layer_color(&proto_eth));
	sbuf_printf(sb, "+%zu", pad + ETH_FCS_LEN);
	sbuf_pad_to(sb, COL_WHAT);
	if (pad)
		sbuf_printf(sb, "%zu bytes of padding, then ", pad);
	sbuf_printf(sb, "FCS 0x%08x (CRC-32 of the frame%s)\n", fcs, pad ? " and padding" : "");
	row(sb, o, 1, "Link", NULL);
	sbuf_puts(sb, "8 before");
	sbuf_pad_to(sb, COL_WHAT);
	sbuf_puts(sb, "preamble 55 55 55 55 55 55 55, SFD d5; then every byte, least significant bit first:\n");
	sbuf_pad_to(sb, COL_WHAT);
	sbuf_puts(sb, "10101010 x7, 10101011,");
	for (size_t i = 0; i < 4 && i < len; i++) {
		sbuf_putc(sb, ' ');
		put_bits_lsb_first(sb, buf_data(f)[i]);
	}
	sbuf_puts(sb, " ...\n");
}
