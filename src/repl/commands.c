/* Every REPL command of SPEC section 4, one row each. The handlers call
 * the same C functions the Lua API calls. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/strutil.h"
#include "proto/field.h"
#include "repl/repl.h"
#include "stack/icmp.h"
#include "stack/ipv4.h"
#include "stack/tcp.h"
#include "stack/udp.h"
#include "view/capture.h"
#include "view/dissect.h"
#include "view/tables.h"

static struct world *W(struct repl *r)
{
	return r->lw.w;
}

/* ------------------------------------------------------------------ */
/* world */

static int c_hosts(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	(void)a, (void)e;
	view_hosts(&r->tv, out);
	return 0;
}

static int c_reset(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	(void)a, (void)e;
	repl_reset(r);
	sbuf_printf(out, "a fresh world (seed %" PRIu64 "): hosts a and b, nothing else\n", r->opt.seed);
	return 0;
}

static const char *const settings[] = {
	"latency", "msl", "rto", "relseq", "mode", "seed", "handshake", "time-wait", "delack", NULL,
};

static int on_off(const char *v, bool *b, const char *name, const char *on, const char *off, struct err *e)
{
	if (str_ieq(v, on))
		*b = true;
	else if (str_ieq(v, off))
		*b = false;
	else
		return err_set(e, "%s is %s or %s (got '%s')", name, on, off, v);
	return 0;
}

static void show_settings(struct repl *r, struct sbuf *out)
{
	struct world *w = W(r);
	char lat[32], msl[32], rto[32];
	vtime_format(w->link.latency, lat);
	vtime_format(w->set.msl, msl);
	vtime_format(w->set.rto_initial, rto);
	sbuf_printf(out, "latency    %s s   one way on the link\n", lat);
	sbuf_printf(out, "msl        %s s  TIME-WAIT lasts 2 MSL\n", msl);
	sbuf_printf(out, "rto        %s s   initial retransmission timeout\n", rto);
	char da[32];
	vtime_format(w->set.delack, da);
	sbuf_printf(out, "delack     %s s   %s\n", da, w->set.delack ? "an ACK may wait this long for data to ride on"
								  : "no delayed ACK: every ACK goes at once");
	sbuf_printf(out, "relseq     %s       %s\n", r->relseq ? "on " : "off",
		    r->relseq ? "sequence numbers shown relative to each side's ISN" : "sequence numbers shown as they are");
	sbuf_printf(out, "mode       %s     %s\n", r->auto_mode ? "auto" : "step",
		    r->auto_mode ? "the world runs after each command that sends" : "nothing moves until step, run or wait");
	sbuf_printf(out, "seed       %" PRIu64 "\n", r->opt.seed);
	sbuf_printf(out, "handshake  %s\n", w->set.two_way_handshake ? "two-way   (broken on purpose)" : "three-way");
	sbuf_printf(out, "time-wait  %s\n", w->set.time_wait_off ? "off       (broken on purpose)" : "on");
}

static int c_set(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	struct world *w = W(r);
	if (a->n == 1) {
		show_settings(r, out);
		return 0;
	}
	if (a->n != 3)
		return err_set(e, "set takes a name and a value, like set latency 50 (set alone lists them)");
	const char *name = a->w[1], *v = a->w[2];
	vtime t;
	uint64_t n;
	if (str_ieq(name, "latency")) {
		if (arg_ms(v, "latency", &t, e) < 0)
			return -1;
		if (t > 60 * VTIME_S)
			return err_set(e, "latency is at most 60000 ms (got %s)", v);
		world_set_latency(w, t);
	} else if (str_ieq(name, "msl")) {
		if (arg_ms(v, "msl", &t, e) < 0)
			return -1;
		w->set.msl = t;
	} else if (str_ieq(name, "rto")) {
		if (arg_ms(v, "rto", &t, e) < 0)
			return -1;
		if (t < VTIME_MS || t > 60 * VTIME_S)
			return err_set(e, "rto is from 1 to 60000 ms (got %s)", v);
		w->set.rto_initial = t;
		w->set.rto_min = t;	/* a teaching knob: the floor follows */
	} else if (str_ieq(name, "delack")) {
		if (arg_ms(v, "delack", &t, e) < 0)
			return -1;
		if (t > 500 * VTIME_MS)
			return err_set(e, "delack is at most 500 ms: RFC 1122 4.2.3.2 says an ACK must not wait longer (got %s)", v);
		w->set.delack = t;
	} else if (str_ieq(name, "relseq")) {
		if (on_off(v, &r->relseq, "relseq", "on", "off", e) < 0)
			return -1;
		r->tv.relseq = r->relseq;
	} else if (str_ieq(name, "mode")) {
		if (on_off(v, &r->auto_mode, "mode", "auto", "step", e) < 0)
			return -1;
	} else if (str_ieq(name, "seed")) {
		if (arg_uint(v, 0, UINT64_MAX, "the seed", &n, e) < 0)
			return -1;
		r->opt.seed = n;
		world_reseed(w, n);
	} else if (str_ieq(name, "handshake")) {
		bool two = false;
		if (on_off(v, &two, "handshake", "two-way", "three-way", e) < 0)
			return -1;
		w->set.two_way_handshake = two;
		if (two)
			sbuf_puts(out, "note: TCP is now broken on purpose: a SYN alone opens a connection\n");
	} else if (str_ieq(name, "time-wait") || str_ieq(name, "timewait")) {
		bool on = true;
		if (on_off(v, &on, "time-wait", "on", "off", e) < 0)
			return -1;
		w->set.time_wait_off = !on;
		if (!on)
			sbuf_puts(out, "note: TCP is now broken on purpose: no TIME-WAIT after the last ACK\n");
	} else {
		const char *near = closest_word(name, settings, 9);
		return err_set(e, "no setting '%s'%s%s%s; the settings are latency, msl, rto, delack, relseq, mode, "
			       "seed, handshake, time-wait", name, near ? " (did you mean '" : "", near ? near : "",
			       near ? "'?)" : "");
	}
	return 0;
}

