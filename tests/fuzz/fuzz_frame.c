/* Any bytes as an Ethernet frame: decoding must never read out of bounds,
 * every view of what was decoded must work, and so must encoding it again.
 * Decoded in place (as a host reads what arrives), straight from the
 * fuzzer's buffer, it must give the same layers and payload. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
	struct pkt r;
	pkt_init(&r);
	pkt_decode_in_place(&r, data, size);
	if (r.n != p.n || r.trailer != p.trailer || memcmp(r.layer, p.layer, (size_t)p.n * sizeof p.layer[0]) ||
	    pkt_payload_len(&r) != p.payload.len ||
	    (p.payload.len && memcmp(pkt_payload_data(&r), buf_data(&p.payload), p.payload.len)))
		abort();	/* the two decodes differ */
	pkt_done_in_place(&r);
	pkt_free(&r);
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
