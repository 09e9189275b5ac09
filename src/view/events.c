/* trace and why: the event log, one line per event. */
#include "view/events.h"

#include <inttypes.h>
#include <string.h>

#include "proto/field.h"
#include "stack/tcp.h"
#include "stack/why.h"
#include "view/dissect.h"

const char *host_color(int index)
{
	return index == 0 ? "\033[36m" : "\033[35m";	/* a cyan, b magenta */
}

void trace_view_init(struct trace_view *tv, struct world *w, struct view_opts o, bool relseq)
{
	memset(tv, 0, sizeof *tv);
	tv->w = w;
	tv->o = o;
	tv->relseq = relseq;
	hmap_init(&tv->bases);
}

void trace_view_free(struct trace_view *tv)
{
	hmap_free(&tv->bases);
}

void trace_view_reset(struct trace_view *tv, struct world *w)
{
	hmap_free(&tv->bases);
	hmap_init(&tv->bases);
	tv->w = w;
	tv->seen = 0;
}

static uint64_t stream_key(int from, uint16_t sport, int to, uint16_t dport)
{
	return (uint64_t)from << 40 | (uint64_t)to << 32 | (uint64_t)sport << 16 | dport;
}

/* Takes a TCP frame into account: a SYN gives its stream's ISN; a stream
 * first seen without one starts from its first sequence number. */
static void learn(struct trace_view *tv, const struct trace_event *ev)
{
	if (ev->kind != TRACE_FRAME || ev->proto != TP_TCP || ev->dup)
		return;
	uint64_t k = stream_key(ev->host, ev->sport, ev->to, ev->dport);
	void *v = (void *)(uintptr_t)((uint64_t)ev->seq | 1ull << 32);
	if ((ev->flags & TCP_SYN) || !hmap_get(&tv->bases, k))
		hmap_put(&tv->bases, k, v);
}

/* Brings the bases up to event n (exclusive of later ones). */
static void catch_up(struct trace_view *tv, uint64_t n)
{
	struct trace *tr = &tv->w->trace;
	if (tv->seen < trace_first(tr))
		tv->seen = trace_first(tr) ? trace_first(tr) - 1 : 0;
	if (n < tv->seen) {
		hmap_free(&tv->bases);
		hmap_init(&tv->bases);
		tv->seen = trace_first(tr) ? trace_first(tr) - 1 : 0;
	}
	while (tv->seen < n && tv->seen < trace_last(tr)) {
		tv->seen++;
		learn(tv, trace_get(tr, tv->seen));
	}
}

static bool base_of(struct trace_view *tv, int from, uint16_t sport, int to, uint16_t dport, uint32_t *base)
{
	void *v = hmap_get(&tv->bases, stream_key(from, sport, to, dport));
	if (!v)
		return false;
	*base = (uint32_t)(uintptr_t)v;
	return true;
}

uint32_t tv_rel_seq(struct trace_view *tv, const struct trace_event *ev)
{
	uint32_t base;
	catch_up(tv, ev->n);
	if (!tv->relseq || !base_of(tv, ev->host, ev->sport, ev->to, ev->dport, &base))
		return ev->seq;
	return ev->seq - base;
}

uint32_t tv_rel_ack(struct trace_view *tv, const struct trace_event *ev)
{
	uint32_t base;
	catch_up(tv, ev->n);
	if (!tv->relseq || !base_of(tv, ev->to, ev->dport, ev->host, ev->sport, &base))
		return ev->ack;
	return ev->ack - base;
}

static void put_host(struct trace_view *tv, struct sbuf *sb, int index)
{
	put_colored(sb, &tv->o, host_color(index), tv->w->hosts[index].name);
}

static void put_conn(struct trace_view *tv, struct sbuf *sb, int host, uint32_t conn)
{
	color_on(sb, &tv->o, host_color(host));
	sbuf_printf(sb, "%s%u", tv->w->hosts[host].name, conn);
	color_off(sb, &tv->o);
}

void view_frame_summary(const struct trace_event *ev, struct sbuf *sb)
{
	if (!ev->frame) {
		sbuf_puts(sb, ev->proto == TP_ARP ? "ARP" : ev->proto == TP_ICMP ? "ICMP" : ev->proto == TP_UDP ? "UDP" : "frame");
		return;
	}
	struct pkt p;
	pkt_init(&p);
	pkt_decode(&p, ev->frame, ev->frame_len);
	int m = view_main_layer(&p);
	if (m >= 0) {
		sbuf_printf(sb, "%s ", p.layer[m].def->abbrev);
		p.layer[m].def->summary(&p, m, sb);
	}
	pkt_free(&p);
}

