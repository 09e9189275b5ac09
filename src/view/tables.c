#include "view/tables.h"

#include <inttypes.h>
#include <string.h>

#include "stack/seq.h"
#include "stack/udp.h"

void view_timer_left(const struct world *w, const struct timer *t, struct sbuf *sb)
{
	if (!timer_armed(t))
		return;
	char s[32];
	vtime_format(t->when - w->q.now, s);
	sbuf_printf(sb, "%s s", s);
}

static void put_name(struct trace_view *tv, struct sbuf *sb, int host, const char *s)
{
	put_colored(sb, &tv->o, host_color(host), s);
}

void view_hosts(struct trace_view *tv, struct sbuf *sb)
{
	struct world *w = tv->w;
	sbuf_puts(sb, "host  MAC                IPv4           sockets\n");
	for (int i = 0; i < w->nhosts; i++) {
		struct host *h = &w->hosts[i];
		char mac[18], ip[16];
		mac_format(h->mac, mac);
		ip4_format(h->ip, ip);
		put_name(tv, sb, i, h->name);
		sbuf_pad_to(sb, 6);
		sbuf_printf(sb, "%s  %s/24  ", mac, ip);
		if (!h->first)
			sbuf_puts(sb, "none");
		for (struct sock *s = h->first; s; s = s->next)
			sbuf_printf(sb, "%s%s", s == h->first ? "" : " ", s->id);
		sbuf_putc(sb, '\n');
	}
}

/* Sequence numbers relative to the TCB's own ISS and IRS when relseq. */
static uint32_t rel_snd(const struct trace_view *tv, const struct tcb *t, uint32_t v)
{
	return tv->relseq && t->state != TCP_LISTEN ? v - t->iss : v;
}

static uint32_t rel_rcv(const struct trace_view *tv, const struct tcb *t, uint32_t v)
{
	return tv->relseq && t->state != TCP_LISTEN && t->state != TCP_SYN_SENT ? v - t->irs : v;
}

static void timers_of(const struct world *w, const struct tcb *t, struct sbuf *sb)
{
	const struct {
		const char *name;
		const struct timer *t;
	} list[] = {{"rto", &t->rto_timer}, {"persist", &t->persist_timer}, {"time-wait", &t->tw_timer}};
	bool any = false;
	for (size_t i = 0; i < 3; i++) {
		if (!timer_armed(list[i].t))
			continue;
		sbuf_printf(sb, "%s%s ", any ? ", " : "", list[i].name);
		view_timer_left(w, list[i].t, sb);
		any = true;
	}
}

static void endpoint(struct sbuf *sb, uint32_t ip, uint16_t port)
{
	char s[16];
	ip4_format(ip, s);
	sbuf_printf(sb, "%s:%u", s, port);
}

static void state_row(struct trace_view *tv, const struct host *h, const struct sock *s, struct sbuf *sb)
{
	put_name(tv, sb, h->index, s->id);
	sbuf_pad_to(sb, 5);
	if (s->kind == SOCK_UDP) {
		const struct udp_sock *u = (const struct udp_sock *)s;
		sbuf_puts(sb, "UDP ");
		endpoint(sb, h->ip, u->port);
		sbuf_pad_to(sb, 43);
		sbuf_printf(sb, "%s, %u datagram(s) waiting\n", u->bound ? "BOUND" : "CLOSED", u->queued);
		return;
	}
	const struct tcb *t = (const struct tcb *)s;
	endpoint(sb, h->ip, t->lport);
	sbuf_pad_to(sb, 25);
	if (t->state == TCP_LISTEN || t->rport == 0)
		sbuf_puts(sb, "*:*");
	else
		endpoint(sb, t->rip, t->rport);
	sbuf_pad_to(sb, 43);
	color_on(sb, &tv->o, C_BOLD);
	sbuf_puts(sb, tcp_state_names[t->state]);
	color_off(sb, &tv->o);
	sbuf_pad_to(sb, 57);
	if (t->state != TCP_LISTEN && (t->state != TCP_CLOSED || t->iss)) {
		sbuf_printf(sb, "%-10" PRIu32 " %-10" PRIu32 " %-10" PRIu32 " %-6" PRIu32 " ", rel_snd(tv, t, t->snd_una),
			    rel_snd(tv, t, t->snd_nxt), rel_rcv(tv, t, t->rcv_nxt), t->snd_wnd);
	} else {
		sbuf_pad_to(sb, 57 + 11 * 3 + 7);
	}
	timers_of(tv->w, t, sb);
	if (tcp_error_text(t->error))
		sbuf_printf(sb, "  (%s)", tcp_error_text(t->error));
	sbuf_putc(sb, '\n');
}

