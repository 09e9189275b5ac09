/* ladder: the session as RFC 9293 draws its examples (Figures 6 to 13):
 * one row per segment, the sender's state on its side, the receiver's
 * state after taking it on the other, state changes of their own (CLOSE,
 * a timer) on rows of their own; segments that cross in flight are drawn
 * leaving and arriving, with "..." for the part of the way not yet done. */
#include <inttypes.h>
#include <string.h>

#include "stack/tcp.h"
#include "view/events.h"

enum { COL_A = 15, ARROW_W = 44 };

/* What the ladder knows while it walks the trace. */
struct walk {
	struct trace_view *tv;
	bool all;
	/* the current state of each connection, by host and number */
	struct hmap state;	/* host << 32 | conn -> state + 1 */
	int nconns[WORLD_HOSTS];	/* connections seen per host */
	int col_arrow;		/* where the arrows start */
};

static uint64_t hc(int host, uint32_t conn)
{
	return (uint64_t)host << 32 | conn;
}

static int state_of(const struct walk *k, int host, uint32_t conn)
{
	void *v = hmap_get(&k->state, hc(host, conn));
	return v ? (int)(uintptr_t)v - 1 : -1;
}

static void set_state(struct walk *k, int host, uint32_t conn, int state)
{
	hmap_put(&k->state, hc(host, conn), (void *)(uintptr_t)(state + 1));
}


/* The receiver's state after taking frame f, as the trace noted it; and
 * whether f was discarded. */
static const char *receiver_state(struct walk *k, const struct trace_event *f, bool *discarded, uint32_t *conn)
{
	struct trace *tr = &k->tv->w->trace;
	*discarded = false;
	*conn = f->rx_conn;
	/* A discard is recorded when f arrives, and the trace is in time
	 * order: the search ends there (else a long trace costs n^2). */
	for (uint64_t n = f->n + 1; f->arrived >= 0 && n <= trace_last(tr); n++) {
		const struct trace_event *e = trace_get(tr, n);
		if (e->t > f->arrived)
			break;
		if (e->cause == f->n && e->host == f->to && e->kind == TRACE_DISCARD)
			*discarded = true;
	}
	return f->rx_conn ? tcp_state_names[f->rx_state] : NULL;
}

/* <SEQ=0><ACK=1><CTL=SYN,ACK> as RFC 9293 writes segments. */
static void segment_text(struct walk *k, const struct trace_event *f, struct sbuf *sb)
{
	if (f->proto != TP_TCP) {
		size_t before = sb->len;
		view_frame_summary(f, sb);
		if (sb->len - before > ARROW_W - 8) {
			sb->len = before + ARROW_W - 11;
			sb->s[sb->len] = '\0';
			sbuf_puts(sb, "...");
		}
		return;
	}
	char fl[40];
	tcp_flags_format(f->flags, fl);
	sbuf_printf(sb, "<SEQ=%" PRIu32 ">", tv_rel_seq(k->tv, f));
	if (f->flags & TCP_ACK)
		sbuf_printf(sb, "<ACK=%" PRIu32 ">", tv_rel_ack(k->tv, f));
	sbuf_printf(sb, "<CTL=%s>", fl[0] ? fl : "none");
	if (f->len)
		sbuf_printf(sb, "<DATA=%" PRIu32 ">", f->len);
}

static void put_state(struct walk *k, struct sbuf *sb, int host, const char *state, uint32_t conn)
{
	if (!state)
		return;
	struct trace_view *tv = k->tv;
	color_on(sb, &tv->o, host_color(host));
	sbuf_puts(sb, state);
	if (k->nconns[host] > 1 && conn)
		sbuf_printf(sb, " (%s%u)", tv->w->hosts[host].name, conn);
	color_off(sb, &tv->o);
}

static void row_start(struct sbuf *sb, const struct trace_event *e)
{
	char t[32];
	vtime_format(e->t, t);
	sbuf_printf(sb, "%4" PRIu64 " %8s  ", e->n, t);
}