/* The TCP window and options, from the frame's bytes. */
static void tcp_extras(const struct trace_event *ev, struct sbuf *sb)
{
	if (!ev->frame)
		return;
	struct pkt p;
	pkt_init(&p);
	pkt_decode(&p, ev->frame, ev->frame_len);
	int t = pkt_find(&p, &proto_tcp);
	if (t >= 0) {
		const struct layer *l = &p.layer[t];
		sbuf_printf(sb, " win=%u", l->h.tcp.win);
		if (layer_given(l, TCP_F_MSS))
			sbuf_printf(sb, " mss=%u", l->h.tcp.mss);
	}
	pkt_free(&p);
}

static void frame_line(struct trace_view *tv, const struct trace_event *ev, struct sbuf *sb)
{
	put_host(tv, sb, ev->host);
	sbuf_puts(sb, " > ");
	put_host(tv, sb, ev->to);
	sbuf_puts(sb, "  ");
	if (ev->proto == TP_TCP) {
		char f[40];
		tcp_flags_format(ev->flags, f);
		sbuf_puts(sb, "TCP ");
		color_on(sb, &tv->o, C_BOLD);
		sbuf_puts(sb, f[0] ? f : "(no flags)");
		color_off(sb, &tv->o);
		size_t before = sb->len;
		sbuf_pad_to(sb, 36);
		if (sb->len == before)
			sbuf_putc(sb, ' ');
		sbuf_printf(sb, "seq=%" PRIu32, tv_rel_seq(tv, ev));
		if (ev->flags & TCP_ACK)
			sbuf_printf(sb, " ack=%" PRIu32, tv_rel_ack(tv, ev));
		tcp_extras(ev, sb);
		sbuf_printf(sb, " len=%" PRIu32, ev->len);
	} else {
		view_frame_summary(ev, sb);
	}
	if (ev->retrans)
		sbuf_puts(sb, "  (retransmission)");
	if (ev->dup)
		sbuf_puts(sb, "  (a copy made by the link)");
	if (ev->delayed) {
		char d[32];
		vtime_format(ev->delayed, d);
		sbuf_printf(sb, "  (delayed %s s)", d);
	}
	if (ev->dropped) {
		static const char *const cause[] = {"", "by a drop rule", "by random loss", "from the wire",
						    "(the wire is full)"};
		color_on(sb, &tv->o, C_RED);
		sbuf_printf(sb, "  DROPPED %s", cause[ev->drop_cause < 5 ? ev->drop_cause : 0]);
		color_off(sb, &tv->o);
	}
}

void view_event_line(struct trace_view *tv, const struct trace_event *ev, struct sbuf *sb)
{
	char t[32];
	vtime_format(ev->t, t);
	sbuf_printf(sb, "%4" PRIu64 "  %8s  ", ev->n, t);
	switch (ev->kind) {
	case TRACE_FRAME:
		frame_line(tv, ev, sb);
		break;
	case TRACE_STATE:
		put_conn(tv, sb, ev->host, ev->conn);
		sbuf_pad_to(sb, 26);
		sbuf_printf(sb, "%s -> ", tcp_state_names[ev->old_state]);
		color_on(sb, &tv->o, C_GREEN);
		sbuf_puts(sb, tcp_state_names[ev->new_state]);
		color_off(sb, &tv->o);
		break;
	case TRACE_TIMER:
		if (ev->conn)
			put_conn(tv, sb, ev->host, ev->conn);
		else
			put_host(tv, sb, ev->host);
		sbuf_pad_to(sb, 26);
		color_on(sb, &tv->o, C_YELLOW);
		sbuf_printf(sb, "timer %s expired", timer_name_text(ev->timer));
		color_off(sb, &tv->o);
		break;
	case TRACE_DISCARD:
		if (ev->conn)
			put_conn(tv, sb, ev->host, ev->conn);
		else
			put_host(tv, sb, ev->host);
		sbuf_pad_to(sb, 26);
		sbuf_puts(sb, "discards: ");
		why_format(&ev->why, sb);
		break;
	default:
		break;
	}
}

void view_trace_heading(struct trace_view *tv, struct sbuf *sb)
{
	(void)tv;
	sbuf_puts(sb, "   #      time  event\n");
}

void view_trace(struct trace_view *tv, uint64_t last, struct sbuf *sb)
{
	struct trace *tr = &tv->w->trace;
	uint64_t first = trace_first(tr), end = trace_last(tr);
	if (!first) {
		sbuf_puts(sb, "nothing has happened yet\n");
		return;
	}
	if (last && end - first + 1 > last)
		first = end - last + 1;
	view_trace_heading(tv, sb);
	for (uint64_t n = first; n <= end; n++) {
		view_event_line(tv, trace_get(tr, n), sb);
		sbuf_putc(sb, '\n');
	}
}

