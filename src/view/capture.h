/* Writing a world's frames to pcap: all so far (capture), or each as it is
 * put on the wire (--pcap). Timestamps are the virtual clock's. */
#ifndef STACKLAB_VIEW_CAPTURE_H
#define STACKLAB_VIEW_CAPTURE_H

#include "core/err.h"
#include "sim/world.h"
#include "view/pcap.h"

/* Every frame the trace still holds, dropped ones included; returns how
 * many were written, or -1 and e. */
long world_capture(struct world *w, const char *path, struct err *e);
/* Records frames into w as they go from now on (w->frame_hook). */
void world_record_to(struct world *w, struct pcap_out *out);

#endif