/* Which part of a frame's journey a row draws. A frame that crosses
 * other rows while in flight is drawn twice, as RFC 9293 Figures 8 and
 * 12 do: once when it leaves (with "..." where it has not arrived yet)
 * and once when it arrives (with "..." where it came from). */
enum part { WHOLE, LEAVES, ARRIVES };

/* The arrow: from the sender's side to the receiver's; a dropped frame
 * stops half way. */
static void arrow_text(struct walk *k, const struct trace_event *f, enum part part, struct sbuf *arrow)
{
	bool utf8 = k->tv->o.utf8;
	bool right = f->host == 0;	/* a is on the left */
	const char *shaft = utf8 ? "\u2500" : "-";
	const char *dots = "... ";
	struct sbuf seg = SBUF_INIT;
	segment_text(k, f, &seg);
	if (right)
		sbuf_puts(arrow, part == ARRIVES ? dots : utf8 ? "\u2500\u2500\u25b6 " : "--> ");
	else if (part == LEAVES)
		sbuf_puts(arrow, dots);
	else
		sbuf_puts(arrow, f->dropped ? (utf8 ? "  \u2573\u2500\u2500 " : "  X-- ") : (utf8 ? "\u25c0\u2500\u2500 " : "<-- "));
	sbuf_puts(arrow, sbuf_str(&seg));
	sbuf_putc(arrow, ' ');
	sbuf_free(&seg);
	size_t w = text_width(sbuf_str(arrow));
	while (w + 4 < ARROW_W) {
		sbuf_puts(arrow, shaft);
		w++;
	}
	if (right && part == LEAVES)
		sbuf_puts(arrow, "...");
	else if (right)
		sbuf_puts(arrow, f->dropped ? (utf8 ? "\u2573   " : "X   ") : (utf8 ? "\u2500\u25b6 " : "--> "));
	else
		sbuf_puts(arrow, part == ARRIVES ? "..." : utf8 ? "\u2500\u2500 " : "--- ");
}

static void frame_row(struct walk *k, const struct trace_event *f, enum part part, struct sbuf *sb)
{
	struct trace_view *tv = k->tv;
	bool discarded;
	uint32_t rconn;
	int sst = state_of(k, f->host, f->conn);
	const char *sender = f->conn && sst >= 0 && part != ARRIVES ? tcp_state_names[sst] : NULL;
	const char *receiver = receiver_state(k, f, &discarded, &rconn);
	if (part == LEAVES)
		receiver = NULL;
	if (part == ARRIVES) {
		char t[32];
		vtime_format(f->arrived, t);
		sbuf_printf(sb, "%4" PRIu64 " %8s  ", f->n, t);
	} else {
		row_start(sb, f);
	}
	bool right = f->host == 0;
	put_state(k, sb, 0, right ? sender : receiver, right ? f->conn : rconn);
	sbuf_pad_to(sb, (size_t)k->col_arrow);
	struct sbuf arrow = SBUF_INIT;
	arrow_text(k, f, part, &arrow);
	if (f->dropped)
		color_on(sb, &tv->o, C_RED);
	sbuf_puts(sb, sbuf_str(&arrow));
	if (f->dropped)
		color_off(sb, &tv->o);
	sbuf_free(&arrow);
	put_state(k, sb, 1, right ? receiver : sender, right ? rconn : f->conn);
	if (f->dropped)
		sbuf_puts(sb, "  (dropped)");
	else if (discarded && part != LEAVES)
		sbuf_puts(sb, "  (discarded)");
	if (f->retrans && part != ARRIVES)
		sbuf_puts(sb, "  (retransmission)");
	if (f->delayed && part != ARRIVES) {
		char d[32], at[32];
		vtime_format(f->delayed, d);
		vtime_format(f->arrived, at);
		sbuf_printf(sb, "  (delayed %s s: arrives at %s)", d, at);
	}
	if (f->dup && part != ARRIVES)
		sbuf_puts(sb, "  (copy)");
	while (sb->len && sb->s[sb->len - 1] == ' ')
		sb->s[--sb->len] = '\0';	/* no state on the far side */
	sbuf_putc(sb, '\n');
}

