/* The tables a student looks at: hosts, sockets (state), one TCB, the ARP
 * cache, the frames on the wire, the link's rules, TCP's state diagram. */
#ifndef STACKLAB_VIEW_TABLES_H
#define STACKLAB_VIEW_TABLES_H

#include "core/sbuf.h"
#include "stack/tcp.h"
#include "view/events.h"

void view_hosts(struct trace_view *tv, struct sbuf *sb);
/* host NULL: both; state -1: any (else only sockets in that TCP state). */
void view_state(struct trace_view *tv, const struct host *host, int state, struct sbuf *sb);
void view_tcb(struct trace_view *tv, const struct tcb *t, struct sbuf *sb);
void view_arp(struct trace_view *tv, const struct host *h, struct sbuf *sb);
void view_wire(struct trace_view *tv, struct sbuf *sb);
void view_rules(struct trace_view *tv, struct sbuf *sb);
/* RFC 9293 Figure 5, each state some connection is in marked (t NULL:
 * every connection; else only t). */
void view_diagram(struct trace_view *tv, const struct tcb *t, struct sbuf *sb);
/* "0.980 s" until a timer fires, or "" when it is not armed. */
void view_timer_left(const struct world *w, const struct timer *t, struct sbuf *sb);

#endif