static int c_isn(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	struct host *h = arg_host(W(r), a->w[1], e);
	uint64_t n;
	if (!h || arg_uint(a->w[2], 0, 0xffffffffu, "the ISN", &n, e) < 0)
		return -1;
	h->isn_fixed = true;
	h->isn_next = (uint32_t)n;
	sbuf_printf(out, "%s's next connection will start with ISS %" PRIu64 "\n", h->name, n);
	return 0;
}

/* ------------------------------------------------------------------ */
/* sockets */

static int c_listen(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	struct host *h = arg_host(W(r), a->w[1], e);
	uint64_t port;
	if (!h || arg_uint(a->w[2], 1, 65535, "the port", &port, e) < 0)
		return -1;
	struct tcb *t = tcp_listen(h, (uint16_t)port, e);
	if (!t)
		return -1;
	sbuf_printf(out, "%s\n", t->sock.id);
	return 0;
}

static int c_connect(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	struct host *h = arg_host(W(r), a->w[1], e), *peer;
	uint16_t port;
	uint64_t sport = 0;
	if (!h || arg_peer_port(W(r), a->w[2], &peer, &port, e) < 0)
		return -1;
	if (a->n == 4) {
		if (strncmp(a->w[3], "sport=", 6) != 0)
			return err_set(e, "connect's last argument is sport=N (got '%s')", a->w[3]);
		if (arg_uint(a->w[3] + 6, 1, 65535, "sport", &sport, e) < 0)
			return -1;
	}
	struct tcb *t = tcp_connect(h, peer->ip, port, (uint16_t)sport, e);
	if (!t)
		return -1;
	sbuf_printf(out, "%s\n", t->sock.id);
	return 0;
}

static struct tcb *arg_tcb(struct repl *r, const char *s, struct err *e)
{
	struct sock *k = arg_conn(W(r), s, e);
	if (!k)
		return NULL;
	if (k->kind != SOCK_TCP) {
		err_set(e, "%s is a UDP socket: this command works on TCP sockets", k->id);
		return NULL;
	}
	return (struct tcb *)k;
}

static int c_send(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	(void)out;
	struct tcb *t = arg_tcb(r, a->w[1], e);
	if (!t)
		return -1;
	struct sbuf text = SBUF_INIT;
	for (int i = 2; i < a->n; i++) {
		if (i > 2)
			sbuf_putc(&text, ' ');	/* unquoted words: one space between */
		if (arg_text(a->w[i], a->len[i], &text, e) < 0) {
			sbuf_free(&text);
			return -1;
		}
	}
	int rc = tcp_send(t, (const uint8_t *)sbuf_str(&text), text.len, e);
	sbuf_free(&text);
	return rc;
}

static int c_recv(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	struct sock *k = arg_conn(W(r), a->w[1], e);
	if (!k)
		return -1;
	if (k->kind == SOCK_UDP) {
		struct udp_dgram *d = udp_recv((struct udp_sock *)k);
		if (!d) {
			sbuf_printf(out, "(nothing received on %s)\n", k->id);
			return 0;
		}
		char ip[16];
		ip4_format(d->from_ip, ip);
		put_quoted(out, d->data, d->len, 4096);
		sbuf_printf(out, "  (%u bytes from %s:%u)\n", d->len, ip, d->from_port);
		free(d);
		return 0;
	}
	struct tcb *t = (struct tcb *)k;
	size_t n = t->rcvq.len;
	uint8_t *buf = malloc(n ? n : 1);
	if (!buf)
		abort();
	bool eof;
	n = tcp_recv(t, buf, n, &eof);
	if (n) {
		put_quoted(out, buf, n, 4096);
		sbuf_printf(out, "  (%zu byte%s)\n", n, n == 1 ? "" : "s");
	} else if (!eof && t->state == TCP_CLOSED) {
		free(buf);
		/* RFC 9293 3.10.3: RECEIVE on a closed connection is an error,
		 * with the reason when it ended badly. */
		if (t->error)
			return err_set(e, "%s: %s: nothing more will arrive", t->sock.id, tcp_error_text(t->error));
		return err_set(e, "%s is closed: the connection does not exist any more", t->sock.id);
	} else if (!eof) {
		sbuf_printf(out, "(nothing received on %s yet)\n", t->sock.id);
	}
	if (eof)
		sbuf_printf(out, "(end of data: %s's peer has closed its side)\n", t->sock.id);
	free(buf);
	return 0;
}

static int c_close(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	(void)out;
	struct sock *k = arg_conn(W(r), a->w[1], e);
	if (!k)
		return -1;
	if (k->kind == SOCK_UDP) {
		udp_unbind((struct udp_sock *)k);
		return 0;
	}
	return tcp_close((struct tcb *)k, e);
}

static int c_abort(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	(void)out;
	struct tcb *t = arg_tcb(r, a->w[1], e);
	if (!t)
		return -1;
	if (t->state == TCP_CLOSED)
		return err_set(e, "%s is already closed", t->sock.id);
	tcp_abort(t);
	return 0;
}

static int c_ping(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	(void)out;
	struct host *h = arg_host(W(r), a->w[1], e);
	struct host *peer = h ? arg_host(W(r), a->w[2], e) : NULL;
	if (!peer)
		return -1;
	return icmp_ping(h, peer->ip, e);
}