void view_state(struct trace_view *tv, const struct host *only, int state, struct sbuf *sb)
{
	struct world *w = tv->w;
	sbuf_printf(sb, "id   local                remote            state         snd.una    snd.nxt    rcv.nxt"
			"    wnd    timers\n");
	int rows = 0;
	for (int i = 0; i < w->nhosts; i++) {
		const struct host *h = &w->hosts[i];
		if (only && only != h)
			continue;
		for (const struct sock *s = h->first; s; s = s->next) {
			if (state >= 0 && (s->kind != SOCK_TCP || ((const struct tcb *)s)->state != state))
				continue;
			state_row(tv, h, s, sb);
			rows++;
		}
	}
	if (!rows && state >= 0)
		sbuf_printf(sb, "(no socket is in %s)\n", tcp_state_names[state]);
	else if (!rows)
		sbuf_printf(sb, "(no sockets yet: listen HOST PORT, connect HOST PEER:PORT)\n");
	if (tv->relseq && rows)
		sbuf_puts(sb, "(sequence numbers relative to each connection's ISS and IRS: set relseq off for absolute)\n");
	if (w->set.two_way_handshake || w->set.time_wait_off)
		sbuf_printf(sb, "note: teaching variant on:%s%s (TCP is broken on purpose)\n",
			    w->set.two_way_handshake ? " handshake two-way" : "",
			    w->set.time_wait_off ? " time-wait off" : "");
}

static void var(struct sbuf *sb, const char *name, uint32_t abs, int64_t rel)
{
	sbuf_printf(sb, "  %-9s %10" PRIu32, name, abs);
	if (rel >= 0)
		sbuf_printf(sb, "   (relative %" PRId64 ")", rel);
	sbuf_putc(sb, '\n');
}