int view_why(struct trace_view *tv, uint64_t n, struct sbuf *sb)
{
	struct world *w = tv->w;
	const struct trace_event *ev = trace_get(&w->trace, n);
	if (!ev)
		return -1;
	view_event_line(tv, ev, sb);
	sbuf_puts(sb, "\n\nwhy:  ");
	why_format(&ev->why, sb);
	const char *sec = why_section(ev->why.rule);
	if (*sec)
		sbuf_printf(sb, "\nrule: %s", sec);
	if (ev->kind == TRACE_FRAME) {
		if (ev->arp_wait)
			sbuf_puts(sb, "\nwaited: until an ARP reply gave the next hop's MAC address (RFC 826)");
		if (ev->proto == TP_TCP && tv->relseq && (ev->flags & TCP_ACK))
			sbuf_printf(sb, "\nnumbers: seq=%" PRIu32 " ack=%" PRIu32 " here are %" PRIu32 " and %" PRIu32
				    " absolute (relative to each side's ISN)", tv_rel_seq(tv, ev), tv_rel_ack(tv, ev),
				    ev->seq, ev->ack);
		else if (ev->proto == TP_TCP && tv->relseq)	/* no ACK flag: the field means nothing */
			sbuf_printf(sb, "\nnumbers: seq=%" PRIu32 " here is %" PRIu32
				    " absolute (relative to the sender's ISN)", tv_rel_seq(tv, ev), ev->seq);
		if (ev->dropped) {
			static const char *const how[] = {"", "a drop rule matched it (drop next)",
							  "random loss took it (loss)", "it was dropped in flight (drop N)",
							  "the wire already carried 100000 frames (run the world)"};
			sbuf_printf(sb, "\nlink: %s", how[ev->drop_cause < 5 ? ev->drop_cause : 0]);
		} else if (ev->arrived >= 0) {
			char t[32];
			vtime_format(ev->arrived, t);
			sbuf_printf(sb, "\nlink: arrives at %s s", t);
		}
	}
	if (ev->cause) {
		const struct trace_event *c = trace_get(&w->trace, ev->cause);
		sbuf_printf(sb, "\ncaused by: event %" PRIu64, ev->cause);
		if (c) {
			sbuf_puts(sb, ", ");
			if (c->kind == TRACE_FRAME) {
				sbuf_puts(sb, "the arrival of ");
				frame_line(tv, c, sb);
			} else {
				sbuf_printf(sb, "the %s timer of %s%u", timer_name_text(c->timer), w->hosts[c->host].name,
					    c->conn);
			}
		}
	} else if (ev->kind != TRACE_TIMER) {
		sbuf_puts(sb, "\ncaused by: a command (connect, send, close, ...)");
	}
	sbuf_putc(sb, '\n');
	return 0;
}

/* A frame as kept in the trace, decoded, with the sender's marks. */
static int decode_frame(struct trace_view *tv, uint64_t n, struct pkt *p)
{
	const struct trace_event *ev = trace_get(&tv->w->trace, n);
	if (!ev || ev->kind != TRACE_FRAME || !ev->frame)
		return -1;
	pkt_init(p);
	pkt_decode(p, ev->frame, ev->frame_len);
	/* Show how the sender got each field: given, computed or default. */
	bool malformed = false;
	for (int i = 0; i < p->n; i++)
		malformed |= p->layer[i].err.code != 0;
	if (!malformed) {
		for (int i = 0; i < 3 && i < p->n; i++) {
			p->layer[i].given = ev->given[i] | (p->layer[i].given & ~((1u << p->layer[i].def->nfields) - 1));
			p->layer[i].computed = ev->computed[i];
			/* decoded option fields stay present */
			for (int f = 0; f < p->layer[i].def->nfields; f++)
				if (p->layer[i].def->fields[f].fill == FILL_OPTION && (ev->given[i] >> f & 1))
					p->layer[i].given |= 1u << f;
		}
		p->decoded = false;
	}
	return 0;
}

int view_show_frame(struct trace_view *tv, uint64_t n, struct sbuf *sb)
{
	struct pkt p;
	if (decode_frame(tv, n, &p) < 0)
		return -1;
	const struct trace_event *ev = trace_get(&tv->w->trace, n);
	sbuf_printf(sb, "frame %" PRIu64 ": ", n);
	frame_line(tv, ev, sb);
	sbuf_puts(sb, "\n\n");
	view_tree(&p, &tv->o, sb);
	sbuf_putc(sb, '\n');
	view_hexdump(&p, &tv->o, sb);
	pkt_free(&p);
	return 0;
}

int view_layers_frame(struct trace_view *tv, uint64_t n, struct sbuf *sb)
{
	struct pkt p;
	if (decode_frame(tv, n, &p) < 0)
		return -1;
	sbuf_printf(sb, "frame %" PRIu64 ": ", n);
	frame_line(tv, trace_get(&tv->w->trace, n), sb);
	sbuf_puts(sb, "\n");
	view_osi(&p, &tv->o, sb);
	pkt_free(&p);
	return 0;
}