static int c_udp(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	(void)out;
	struct host *h = arg_host(W(r), a->w[1], e), *peer;
	uint16_t port;
	if (!h || arg_peer_port(W(r), a->w[2], &peer, &port, e) < 0)
		return -1;
	struct sbuf text = SBUF_INIT;
	for (int i = 3; i < a->n; i++) {
		if (i > 3)
			sbuf_putc(&text, ' ');
		if (arg_text(a->w[i], a->len[i], &text, e) < 0) {
			sbuf_free(&text);
			return -1;
		}
	}
	int rc = udp_send(h, 0, peer->ip, port, (const uint8_t *)sbuf_str(&text), text.len, e);
	sbuf_free(&text);
	return rc;
}

/* ------------------------------------------------------------------ */
/* time */

#define SHOW_MAX_EVENTS 400

static int c_step(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	uint64_t n = 1;
	if (a->n == 2 && arg_uint(a->w[1], 1, 1000000, "the number of events", &n, e) < 0)
		return -1;
	uint64_t done = 0;
	struct world *w = W(r);
	while (done < n && !w->interrupt) {
		/* A frame whose arrival changes nothing visible still gets a line. */
		struct timer *next = evq_peek(&w->q);
		uint64_t frame = 0, before = trace_last(&w->trace);
		for (size_t i = 0; next && i < w->link.nfl; i++)
			if (&w->link.fl[i]->t == next)
				frame = w->link.fl[i]->trace_n;
		if (!world_step(w))
			break;
		done++;
		const struct trace_event *ev = frame ? trace_get(&w->trace, frame) : NULL;
		if (ev && trace_last(&w->trace) == before) {
			repl_print_events_since(r, before);
			char t[32];
			vtime_format(w->q.now, t);
			repl_printf(r, "            %s  (frame %" PRIu64 " arrives at %s: nothing changes there)\n", t,
				    frame, w->hosts[ev->to].name);
		}
	}
	if (!done)
		sbuf_puts(out, "nothing to do: no frame in flight and no timer armed\n");
	return 0;
}

static int c_run(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	if (a->n == 2) {
		vtime t;
		if (arg_ms(a->w[1], "the time to run", &t, e) < 0)
			return -1;
		world_wait(W(r), t);
		return 0;
	}
	if (!world_inflight(W(r))) {
		sbuf_puts(out, "nothing in flight (timers wait for their time: wait MS, or run MS)\n");
		return 0;
	}
	if (world_run(W(r), 5000000) < 0 && !W(r)->interrupt)
		return err_set(e, "the world ran 5000000 events and frames are still in flight: stopped "
			       "(run again to go on)");
	return 0;
}

static int c_wait(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	(void)out;
	vtime t;
	if (arg_ms(a->w[1], "the time to wait", &t, e) < 0)
		return -1;
	world_wait(W(r), t);
	return 0;
}

static int c_time(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	(void)a, (void)e;
	char t[32];
	vtime_format(W(r)->q.now, t);
	sbuf_printf(out, "%s s\n", t);
	return 0;
}

/* ------------------------------------------------------------------ */
/* link */

static int c_wire(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	(void)a, (void)e;
	view_wire(&r->tv, out);
	return 0;
}

/* drop|delay|dup next [FROM>TO] [FLAGS] [MS] */
static int add_rule(struct repl *r, struct words *a, uint8_t kind, struct sbuf *out, struct err *e)
{
	struct link_rule rule = {.kind = kind, .from = LINK_ANY, .to = LINK_ANY, .count = 1};
	int i = 2;
	if (i < a->n && arg_is_direction(a->w[i]) && arg_direction(W(r), a->w[i++], &rule.from, &rule.to, e) < 0)
		return -1;
	int last = a->n - (kind == RULE_DELAY ? 1 : 0);
	if (kind == RULE_DELAY && (a->n < 3 || arg_ms(a->w[a->n - 1], "the delay", &rule.delay, e) < 0))
		return a->n < 3 ? err_set(e, "delay next needs the extra time: delay next [FROM>TO] [FLAGS] MS") : -1;
	if (i < last) {
		if (tcp_flags_parse(a->w[i], &rule.flags) < 0)
			return err_set(e, "'%s' is not a direction (FROM>TO) or a flag set (SYN,ACK or SA or S.)", a->w[i]);
		rule.match_flags = true;
		i++;
	}
	if (i < last)
		return err_set(e, "too many arguments after '%s'", a->w[i - 1]);
	if (link_add_rule(&W(r)->link, &rule) < 0)
		return err_set(e, "the link holds at most %d rules: clear removes them", LINK_MAX_RULES);
	sbuf_puts(out, "rule added: ");
	struct sbuf all = SBUF_INIT;
	view_rules(&r->tv, &all);
	/* the last line of the rules list is the new rule */
	const char *s = sbuf_str(&all);
	const char *lastline = s;
	for (const char *p = s; *p; p++)
		if (p[0] == '\n' && p[1])
			lastline = p + 1;
	while (*lastline == ' ' || (*lastline >= '0' && *lastline <= '9'))
		lastline++;
	sbuf_puts(out, lastline + (*lastline == ' ' ? 1 : 0));
	sbuf_free(&all);
	return 0;
}

static int c_drop(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	if (str_ieq(a->w[1], "next"))
		return add_rule(r, a, RULE_DROP, out, e);
	uint64_t n;
	if (a->n != 2)
		return err_set(e, "drop takes next [FROM>TO] [FLAGS], or the number of a frame in flight (see wire)");
	if (arg_uint(a->w[1], 1, 1000000, "the frame's number (see wire)", &n, e) < 0)
		return -1;
	if (world_drop_inflight(W(r), n - 1) < 0)
		return err_set(e, "no frame %" PRIu64 " in flight: %zu frame(s) are (see wire)", n, world_inflight(W(r)));
	sbuf_printf(out, "frame %" PRIu64 " on the wire dropped\n", n);
	return 0;
}