void view_tcb(struct trace_view *tv, const struct tcb *t, struct sbuf *sb)
{
	const struct world *w = tv->w;
	bool sync = t->state != TCP_LISTEN && !(t->state == TCP_CLOSED && !t->iss);
	bool have_irs = sync && t->state != TCP_SYN_SENT;
	sbuf_printf(sb, "%s  %s", t->sock.id, tcp_state_names[t->state]);
	if (t->state == TCP_LISTEN) {
		sbuf_printf(sb, "  listening on port %u, %u connection(s) waiting for accept\n", t->lport, t->naccept);
	} else {
		char l[16], r[16];
		ip4_format(t->sock.host ? t->sock.host->ip : 0, l);
		ip4_format(t->rip, r);
		sbuf_printf(sb, "  %s:%u > %s:%u%s\n", l, t->lport, r, t->rport, t->passive ? "  (opened passively)" : "");
	}
	if (tcp_error_text(t->error))
		sbuf_printf(sb, "  the user was told: %s\n", tcp_error_text(t->error));
	if (sync) {
		sbuf_puts(sb, "send sequence space (RFC 9293 3.3.1)\n");
		var(sb, "ISS", t->iss, 0);
		var(sb, "SND.UNA", t->snd_una, (int64_t)(uint32_t)(t->snd_una - t->iss));
		var(sb, "SND.NXT", t->snd_nxt, (int64_t)(uint32_t)(t->snd_nxt - t->iss));
		var(sb, "SND.WND", t->snd_wnd, -1);
		var(sb, "SND.WL1", t->snd_wl1, have_irs ? (int64_t)(uint32_t)(t->snd_wl1 - t->irs) : -1);
		var(sb, "SND.WL2", t->snd_wl2, have_irs ? (int64_t)(uint32_t)(t->snd_wl2 - t->iss) : -1);
		var(sb, "SND.MSS", t->snd_mss, -1);
		sbuf_puts(sb, "receive sequence space\n");
		if (have_irs) {
			var(sb, "IRS", t->irs, 0);
			var(sb, "RCV.NXT", t->rcv_nxt, (int64_t)(uint32_t)(t->rcv_nxt - t->irs));
		} else {
			sbuf_puts(sb, "  IRS, RCV.NXT  not known yet (no SYN from the peer)\n");
		}
		var(sb, "RCV.WND", t->rcv_wnd, -1);
		sbuf_puts(sb, "queues\n");
		uint32_t sent = seq_gt(t->snd_nxt, t->sndq_seq) ? t->snd_nxt - t->sndq_seq : 0;
		if (sent > t->sndq.len)
			sent = t->sndq.len;
		sbuf_printf(sb, "  send: %u bytes (%u sent and not yet acknowledged, %u not sent)%s%s\n", t->sndq.len,
			    sent, t->sndq.len - sent, t->fin_queued ? (t->fin_sent ? ", FIN sent" : ", FIN to follow") : "",
			    t->sws_held ? "; the usable window is too small to use yet (silly window avoidance, "
					  "RFC 9293 3.8.6.2.1)"
					: "");
		sbuf_printf(sb, "  receive: %u bytes to read%s; %u bytes held out of order\n", t->rcvq.len,
			    t->fin_rcvd ? ", then end of data (FIN received)" : "", t->ooo_bytes);
		sbuf_puts(sb, "retransmission (RFC 6298)\n");
		char rto[32], srtt[32], var_[32];
		vtime_format(t->rto, rto);
		vtime_format(t->srtt, srtt);
		vtime_format(t->rttvar, var_);
		if (t->have_rtt)
			sbuf_printf(sb, "  RTO %s s, SRTT %s s, RTTVAR %s s, retries %u\n", rto, srtt, var_, t->retries);
		else
			sbuf_printf(sb, "  RTO %s s (no RTT measured yet), retries %u\n", rto, t->retries);
		if (tcp_synchronized(t->state)) {
			sbuf_puts(sb, "congestion control (RFC 5681)\n");
			const char *phase = t->fast_recovery	     ? "fast recovery"
					    : t->timeout_recovery    ? "slow start, resending what the timeout lost"
					    : t->cwnd < t->ssthresh ? "slow start"
								     : "congestion avoidance";
			sbuf_printf(sb, "  cwnd %u (%.1f segments), ssthresh %u, %s; in flight %u", t->cwnd,
				    (double)t->cwnd / (t->snd_mss ? t->snd_mss : 1), t->ssthresh, phase,
				    tcp_flight_size(t));
			if (t->dupacks)
				sbuf_printf(sb, "; duplicate ACKs %u", t->dupacks);
			sbuf_putc(sb, '\n');
		}
	}
	sbuf_puts(sb, "timers: ");
	size_t before = sb->len;
	timers_of(w, t, sb);
	if (sb->len == before)
		sbuf_puts(sb, "none");
	sbuf_puts(sb, "\nstates: ");
	for (int i = 0; i < t->nstates; i++)
		sbuf_printf(sb, "%s%s", i ? " > " : "", tcp_state_names[t->states[i]]);
	if (t->states_overflow)
		sbuf_puts(sb, " ...");
	sbuf_printf(sb, "\nsegments: %" PRIu64 " in, %" PRIu64 " out, %" PRIu64 " retransmitted\n", t->segs_in,
		    t->segs_out, t->retransmits);
}