/* A state change no frame caused (a command, a timer): a row of its own. */
static void state_row(struct walk *k, const struct trace_event *e, struct sbuf *sb)
{
	row_start(sb, e);
	if (e->host == 1)
		sbuf_pad_to(sb, (size_t)(k->col_arrow + ARROW_W));
	put_state(k, sb, e->host, tcp_state_names[e->new_state], e->conn);
	if (e->cause) {
		const struct trace_event *c = trace_get(&k->tv->w->trace, e->cause);
		if (c && c->kind == TRACE_TIMER)
			sbuf_printf(sb, "  (%s timer)", timer_name_text(c->timer));
	}
	sbuf_putc(sb, '\n');
}

static bool shown(const struct walk *k, const struct trace_event *e)
{
	return e->kind == TRACE_FRAME && (k->all || e->proto == TP_TCP);
}

/* How many connections each host has in the trace (names are added when
 * there are several), and how wide a's column must be. */
static void count_conns(struct walk *k)
{
	struct trace *tr = &k->tv->w->trace;
	struct hmap seen;
	hmap_init(&seen);
	k->col_arrow = 0;
	for (uint64_t n = trace_first(tr); n && n <= trace_last(tr); n++) {
		const struct trace_event *e = trace_get(tr, n);
		if (e->kind != TRACE_STATE)
			continue;
		if (!hmap_get(&seen, hc(e->host, e->conn))) {
			hmap_put(&seen, hc(e->host, e->conn), (void *)1);
			k->nconns[e->host]++;
		}
	}
	hmap_free(&seen);
	/* the widest state name, with a connection id when needed */
	size_t widest = strlen("ESTABLISHED") + (k->nconns[0] > 1 ? 6 : 0);
	k->col_arrow = COL_A + (int)widest + 2;
}

/* Whether event e becomes a row of its own in the ladder. */
static bool drawn(const struct walk *k, const struct trace_event *e)
{
	if (shown(k, e))
		return true;
	if (e->kind != TRACE_STATE)
		return false;
	const struct trace_event *c = e->cause ? trace_get(&k->tv->w->trace, e->cause) : NULL;
	return !(c && c->kind == TRACE_FRAME && shown(k, c));
}

enum { MAX_IN_FLIGHT = 32 };

struct in_flight {
	const struct trace_event *f[MAX_IN_FLIGHT];
	int n;
};

/* Whether frame f is still in flight while another row is drawn: then it
 * is drawn leaving and, later, arriving. The look ahead is bounded so a
 * bulk transfer stays cheap (past it a frame is drawn whole). */
static bool crosses(const struct walk *k, const struct in_flight *fl, const struct trace_event *f)
{
	if (f->dropped || f->arrived < 0)
		return false;
	for (int i = 0; i < fl->n; i++)
		if (fl->f[i]->arrived <= f->arrived)
			return true;	/* an earlier frame's arrival row comes first */
	struct trace *tr = &k->tv->w->trace;
	bool at_same_time = false;
	uint64_t last = trace_last(tr);
	for (uint64_t n = f->n + 1; n <= last && n <= f->n + 256; n++) {
		const struct trace_event *e = trace_get(tr, n);
		if (e->cause == f->n || e->t > f->arrived)
			return e->cause == f->n && at_same_time;
		if (drawn(k, e)) {
			if (e->t < f->arrived)
				return true;
			at_same_time = true;	/* counts only if f's arrival follows */
		}
	}
	return false;
}

/* Draws the arrival of each frame in flight that has arrived before event
 * e (all that have arrived by now when e is NULL), oldest arrival first. */
static void draw_arrivals(struct walk *k, struct in_flight *fl, const struct trace_event *e, struct sbuf *sb)
{
	for (;;) {
		int best = -1;
		for (int i = 0; i < fl->n; i++) {
			const struct trace_event *f = fl->f[i];
			bool arrived = e ? (e->cause == f->n || e->t > f->arrived) : f->arrived <= k->tv->w->q.now;
			if (arrived && (best < 0 || f->arrived < fl->f[best]->arrived))
				best = i;
		}
		if (best < 0)
			return;
		frame_row(k, fl->f[best], ARRIVES, sb);
		fl->f[best] = fl->f[--fl->n];
	}
}

