/* The hex dump, one block of rows per layer so that the layering shows even
 * without colour. */
#include <ctype.h>

#include "view/dissect.h"

enum { ROW = 16, COL_HEX = 16, COL_ASCII = COL_HEX + ROW * 3 + 1 };

static void region(struct sbuf *sb, const struct view_opts *o, const char *label, const char *color,
		   const uint8_t *frame, size_t off, size_t len)
{
	for (size_t row = 0; row < len; row += ROW) {
		if (row == 0)
			put_colored(sb, o, color, label);
		sbuf_pad_to(sb, 10);
		sbuf_printf(sb, "%04zx  ", off + row);
		size_t n = len - row < ROW ? len - row : ROW;
		static const char digit[] = "0123456789abcdef";
		char hex[ROW * 3], text[ROW + 1];
		size_t h = 0;
		for (size_t i = 0; i < n; i++) {
			uint8_t c = frame[off + row + i];
			if (i)
				hex[h++] = ' ';
			hex[h++] = digit[c >> 4];
			hex[h++] = digit[c & 15];
			text[i] = isprint(c) && c < 0x7f ? (char)c : '.';
		}
		text[n] = '\n';
		color_on(sb, o, color);
		sbuf_put(sb, hex, h);
		color_off(sb, o);
		sbuf_pad_to(sb, COL_ASCII);
		sbuf_put(sb, text, n + 1);
	}
}

void view_hexdump(struct pkt *p, const struct view_opts *o, struct sbuf *sb)
{
	const struct buf *f = pkt_frame(p);
	const uint8_t *d = buf_data(f);
	size_t end = 0;
	for (int i = 0; i < p->n; i++) {
		const struct layer *l = &p->layer[i];
		region(sb, o, l->def->abbrev, layer_color(l->def), d, l->off, l->len);
		end = (size_t)l->off + l->len;
	}
	region(sb, o, "Data", layer_color(NULL), d, end, p->payload.len);
	region(sb, o, "Padding", C_DIM, d, f->len - p->trailer, p->trailer);
	if (f->len == 0)
		sbuf_puts(sb, "(no bytes)\n");
}