void view_arp(struct trace_view *tv, const struct host *h, struct sbuf *sb)
{
	(void)tv;
	sbuf_printf(sb, "ARP cache of %s:\n", h->name);
	if (!h->arp.n)
		sbuf_puts(sb, "  (empty: it fills on first use)\n");
	for (size_t i = 0; i < h->arp.n; i++) {
		const struct arp_entry *e = h->arp.e[i];
		char ip[16], mac[18];
		ip4_format(e->ip, ip);
		mac_format(e->mac, mac);
		if (e->resolved)
			sbuf_printf(sb, "  %-15s at %s\n", ip, mac);
		else
			sbuf_printf(sb, "  %-15s (asking: request %d of %d sent, %zu frame(s) waiting)\n", ip, e->tries,
				    ARP_TRIES, e->nheld);
	}
}

void view_wire(struct trace_view *tv, struct sbuf *sb)
{
	struct world *w = tv->w;
	if (!w->link.nfl) {
		sbuf_puts(sb, "nothing in flight\n");
		return;
	}
	for (size_t i = 0; i < w->link.nfl; i++) {
		const struct flight *f = w->link.fl[i];
		const struct trace_event *ev = trace_get(&w->trace, f->trace_n);
		char at[32], in[32];
		vtime_format(f->t.when, at);
		vtime_format(f->t.when - w->q.now, in);
		sbuf_printf(sb, "%3zu  ", i + 1);
		if (ev) {
			struct sbuf line = SBUF_INIT;
			view_event_line(tv, ev, &line);
			/* drop the event's own number and time: show the frame */
			const char *s = sbuf_str(&line);
			sbuf_puts(sb, s + (strlen(s) > 16 ? 16 : strlen(s)));
			sbuf_free(&line);
		}
		sbuf_printf(sb, "   arrives %s (in %s s)\n", at, in);
	}
}

void view_rules(struct trace_view *tv, struct sbuf *sb)
{
	struct world *w = tv->w;
	const struct link *l = &w->link;
	char lat[32];
	vtime_format(l->latency, lat);
	sbuf_printf(sb, "latency %s s one way", lat);
	if (l->loss_ppm)
		sbuf_printf(sb, ", random loss %.4g%%", l->loss_ppm / 10000.0);
	sbuf_putc(sb, '\n');
	if (!l->nrules)
		sbuf_puts(sb, "no rules\n");
	static const char *const kinds[] = {"drop", "delay", "dup"};
	for (size_t i = 0; i < l->nrules; i++) {
		const struct link_rule *r = &l->rules[i];
		sbuf_printf(sb, "%2zu  %s next", i + 1, kinds[r->kind]);
		if (r->from != LINK_ANY || r->to != LINK_ANY)
			sbuf_printf(sb, " %s>%s", r->from == LINK_ANY ? "*" : w->hosts[r->from].name,
				    r->to == LINK_ANY ? "*" : w->hosts[r->to].name);
		if (r->match_flags) {
			char f[40];
			tcp_flags_format(r->flags, f);
			sbuf_printf(sb, " %s", f[0] ? f : "none");
		}
		if (r->kind == RULE_DELAY) {
			char d[32];
			vtime_format(r->delay, d);
			sbuf_printf(sb, " +%s s", d);
		}
		if (r->count > 1)
			sbuf_printf(sb, " (%u frames to go)", r->count);
		sbuf_putc(sb, '\n');
	}
}

/* TCP's states and the main ways between them (after RFC 9293 Figure 5,
 * drawn again to fit a terminal). */
