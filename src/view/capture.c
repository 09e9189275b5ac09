#include "view/capture.h"

long world_capture(struct world *w, const char *path, struct err *e)
{
	struct pcap_out *out = pcap_out_open(path, e);
	if (!out)
		return -1;
	long n = 0;
	for (uint64_t i = trace_first(&w->trace); i && i <= trace_last(&w->trace); i++) {
		const struct trace_event *ev = trace_get(&w->trace, i);
		if (ev->kind == TRACE_FRAME && ev->frame && !ev->dup) {
			pcap_out_frame(out, ev->t, ev->frame, ev->frame_len);
			n++;
		}
	}
	return pcap_out_close(out, e) < 0 ? -1 : n;
}

static void record_frame(void *ctx, vtime t, const uint8_t *frame, size_t len)
{
	pcap_out_frame(ctx, t, frame, len);
}

void world_record_to(struct world *w, struct pcap_out *out)
{
	w->frame_hook = out ? record_frame : NULL;
	w->hook_ctx = out;
}
