/* Views of a world's trace: one line per event (trace), the sequence
 * diagram (ladder), the explanation of one event (why), a frame's fields
 * and layers (show, layers). All read the one trace record. */
#ifndef STACKLAB_VIEW_EVENTS_H
#define STACKLAB_VIEW_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/hmap.h"
#include "core/sbuf.h"
#include "sim/world.h"
#include "view/style.h"

/* Options and the little state a trace view keeps as events go by: the
 * first sequence number seen on each stream, so that numbers can be shown
 * relative to it, as Wireshark does. */
struct trace_view {
	struct world *w;
	struct view_opts o;
	bool relseq;
	struct hmap bases;	/* stream -> ISN seen */
	uint64_t seen;		/* events already taken into account */
};

void trace_view_init(struct trace_view *tv, struct world *w, struct view_opts o, bool relseq);
void trace_view_free(struct trace_view *tv);
/* Forgets what it saw (after a reset). */
void trace_view_reset(struct trace_view *tv, struct world *w);

/* One event as one line, without the newline. */
void view_event_line(struct trace_view *tv, const struct trace_event *ev, struct sbuf *sb);
/* The heading the lines go under. */
void view_trace_heading(struct trace_view *tv, struct sbuf *sb);
/* The last `last` events (0: all), with a heading. */
void view_trace(struct trace_view *tv, uint64_t last, struct sbuf *sb);
/* Event n in full: what happened, the rule and its section, the values,
 * and what caused it. Returns -1 if there is no such event. */
int view_why(struct trace_view *tv, uint64_t n, struct sbuf *sb);
/* The sequence diagram, one column per host (all: not only TCP). */
void view_ladder(struct trace_view *tv, bool all, struct sbuf *sb);
void view_ladder_mermaid(struct trace_view *tv, bool all, struct sbuf *sb);
/* Frame n decoded: field tree and hex dump, or the OSI view. -1 if event n
 * is not a frame whose bytes are kept. */
int view_show_frame(struct trace_view *tv, uint64_t n, struct sbuf *sb);
int view_layers_frame(struct trace_view *tv, uint64_t n, struct sbuf *sb);

/* Sequence numbers as shown: relative to the stream's ISN when relseq. */
uint32_t tv_rel_seq(struct trace_view *tv, const struct trace_event *ev);
uint32_t tv_rel_ack(struct trace_view *tv, const struct trace_event *ev);
/* What a frame is, from its bytes: "ARP Who has 10.0.0.2? Tell 10.0.0.1". */
void view_frame_summary(const struct trace_event *ev, struct sbuf *sb);
/* The colour of a host's name. */
const char *host_color(int index);

#endif