static const char *const diagram_lines[] = {
	"                          +--------+",
	"                          | CLOSED |",
	"                          +--------+",
	"       passive OPEN    /              \\    active OPEN, snd SYN",
	"                      v                v",
	"              +--------+  snd SYN  +----------+",
	"              | LISTEN |  (SEND)   | SYN-SENT |",
	"              +--------+  -------> +----------+",
	"   rcv SYN, snd SYN,ACK |              |    \\  rcv SYN,ACK, snd ACK",
	"                        v              |     \\",
	"             +--------------+  rcv SYN, snd SYN,ACK",
	"             | SYN-RECEIVED | <--------+       \\",
	"             +--------------+                   \\",
	"      rcv ACK of SYN      \\                      v",
	"                           +--------------> +-------------+",
	"                                            | ESTABLISHED |",
	"                                            +-------------+",
	"                          CLOSE, snd FIN  /                 \\  rcv FIN, snd ACK",
	"                                         v                   v",
	"                            +------------+                 +------------+",
	"                            | FIN-WAIT-1 |                 | CLOSE-WAIT |",
	"                            +------------+                 +------------+",
	"          rcv ACK of FIN  /       | rcv FIN, snd ACK              | CLOSE, snd FIN",
	"                         v        v                               v",
	"          +------------+    +---------+                     +----------+",
	"          | FIN-WAIT-2 |    | CLOSING |                     | LAST-ACK |",
	"          +------------+    +---------+                     +----------+",
	"   rcv FIN, snd ACK  \\          | rcv ACK of FIN                 | rcv ACK of FIN",
	"                      v         v                                v",
	"                     +-----------+   2 MSL passed           +--------+",
	"                     | TIME-WAIT | -----------------------> | CLOSED |",
	"                     +-----------+                          +--------+",
	NULL,
};

void view_diagram(struct trace_view *tv, const struct tcb *only, struct sbuf *sb)
{
	struct world *w = tv->w;
	/* who is in each state */
	struct sbuf who[TCP_NSTATES];
	for (int s = 0; s < TCP_NSTATES; s++)
		who[s] = (struct sbuf)SBUF_INIT;
	for (int i = 0; i < w->nhosts; i++) {
		for (const struct sock *s = w->hosts[i].first; s; s = s->next) {
			const struct tcb *t = (const struct tcb *)s;
			if (s->kind != SOCK_TCP || (only && t != only))
				continue;
			sbuf_printf(&who[t->state], "%s%s", who[t->state].len ? ", " : "", s->id);
		}
	}
	if (only && only->sock.host == NULL)
		sbuf_printf(&who[only->state], "%s", only->sock.id);
	bool marked[TCP_NSTATES] = {false};
	for (int li = 0; diagram_lines[li]; li++) {
		const char *line = diagram_lines[li];
		struct sbuf marks = SBUF_INIT;
		/* Mark a state on the line that names it, once. */
		size_t pos = 0;
		while (line[pos]) {
			bool hit = false;
			for (int s = TCP_NSTATES - 1; s >= 0; s--) {
				size_t n = strlen(tcp_state_names[s]);
				if (strncmp(line + pos, tcp_state_names[s], n) != 0 || line[pos + n] == '-')
					continue;
				if (who[s].len && !marked[s]) {
					color_on(sb, &tv->o, "\033[7m");
					sbuf_put(sb, line + pos, n);
					color_off(sb, &tv->o);
					sbuf_printf(&marks, "%s%s: %s", marks.len ? "; " : "", tcp_state_names[s],
						    sbuf_str(&who[s]));
					marked[s] = true;
				} else {
					sbuf_put(sb, line + pos, n);
				}
				pos += n;
				hit = true;
				break;
			}
			if (!hit)
				sbuf_putc(sb, line[pos++]);
		}
		if (marks.len) {
			sbuf_pad_to(sb, 80);
			sbuf_printf(sb, "<== %s", sbuf_str(&marks));
		}
		sbuf_free(&marks);
		sbuf_putc(sb, '\n');
	}
	bool any = false;
	for (int s = 0; s < TCP_NSTATES; s++) {
		any |= who[s].len > 0;
		sbuf_free(&who[s]);
	}
	if (!any)
		sbuf_puts(sb, "(no TCP sockets yet: every connection starts in CLOSED)\n");
	sbuf_puts(sb, "Not drawn: a RST ends any state (CLOSED, or back to LISTEN from SYN-RECEIVED if opened\n"
		      "passively); a FIN that also acknowledges ours goes from FIN-WAIT-1 straight to TIME-WAIT.\n");
}