void view_ladder(struct trace_view *tv, bool all, struct sbuf *sb)
{
	struct walk k = {tv, all, {0}, {0}, 0};
	hmap_init(&k.state);
	count_conns(&k);
	struct world *w = tv->w;
	struct trace *tr = &w->trace;
	sbuf_printf(sb, "   #     time  ");
	for (int h = 0; h < 2; h++) {
		char ip[16];
		ip4_format(w->hosts[h].ip, ip);
		sbuf_pad_to(sb, (size_t)(h == 0 ? COL_A : k.col_arrow + ARROW_W));
		color_on(sb, &tv->o, host_color(h));
		sbuf_printf(sb, "%s (%s)", w->hosts[h].name, ip);
		color_off(sb, &tv->o);
	}
	sbuf_putc(sb, '\n');
	int rows = 0;
	struct in_flight fl = {{0}, 0};
	for (uint64_t n = trace_first(tr); n && n <= trace_last(tr); n++) {
		const struct trace_event *e = trace_get(tr, n);
		draw_arrivals(&k, &fl, e, sb);
		if (shown(&k, e)) {
			bool split = fl.n < MAX_IN_FLIGHT && crosses(&k, &fl, e);
			frame_row(&k, e, split ? LEAVES : WHOLE, sb);
			if (split)
				fl.f[fl.n++] = e;
			rows++;
		} else if (e->kind == TRACE_STATE) {
			set_state(&k, e->host, e->conn, e->new_state);
			if (drawn(&k, e)) {
				state_row(&k, e, sb);
				rows++;
			}
		}
	}
	draw_arrivals(&k, &fl, NULL, sb);
	if (!rows)
		sbuf_puts(sb, "nothing to draw yet: no TCP segment has been sent (ladder all shows every frame)\n");
	hmap_free(&k.state);
}

void view_ladder_mermaid(struct trace_view *tv, bool all, struct sbuf *sb)
{
	struct walk k = {tv, all, {0}, {0}, 0};
	hmap_init(&k.state);
	count_conns(&k);
	struct world *w = tv->w;
	struct trace *tr = &w->trace;
	sbuf_puts(sb, "sequenceDiagram\n");
	for (int h = 0; h < 2; h++) {
		char ip[16];
		ip4_format(w->hosts[h].ip, ip);
		sbuf_printf(sb, "    participant %s as %s (%s)\n", w->hosts[h].name, w->hosts[h].name, ip);
	}
	for (uint64_t n = trace_first(tr); n && n <= trace_last(tr); n++) {
		const struct trace_event *e = trace_get(tr, n);
		if (shown(&k, e)) {
			struct sbuf seg = SBUF_INIT;
			if (e->proto == TP_TCP) {
				char fl[40];
				tcp_flags_format(e->flags, fl);
				sbuf_printf(&seg, "%s seq=%" PRIu32, fl, tv_rel_seq(tv, e));
				if (e->flags & TCP_ACK)
					sbuf_printf(&seg, " ack=%" PRIu32, tv_rel_ack(tv, e));
				if (e->len)
					sbuf_printf(&seg, " len=%" PRIu32, e->len);
			} else {
				view_frame_summary(e, &seg);
			}
			for (char *c = seg.s; c && *c; c++)
				if (*c == ';' || *c == '#')
					*c = ',';	/* mermaid reads them as syntax */
			sbuf_printf(sb, "    %s%s%s: %s%s%s\n", w->hosts[e->host].name, e->dropped ? "-x" : "->>",
				    w->hosts[e->to].name, sbuf_str(&seg), e->retrans ? " (retransmission)" : "",
				    e->dropped ? " (dropped)" : "");
			sbuf_free(&seg);
		} else if (e->kind == TRACE_STATE) {
			sbuf_printf(sb, "    Note over %s: %s%u %s\n", w->hosts[e->host].name, w->hosts[e->host].name, e->conn,
				    tcp_state_names[e->new_state]);
		}
	}
	hmap_free(&k.state);
}
