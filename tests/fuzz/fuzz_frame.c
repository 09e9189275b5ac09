/* Any bytes as an Ethernet frame: decoding must never read out of bounds,
 * every view of what was decoded must work, and so must encoding it again. */
#include <stdint.h>
#include <stdlib.h>

#include "proto/pkt.h"
#include "view/dissect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65535)
		return 0;
	struct pkt p;
	pkt_init(&p);
	pkt_decode(&p, data, size);
	for (int i = 0; i < p.n; i++)
		if ((size_t)p.layer[i].off + p.layer[i].len > size)
			abort();	/* a layer outside the frame */
	struct sbuf sb = SBUF_INIT;
	struct view_opts o = {true, true};
	view_tree(&p, &o, &sb);
	view_hexdump(&p, &o, &sb);
	view_osi(&p, &o, &sb);
	view_summary(&p, &sb);
	/* Edited, it is encoded from its fields: that must work too. */
	struct pkt q;
	pkt_init(&q);
	pkt_copy(&q, &p);
	pkt_touch(&q);
	pkt_frame(&q);
	view_tree(&q, &o, &sb);
	sbuf_free(&sb);
	pkt_free(&q);
	pkt_free(&p);
	return 0;
}