static int c_delay(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	if (!str_ieq(a->w[1], "next"))
		return err_set(e, "delay takes next: delay next [FROM>TO] [FLAGS] MS");
	return add_rule(r, a, RULE_DELAY, out, e);
}

static int c_dup(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	if (!str_ieq(a->w[1], "next"))
		return err_set(e, "dup takes next: dup next [FROM>TO] [FLAGS]");
	return add_rule(r, a, RULE_DUP, out, e);
}

static int c_loss(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	char *end;
	double pct = strtod(a->w[1], &end);
	const char *s = a->w[1];
	if (end == s || (*end && strcmp(end, "%")) || !(pct >= 0 && pct <= 100))
		return err_set(e, "loss is a percentage from 0 to 100 (got '%s')", s);
	W(r)->link.loss_ppm = (uint32_t)(pct * 10000 + 0.5);
	sbuf_printf(out, "random loss %.4g%% (seeded: the same frames are lost every run)\n", pct);
	return 0;
}

static int c_rules(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	(void)a, (void)e;
	view_rules(&r->tv, out);
	return 0;
}

static int c_clear(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	(void)a, (void)e;
	link_clear_rules(&W(r)->link);
	sbuf_puts(out, "no link rules, no loss\n");
	return 0;
}

/* ------------------------------------------------------------------ */
/* inspect */

static int c_state(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	struct host *h = NULL;
	int state = -1;
	if (a->n == 2 && (state = tcp_state_parse(a->w[1])) < 0 && !(h = world_host(W(r), a->w[1])))
		return err_set(e, "'%s' is neither a host (a, b) nor a TCP state (like ESTABLISHED, or TIME_WAIT "
			       "as netstat writes it)", a->w[1]);
	view_state(&r->tv, h, state, out);
	return 0;
}

static int c_tcb(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	struct tcb *t = arg_tcb(r, a->w[1], e);
	if (!t)
		return -1;
	view_tcb(&r->tv, t, out);
	return 0;
}

static int c_trace(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	uint64_t n = 0;
	if (a->n == 2 && arg_uint(a->w[1], 1, UINT32_MAX, "the number of events", &n, e) < 0)
		return -1;
	view_trace(&r->tv, n, out);
	return 0;
}

static int c_ladder(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	bool all = false, mermaid = false;
	for (int i = 1; i < a->n; i++) {
		if (str_ieq(a->w[i], "all"))
			all = true;
		else if (str_ieq(a->w[i], "tcp"))
			all = false;
		else if (str_ieq(a->w[i], "--mermaid") || str_ieq(a->w[i], "mermaid"))
			mermaid = true;
		else
			return err_set(e, "ladder takes tcp, all and --mermaid (got '%s')", a->w[i]);
	}
	if (mermaid)
		view_ladder_mermaid(&r->tv, all, out);
	else
		view_ladder(&r->tv, all, out);
	return 0;
}

static int event_number(struct repl *r, const char *s, uint64_t *n, struct err *e)
{
	struct trace *tr = &W(r)->trace;
	if (!trace_last(tr))
		return err_set(e, "the trace is empty: nothing has happened yet");
	if (arg_uint(s, 1, UINT64_MAX, "the event number", n, e) < 0)
		return -1;
	if (!trace_get(tr, *n))
		return err_set(e, "no event %" PRIu64 ": the trace holds %" PRIu64 " to %" PRIu64, *n, trace_first(tr),
			       trace_last(tr));
	return 0;
}

static int c_why(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	uint64_t n;
	if (event_number(r, a->w[1], &n, e) < 0)
		return -1;
	view_why(&r->tv, n, out);
	return 0;
}

static int frame_view(struct repl *r, struct words *a, struct sbuf *out, struct err *e, bool layers)
{
	uint64_t n;
	if (event_number(r, a->w[1], &n, e) < 0)
		return -1;
	const struct trace_event *ev = trace_get(&W(r)->trace, n);
	if (ev->kind != TRACE_FRAME)
		return err_set(e, "event %" PRIu64 " is not a frame (trace lists them): give the number of a frame", n);
	if (!ev->frame)
		return err_set(e, "frame %" PRIu64 "'s bytes are no longer kept (the trace keeps those of the most "
			       "recent frames, %u MB of them): give a later frame", n, TRACE_FRAME_BUDGET >> 20);
	int rc = layers ? view_layers_frame(&r->tv, n, out) : view_show_frame(&r->tv, n, out);
	if (rc < 0)
		return err_set(e, "event %" PRIu64 " could not be shown", n);
	return 0;
}

static int c_show(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	return frame_view(r, a, out, e, false);
}

static int c_layers(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	return frame_view(r, a, out, e, true);
}

static int c_diagram(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	struct tcb *t = NULL;
	if (a->n == 2 && !(t = arg_tcb(r, a->w[1], e)))
		return -1;
	view_diagram(&r->tv, t, out);
	return 0;
}

static int c_arp(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	struct host *h = arg_host(W(r), a->w[1], e);
	if (!h)
		return -1;
	view_arp(&r->tv, h, out);
	return 0;
}

/* ------------------------------------------------------------------ */
/* packets */

static const char *const pkt_subcmds[] = {
	"new", "eth", "arp", "ip", "icmp", "udp", "tcp", "data", "set", "show", "hex", "send", NULL,
};

static int set_fields(struct repl *r, int li, struct words *a, int from, struct err *e)
{
	for (int i = from; i < a->n; i++) {
		char *eq = strchr(a->w[i], '=');
		if (!eq || eq == a->w[i])
			return err_set(e, "'%s' is not FIELD=VALUE (like dport=80)", a->w[i]);
		*eq = '\0';
		const char *name = a->w[i], *value = eq + 1;
		const struct proto_def *def = r->build.layer[li].def;
		if (def == &proto_tcp && str_ieq(name, "data")) {
			struct sbuf text = SBUF_INIT;
			if (arg_text(value, strlen(value), &text, e) < 0)
				return -1;
			int rc = pkt_set_payload(&r->build, text.s ? text.s : "", text.len, e);
			sbuf_free(&text);
			if (rc < 0)
				return -1;
			continue;
		}
		int fi = field_lookup(def, name);
		if (fi < 0)
			return field_unknown(def, name, e);
		if (field_set_text(&r->build, li, fi, value, &r->lw.resolver, e) < 0)
			return -1;
	}
	return 0;
}

static int c_pkt(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	const char *sub = a->n > 1 ? a->w[1] : "show";
	struct pkt *p = &r->build;
	if (str_ieq(sub, "new")) {
		pkt_free(p);
		pkt_init(p);
		r->building = true;
		sbuf_puts(out, "an empty packet: add layers from the bottom (pkt eth, pkt ip, pkt tcp ...)\n");
		return 0;
	}
	const struct proto_def *def = proto_lookup(sub);
	if (def) {
		if (!r->building) {
			pkt_init(p);
			r->building = true;
		}
		if (!pkt_push(p, def, e))
			return -1;
		if (set_fields(r, p->n - 1, a, 2, e) < 0) {
			p->n--;	/* the layer goes again: nothing half-made stays */
			pkt_touch(p);
			return -1;
		}
		view_summary(p, out);
		sbuf_putc(out, '\n');
		return 0;
	}
	if (!r->building)
		return err_set(e, "no packet is being built: pkt new, then pkt eth, pkt ip, pkt tcp ...");
	if (!p->n && !p->payload.len)
		return err_set(e, "the packet is empty: add its layers first, from the bottom (pkt eth, pkt ip, "
				  "pkt tcp ...), then pkt %s",
			       sub);
	if (str_ieq(sub, "set")) {
		if (a->n < 4)
			return err_set(e, "pkt set LAYER FIELD=VALUE... changes a layer already there (like pkt set tcp seq=5)");
		const struct proto_def *d = proto_lookup(a->w[2]);
		int li = d ? pkt_find(p, d) : -1;
		if (li < 0)
			return err_set(e, "the packet has no %s layer", a->w[2]);
		if (set_fields(r, li, a, 3, e) < 0)
			return -1;
		view_summary(p, out);
		sbuf_putc(out, '\n');
		return 0;
	}
	if (str_ieq(sub, "data")) {
		if (a->n < 3)
			return err_set(e, "pkt data takes the payload: a quoted string or hex:...");
		struct sbuf text = SBUF_INIT;
		for (int i = 2; i < a->n; i++) {
			if (i > 2)
				sbuf_putc(&text, ' ');
			if (arg_text(a->w[i], a->len[i], &text, e) < 0) {
				sbuf_free(&text);
				return -1;
			}
		}
		int rc = pkt_add_payload(p, text.s ? text.s : "", text.len, e);
		sbuf_free(&text);
		if (rc < 0)
			return -1;
		view_summary(p, out);
		sbuf_putc(out, '\n');
		return 0;
	}
	if (str_ieq(sub, "show")) {
		view_tree(p, &r->opt.view, out);
		return 0;
	}
	if (str_ieq(sub, "hex")) {
		view_hexdump(p, &r->opt.view, out);
		return 0;
	}
	if (str_ieq(sub, "send")) {
		if (a->n != 3)
			return err_set(e, "pkt send takes the host to send from: pkt send a");
		struct host *h = arg_host(W(r), a->w[2], e);
		if (!h)
			return -1;
		struct host *peer = world_peer(W(r), h);
		return host_inject(h, p, peer->mac, peer->ip, e);
	}
	const char *near = closest_word(sub, pkt_subcmds, 12);
	return err_set(e, "pkt has no '%s'%s%s%s: new, eth, arp, ip, icmp, udp, tcp, data, set, show, hex, send", sub,
		       near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
}

/* ------------------------------------------------------------------ */
/* files */

static int c_capture(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	long n = world_capture(W(r), a->w[1], e);
	if (n < 0)
		return -1;
	sbuf_printf(out, "%ld frame%s written to %s (Wireshark opens it)\n", n, n == 1 ? "" : "s", a->w[1]);
	return 0;
}

static int c_source(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	(void)out;
	if (r->source_depth >= 8)
		return err_set(e, "source is nested 8 deep: does a file source itself?");
	return repl_source(r, a->w[1], e);
}

/* ------------------------------------------------------------------ */
/* lessons (the engine is in lesson/, reached through these hooks) */

static int c_lesson_cmd(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	if (!r->lesson_cmd)
		return err_set(e, "lessons are not available here");
	return r->lesson_cmd(r, a->w[0], a, out, e);
}

/* ------------------------------------------------------------------ */
/* help, quit */

static void help_all(struct sbuf *out)
{
	const char *group = NULL;
	for (const struct command *c = commands; c->name; c++) {
		if (!group || strcmp(group, c->group) != 0) {
			group = c->group;
			sbuf_printf(out, "%s%s\n", c == commands ? "" : "\n", group);
		}
		sbuf_printf(out, "  %s", c->synopsis);
		sbuf_pad_to(out, 44);
		sbuf_printf(out, "%s\n", c->summary);
	}
	sbuf_puts(out, "\nAny other line is Lua: p = Ether{} / IPv4{} / TCP{}, a:connect(b, 80), trace().\n"
		       "help CMD tells more about a command; Tab completes; Ctrl-D leaves.\n");
}

static int c_help(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	(void)r;
	if (a->n == 1) {
		help_all(out);
		return 0;
	}
	const struct command *c = command_find(a->w[1]);
	if (!c) {
		/* a prefix names the commands that start with it */
		int n = 0;
		for (const struct command *k = commands; k->name; k++)
			if (strncmp(k->name, a->w[1], strlen(a->w[1])) == 0)
				c = k, n++;
		if (n > 1) {
			sbuf_printf(out, "commands starting with '%s':", a->w[1]);
			for (const struct command *k = commands; k->name; k++)
				if (strncmp(k->name, a->w[1], strlen(a->w[1])) == 0)
					sbuf_printf(out, " %s", k->name);
			sbuf_putc(out, '\n');
			return 0;
		}
	}
	if (!c) {
		const char *near = command_suggest(a->w[1]);
		return err_set(e, "no command '%s'%s%s%s: help lists them all", a->w[1], near ? " (did you mean '" : "",
			       near ? near : "", near ? "'?)" : "");
	}
	sbuf_printf(out, "%s\n\n%s\n%s\n\nexample:\n  %s\n", c->synopsis, c->summary, c->help, c->example);
	return 0;
}

static int c_quit(struct repl *r, struct words *a, struct sbuf *out, struct err *e)
{
	(void)a, (void)out, (void)e;
	r->quit = true;
	return 0;
}

/* ------------------------------------------------------------------ */

static const char *const ladder_words[] = {"tcp", "all", "--mermaid", NULL};
static const char *const next_word[] = {"next", NULL};

#define ROW(n, g, syn, sum, hlp, ex, mn, mx, c0, c1, c2, subs, mv, fn) \
	{n, g, syn, sum, hlp, ex, mn, mx, {c0, c1, c2, A_NONE}, subs, mv, fn}

const struct command commands[] = {
	ROW("hosts", "world", "hosts", "hosts with MAC, IP and sockets",
	    "Lists the two hosts of the world, their addresses and the ids of their sockets.", "hosts",
	    0, 0, A_NONE, A_NONE, A_NONE, NULL, false, c_hosts),
	ROW("reset", "world", "reset", "a fresh default world (same seed)",
	    "Throws the world away and starts again: hosts a and b, no sockets, time 0, no link rules,\n"
	    "the world's default settings (latency, msl, rto, delack, the variants). How things are shown\n"
	    "(mode, relseq) stays as set. Lua objects of the old world say so when used.", "reset",
	    0, 0, A_NONE, A_NONE, A_NONE, NULL, false, c_reset),
	ROW("set", "world", "set [NAME VALUE]", "settings: latency msl rto delack relseq mode ...",
	    "set alone lists the settings. latency MS (one way), msl MS (TIME-WAIT is 2 MSL), rto MS\n"
	    "(before any RTT sample), relseq on|off (relative sequence numbers), mode auto|step (auto: the\n"
	    "world runs after each command that sends; step: nothing moves until step, run or wait),\n"
	    "seed N, delack MS (a delayed ACK waits up to MS for data or a FIN to ride on; 0, the\n"
	    "default, sends every ACK at once), and two variants that break TCP on purpose: handshake\n"
	    "two-way, time-wait off.",
	    "set mode step", 0, 2, A_SETTING, A_NONE, A_NONE, settings, false, c_set),
	ROW("isn", "world", "isn HOST N", "the ISN of HOST's next connection",
	    "Fixes the initial sequence number (ISS) of the next connection HOST opens or accepts, so that\n"
	    "numbers are easy to follow. Otherwise ISNs come from the clock and a keyed hash (RFC 9293 3.4.1).",
	    "isn a 1000", 2, 2, A_HOST, A_NUMBER, A_NONE, NULL, false, c_isn),
	ROW("listen", "sockets", "listen HOST PORT", "passive open",
	    "Opens a listening socket on HOST's PORT (RFC 9293 OPEN, passive): it waits in LISTEN for a SYN.\n"
	    "Each connection it accepts gets a socket id of its own.", "listen b 80",
	    2, 2, A_HOST, A_PORT, A_NONE, NULL, false, c_listen),
	ROW("connect", "sockets", "connect HOST PEER:PORT [sport=N]", "active open; prints the new socket id",
	    "HOST opens a connection to PEER's PORT (RFC 9293 OPEN, active): it sends a SYN and waits in\n"
	    "SYN-SENT. The source port is the next ephemeral one (49152 up) unless sport= gives it.",
	    "connect a b:80", 2, 3, A_HOST, A_PEERPORT, A_NONE, NULL, true, c_connect),
	ROW("send", "sockets", "send CONN TEXT", "queue data: a quoted string, or hex:0a0b...",
	    "Queues TEXT on connection CONN (RFC 9293 SEND). It goes out in segments of at most the peer's\n"
	    "MSS, as the peer's window allows. CONN is a socket id (a1), or a host with one connection.",
	    "send a1 \"hello\"", 2, -1, A_CONN, A_TEXT, A_NONE, NULL, true, c_send),
	ROW("recv", "sockets", "recv CONN", "print and consume received data",
	    "Prints what CONN has received in order and not yet read, and takes it out of the receive\n"
	    "queue, which opens the receive window again.", "recv b2", 1, 1, A_CONN, A_NONE, A_NONE, NULL, true, c_recv),
	ROW("close", "sockets", "close CONN", "orderly close (FIN)",
	    "RFC 9293 CLOSE: \"I have no more data to send\". A FIN follows the data already queued; the\n"
	    "socket still receives until the peer closes too.", "close a1",
	    1, 1, A_CONN, A_NONE, A_NONE, NULL, true, c_close),
	ROW("abort", "sockets", "abort CONN", "reset (RST)",
	    "RFC 9293 ABORT: the queues are thrown away, a RST tells the peer, the connection is CLOSED.",
	    "abort a1", 1, 1, A_CONN, A_NONE, A_NONE, NULL, true, c_abort),
	ROW("ping", "sockets", "ping HOST PEER", "ICMP echo",
	    "HOST sends an ICMP echo request to PEER, which answers with an echo reply (RFC 792).",
	    "ping a b", 2, 2, A_HOST, A_HOST, A_NONE, NULL, true, c_ping),
	ROW("udp", "sockets", "udp HOST PEER:PORT TEXT", "one UDP datagram",
	    "HOST sends one UDP datagram with TEXT to PEER's PORT. With no socket on that port, the peer\n"
	    "answers with ICMP port unreachable (RFC 1122 4.1.3.1).", "udp a b:53 \"hello\"",
	    3, -1, A_HOST, A_PEERPORT, A_TEXT, NULL, true, c_udp),
	ROW("step", "time", "step [N]", "deliver the next N events, printing each",
	    "Delivers the next event (a frame arriving or a timer firing), or the next N, and prints what\n"
	    "happened. Frames in flight are listed by wire.", "step", 0, 1, A_NUMBER, A_NONE, A_NONE, NULL, false, c_step),
	ROW("run", "time", "run [MS]", "run until nothing is in flight (or for MS)",
	    "Runs the world until no frame is in flight; timers due later wait (wait MS lets time pass).\n"
	    "With MS, runs for MS of virtual time, timers included.", "run",
	    0, 1, A_NUMBER, A_NONE, A_NONE, NULL, false, c_run),
	ROW("wait", "time", "wait MS", "advance the clock by MS",
	    "Lets MS milliseconds of virtual time pass: every frame and timer due in that time happens\n"
	    "(retransmissions, TIME-WAIT's end).", "wait 60000", 1, 1, A_NUMBER, A_NONE, A_NONE, NULL, false, c_wait),
	ROW("time", "time", "time", "the virtual time", "Prints the virtual clock, in seconds.", "time",
	    0, 0, A_NONE, A_NONE, A_NONE, NULL, false, c_time),
	ROW("wire", "link", "wire", "frames in flight, numbered",
	    "Lists the frames on the wire, numbered from 1, with when each arrives (drop N takes one off).",
	    "wire", 0, 0, A_NONE, A_NONE, A_NONE, NULL, false, c_wire),
	ROW("drop", "link", "drop next [FROM>TO] [FLAGS] | drop N", "drop the next matching frame, or frame N",
	    "drop next drops the next frame that matches: FROM>TO (a>b, b>a) and an exact TCP flag set\n"
	    "(SYN,ACK, or SA, or S.), each left out meaning any. drop N drops in-flight frame N (see wire).",
	    "drop next b>a SYN,ACK", 1, 4, A_SUBCMD, A_DIRECTION, A_FLAGS, next_word, false, c_drop),
	ROW("delay", "link", "delay next [FROM>TO] [FLAGS] MS", "hold the next matching frame MS longer",
	    "The next frame that matches arrives MS milliseconds later than the latency alone would make it.",
	    "delay next a>b SYN 2000", 2, 4, A_SUBCMD, A_DIRECTION, A_FLAGS, next_word, false, c_delay),
	ROW("dup", "link", "dup next [FROM>TO] [FLAGS]", "deliver the next matching frame twice",
	    "The next frame that matches arrives twice (the link makes a copy).", "dup next a>b PA",
	    1, 3, A_SUBCMD, A_DIRECTION, A_FLAGS, next_word, false, c_dup),
	ROW("loss", "link", "loss PCT", "random loss, seeded",
	    "Each frame is lost with probability PCT percent, decided by the world's seeded generator, so\n"
	    "the same frames are lost on every run. loss 0 turns it off.", "loss 5",
	    1, 1, A_NUMBER, A_NONE, A_NONE, NULL, false, c_loss),
	ROW("rules", "link", "rules", "list link rules", "Lists the latency, the loss and the rules waiting for a frame.",
	    "rules", 0, 0, A_NONE, A_NONE, A_NONE, NULL, false, c_rules),
	ROW("clear", "link", "clear", "remove link rules", "Removes every rule and the random loss.", "clear",
	    0, 0, A_NONE, A_NONE, A_NONE, NULL, false, c_clear),
	ROW("state", "inspect", "state [HOST|STATE]", "socket table: state, sequence numbers, window, timers",
	    "One line per socket: id, local and remote address, state, SND.UNA, SND.NXT, RCV.NXT, the\n"
	    "peer's window (SND.WND) and the timers running. A host, or a state (RFC 9293's names or\n"
	    "netstat's: TIME-WAIT or TIME_WAIT, SYN_RECV), shows only those sockets.", "state TIME_WAIT",
	    0, 1, A_HOST, A_NONE, A_NONE, NULL, false, c_state),
	ROW("tcb", "inspect", "tcb CONN", "every TCB variable and the states visited",
	    "Every variable of CONN's TCB (RFC 9293 3.3.1): ISS, IRS, SND.UNA, SND.NXT, SND.WND, RCV.NXT,\n"
	    "RCV.WND ..., absolute and relative, the queues, the retransmission timer's RTO, SRTT and\n"
	    "RTTVAR (RFC 6298), the congestion window and ssthresh (RFC 5681) with the phase (slow\n"
	    "start, congestion avoidance, fast recovery) and the duplicate ACKs counted, the timers,\n"
	    "and every state it has been in.",
	    "tcb a1", 1, 1, A_CONN, A_NONE, A_NONE, NULL, false, c_tcb),
	ROW("trace", "inspect", "trace [N]", "the numbered event log (the last N events)",
	    "Every event so far, numbered: frames put on the wire (dropped ones marked), state changes,\n"
	    "timers, frames discarded. why N explains one; show N opens a frame.", "trace",
	    0, 1, A_NUMBER, A_NONE, A_NONE, NULL, false, c_trace),
	ROW("ladder", "inspect", "ladder [tcp|all] [--mermaid]", "sequence diagram of the session",
	    "The session drawn as RFC 9293 draws its examples: one row per segment, each side's state\n"
	    "beside it, dropped segments stopping half way. all adds ARP, ICMP and UDP; --mermaid gives a\n"
	    "Mermaid sequence diagram for slides.", "ladder", 0, 2, A_SUBCMD, A_SUBCMD, A_NONE, ladder_words,
	    false, c_ladder),
	ROW("why", "inspect", "why N", "why event N happened: rule, RFC section, values",
	    "The rule behind event N, the section of the RFC it comes from, the TCB values it used, and the\n"
	    "frame arrival or timer that caused it.", "why 5", 1, 1, A_NUMBER, A_NONE, A_NONE, NULL, false, c_why),
	ROW("show", "inspect", "show N", "frame N layer by layer, and its bytes",
	    "The field tree of frame N (each field given, default or computed; checksums checked) and its\n"
	    "bytes grouped by layer.", "show 5", 1, 1, A_NUMBER, A_NONE, A_NONE, NULL, false, c_show),
	ROW("layers", "inspect", "layers N", "frame N against the OSI seven layers and TCP/IP four",
	    "Which bytes of frame N belong to which OSI layer and which TCP/IP layer, from the preamble on\n"
	    "the wire to the FCS.", "layers 5", 1, 1, A_NUMBER, A_NONE, A_NONE, NULL, false, c_layers),
	ROW("diagram", "inspect", "diagram [CONN]", "the TCP state diagram, current states marked",
	    "TCP's state diagram with the state of every connection (or of CONN) marked.", "diagram a1",
	    0, 1, A_CONN, A_NONE, A_NONE, NULL, false, c_diagram),
	ROW("arp", "inspect", "arp HOST", "ARP cache", "HOST's ARP cache: the MAC address of each IPv4 address it knows.",
	    "arp a", 1, 1, A_HOST, A_NONE, A_NONE, NULL, false, c_arp),
	ROW("pkt", "packets", "pkt new|eth|arp|ip|icmp|udp|tcp|data|set|show|hex|send ...", "build a packet by hand",
	    "pkt new starts an empty packet; pkt eth, pkt ip, pkt tcp [FIELD=VALUE ...] add layers from the\n"
	    "bottom (fields left out get defaults, or are computed: lengths, checksums); pkt data TEXT adds\n"
	    "a payload; pkt set LAYER FIELD=VALUE changes a field; pkt show, pkt hex look at it; pkt send\n"
	    "HOST puts it on the wire from HOST, and the peer answers as its state requires.\n"
	    "TCP fields: sport dport seq ack flags win csum urp mss data; IPv4: src dst ttl id proto tos df\n"
	    "csum; Ethernet: src dst type. Hosts may be named where an address is wanted (pkt eth dst=b).",
	    "pkt tcp dport=80 flags=S", 0, -1, A_SUBCMD, A_FIELD, A_FIELD, pkt_subcmds, true, c_pkt),
	ROW("capture", "files", "capture FILE.pcap", "write every frame so far to a pcap file",
	    "Writes every frame put on the wire so far (dropped ones too, as a capture at the sender would\n"
	    "see them) to a pcap file that Wireshark and tshark open.", "capture session.pcap",
	    1, 1, A_NEWFILE, A_NONE, A_NONE, NULL, false, c_capture),
	ROW("source", "files", "source FILE", "run a file of REPL lines, or a .lua script",
	    "Runs FILE: a .lua file as a Lua script, anything else as REPL lines, one per line.",
	    "source setup.txt", 1, 1, A_FILE, A_NONE, A_NONE, NULL, false, c_source),
	ROW("lesson", "lessons", "lesson [FILE]", "list lessons, or start one here",
	    "lesson alone lists the lessons in lessons/; lesson FILE plays one inside this REPL.",
	    "lesson lessons/07-handshake.md", 0, 1, A_LESSON, A_NONE, A_NONE, NULL, false, c_lesson_cmd),
	ROW("hint", "lessons", "hint", "a hint for the exercise", "Shows the next hint of the exercise in progress.",
	    "hint", 0, 0, A_NONE, A_NONE, A_NONE, NULL, false, c_lesson_cmd),
	ROW("goals", "lessons", "goals", "the exercise's goals, and which hold",
	    "Lists the goals of the exercise in progress, each marked done or not yet.", "goals",
	    0, 0, A_NONE, A_NONE, A_NONE, NULL, false, c_lesson_cmd),
	ROW("next", "lessons", "next", "go on with the lesson",
	    "Goes on with the lesson: after an exercise once its goals hold.", "next",
	    0, 0, A_NONE, A_NONE, A_NONE, NULL, false, c_lesson_cmd),
	ROW("skip", "lessons", "skip", "leave the exercise and go on",
	    "Leaves the exercise in progress without finishing it; the lesson goes on.", "skip",
	    0, 0, A_NONE, A_NONE, A_NONE, NULL, false, c_lesson_cmd),
	ROW("help", "other", "help [CMD]", "commands by group, or one in full",
	    "help lists the commands by group; help CMD gives its synopsis, what it does and an example.",
	    "help connect", 0, 1, A_CMD, A_NONE, A_NONE, NULL, false, c_help),
	ROW("quit", "other", "quit", "leave stacklab", "Leaves stacklab (Ctrl-D at an empty prompt does too).",
	    "quit", 0, 0, A_NONE, A_NONE, A_NONE, NULL, false, c_quit),
	{0},
};

const struct command *command_find(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	if (strcmp(name, "exit") == 0)
		return command_find("quit");
	return NULL;
}

const char *command_suggest(const char *word)
{
	const char *names[64];
	size_t n = 0;
	for (const struct command *c = commands; c->name && n < 64; c++)
		names[n++] = c->name;
	return closest_word(word, names, n);
}

