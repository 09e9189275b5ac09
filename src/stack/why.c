/* The rule table: what each rule says and where it comes from. In a text,
 * {N} is value N in decimal, {xN} in hex, {sN} a TCP state, {iN} an IPv4
 * address, {tN} milliseconds shown as seconds, {pN} a protocol. */
#include "stack/why.h"

#include <inttypes.h>
#include <string.h>

#include "proto/pkt.h"
#include "stack/tcp.h"

struct rule_text {
	const char *section;
	const char *text;
};

static const struct rule_text rules[R_COUNT] = {
	[R_NONE] = {"", ""},
	[R_INJECT] = {"", "built by hand and put on the wire as it is"},

	[R_ARP_REQUEST] = {"RFC 826", "{i0} is on the link but its MAC address is unknown: ask everyone "
				      "(ARP request); the frame waits"},
	[R_ARP_RETRY] = {"RFC 1122 2.3.2.1", "no ARP reply for {i0} yet: ask again (try {1} of {2})"},
	[R_ARP_REPLY] = {"RFC 826", "{i0} asks who has {i1}, which is ours: ARP reply"},
	[R_ARP_GIVE_UP] = {"RFC 1122 2.3.2.2", "no ARP reply for {i0} after {1} requests: the {2} frame(s) "
					      "waiting for it are dropped"},
	[R_ARP_TIMER] = {"RFC 1122 2.3.2.1", "no ARP reply for {i0} one second after request {1}"},

	[R_DISC_NOT_OUR_MAC] = {"IEEE 802.3", "the Ethernet destination is neither this host's MAC "
					     "address nor broadcast"},
	[R_DISC_MALFORMED] = {"RFC 1122 3.2.1", "malformed {p0} header"},
	[R_DISC_IP_CSUM] = {"RFC 1122 3.2.1.2", "the IPv4 header checksum is 0x{x0} but should be 0x{x1}: "
					       "discarded silently"},
	[R_DISC_NOT_OUR_IP] = {"RFC 1122 3.2.1.3", "the IPv4 destination {i0} is not this host's address {i1}"},
	[R_DISC_FRAGMENT] = {"RFC 791 3.2", "a fragment (ID {0}, offset {1}): stacklab does not reassemble"},
	[R_DISC_IP_PROTO] = {"RFC 1122 3.2.1", "IP protocol {0}: nothing here speaks it"},
	[R_DISC_NO_ROUTE] = {"RFC 1122 3.3.1", "{i0} is not on the link (10.0.0.0/24) and there is no router"},
	[R_DISC_ETHERTYPE] = {"IEEE 802.3", "EtherType 0x{x0}: nothing here speaks it"},

	[R_ICMP_ECHO] = {"RFC 792", "ping {i0}: echo request, identifier {1}, sequence {2}"},
	[R_ICMP_ECHO_REPLY] = {"RFC 1122 3.2.2.6", "{i0} sent an echo request (identifier {1}, sequence {2}): "
						  "echo reply with the same data"},
	[R_DISC_ICMP_CSUM] = {"RFC 792", "the ICMP checksum is 0x{x0} but should be 0x{x1}"},
	[R_ICMP_PORT_UNREACH] = {"RFC 1122 4.1.3.1", "no UDP socket on port {0}: tell {i1} the port is "
						    "unreachable"},
	[R_ICMP_PROTO_UNREACH] = {"RFC 1122 3.2.2.1", "IP protocol {0}: nothing here speaks it; tell {i1} "
						     "the protocol is unreachable"},
	[R_ICMP_ERROR_IN] = {"RFC 792", "an ICMP error"},
	[R_ICMP_REPLY_IN] = {"RFC 792", "an echo reply"},

	[R_UDP_SEND] = {"RFC 768", "a datagram of {3} bytes from port {0} to {i1} port {2}"},
	[R_DISC_UDP_CSUM] = {"RFC 768", "the UDP checksum is 0x{x0} but should be 0x{x1}"},
	[R_UDP_DELIVER] = {"RFC 768", "delivered to the socket on port {0}"},

	[R_TCP_OPEN_PASSIVE] = {"RFC 9293 3.10.1", "OPEN (passive): wait for a SYN on port {0}"},
	[R_TCP_OPEN_ACTIVE] = {"RFC 9293 3.10.1", "OPEN (active) from port {2}: ISS={0}, send a SYN, "
						 "SND.UNA={0}, SND.NXT={1}"},
	[R_TCP_SEND_SYN] = {"RFC 9293 3.10.1", "OPEN (active): the SYN, SEQ=ISS={0}, announcing our MSS"},
	[R_TCP_CLOSE] = {"RFC 9293 3.10.4", "CLOSE in {s0}: no more data to send; a FIN follows the "
					   "data queued, {s1}"},
	[R_TCP_CLOSE_SYN_SENT] = {"RFC 9293 3.10.4", "CLOSE in SYN-SENT: the TCB is deleted"},
	[R_TCP_CLOSE_LISTEN] = {"RFC 9293 3.10.4", "CLOSE of a listener: it stops listening"},
	[R_TCP_ABORT] = {"RFC 9293 3.10.5", "ABORT in {s0}: queues flushed, the connection is gone"},
	[R_TCP_ABORT_RST] = {"RFC 9293 3.10.5", "ABORT: RST with SEQ=SND.NXT={0}"},
	[R_TCP_SEND_DATA] = {"RFC 9293 3.8.6", "{1} bytes of queued data at SEQ={0} (the peer's window {2} "
					      "and the congestion window {5} from SND.UNA={4}, peer's MSS "
					      "{3})"},
	[R_TCP_LIMITED_TRANSMIT] = {"RFC 5681 3.2, RFC 3042", "duplicate ACK {2} of SND.UNA={4}: a segment "
						    "left the network, so {1} bytes of new data go out at "
						    "SEQ={0} beyond the congestion window {5} (limited transmit: "
						    "at most two segments more, cwnd unchanged), to bring the "
						    "duplicates a fast retransmit needs"},
	[R_TCP_SEND_FIN] = {"RFC 9293 3.10.4", "CLOSE: all data sent, FIN at SEQ={0}"},
	[R_TCP_WINDOW_UPDATE] = {"RFC 9293 3.8.6.2.2", "the application read {0} bytes: the window opens "
						      "to {1}, tell the peer"},

	[R_DISC_TCP_CSUM] = {"RFC 9293 3.1", "the TCP checksum is 0x{x0} but should be 0x{x1}: dropped"},
	[R_TCP_CLOSED_RST_ACK] = {"RFC 9293 3.10.7.1", "no connection for this segment (CLOSED), and it has "
						      "no ACK: RST,ACK with SEQ=0, ACK=SEG.SEQ+SEG.LEN={1}+{2}={0}"},
	[R_TCP_CLOSED_RST] = {"RFC 9293 3.10.7.1", "no connection for this segment (CLOSED): RST with "
						  "SEQ=SEG.ACK={0}"},
	[R_TCP_CLOSED_GOT_RST] = {"RFC 9293 3.10.7.1", "a RST for no connection: dropped (a RST is never "
						      "answered)"},
	[R_TCP_LISTEN_RST] = {"RFC 9293 3.10.7.2", "LISTEN: a RST is ignored"},
	[R_TCP_LISTEN_ACK] = {"RFC 9293 3.10.7.2", "LISTEN: an ACK (SEG.ACK={0}) cannot be right here: RST "
						  "with SEQ=SEG.ACK, stay in LISTEN"},
	[R_TCP_LISTEN_SYN] = {"RFC 9293 3.10.7.2", "LISTEN: SYN with SEG.SEQ={0}: IRS={0}, RCV.NXT={1}, "
						  "ISS={2}: SYN,ACK with SEQ=ISS, ACK=RCV.NXT"},
	[R_TCP_LISTEN_SYN_STATE] = {"RFC 9293 3.10.7.2", "LISTEN (listener {3}): SYN with SEG.SEQ={0}: a new "
							"connection, SYN-RECEIVED"},
	[R_TCP_LISTEN_OTHER] = {"RFC 9293 3.10.7.2", "LISTEN: neither SYN, ACK nor RST: dropped"},
	[R_TCP_LISTEN_TWO_WAY] = {"stacklab variant", "two-way handshake (broken on purpose): the SYN "
						     "(SEG.SEQ={0}) alone opens the connection, ESTABLISHED"},
	[R_TCP_LISTEN_FULL] = {"RFC 9293 3.10.7.2", "LISTEN: too many connections wait to be accepted "
						   "(or the host has all the sockets it may have): SYN dropped"},
	[R_TCP_SYN_DATA_IGNORED] = {"RFC 9293 3.10.7.2", "{0} bytes of data on a SYN are not kept (no TCP "
							"Fast Open); the peer sends them again"},

	[R_TCP_SYN_SENT_BAD_ACK] = {"RFC 9293 3.10.7.3", "SYN-SENT: SEG.ACK={0} is not in ISS={1} < SEG.ACK <= "
							"SND.NXT={2}: RST with SEQ=SEG.ACK, drop"},
	[R_TCP_SYN_SENT_BAD_ACK_RST] = {"RFC 9293 3.10.7.3", "SYN-SENT: a RST whose SEG.ACK={0} is not in "
							    "ISS={1} < SEG.ACK <= SND.NXT={2}: dropped"},
	[R_TCP_SYN_SENT_RST] = {"RFC 9293 3.10.7.3", "SYN-SENT: RST acknowledging our SYN (SEG.ACK={0}): "
						    "connection refused, CLOSED"},
	[R_TCP_SYN_SENT_RST_NO_ACK] = {"RFC 9293 3.10.7.3", "SYN-SENT: a RST without an acceptable ACK: dropped"},
	[R_TCP_SYN_SENT_SYN_ACK] = {"RFC 9293 3.10.7.3", "SYN-SENT: SYN,ACK acknowledges our SYN: ACK with "
							"SEQ=SND.NXT, ACK=RCV.NXT={3}"},
	[R_TCP_SYN_SENT_SYN_ACK_STATE] = {"RFC 9293 3.10.7.3", "SYN-SENT: SYN,ACK acknowledges our SYN "
							      "(SND.UNA={0} < SEG.ACK={1} <= SND.NXT={2}): "
							      "RCV.NXT={3}, ESTABLISHED"},
	[R_TCP_SYN_SENT_SYN] = {"RFC 9293 3.5", "SYN-SENT: a SYN without ACK (simultaneous open): SYN,ACK with "
						"SEQ=ISS={2}, ACK=RCV.NXT={1}"},
	[R_TCP_SYN_SENT_SYN_STATE] = {"RFC 9293 3.10.7.3", "SYN-SENT: a SYN without ACK, SEG.SEQ={0} "
							  "(simultaneous open): SYN-RECEIVED"},
	[R_TCP_SYN_SENT_OTHER] = {"RFC 9293 3.10.7.3", "SYN-SENT: neither SYN nor RST: dropped"},

	[R_TCP_UNACCEPTABLE] = {"RFC 9293 3.10.7.4", "SEG.SEQ={0} LEN={1} is not acceptable for RCV.NXT={2} "
						    "RCV.WND={3}: ACK with SEQ=SND.NXT, ACK=RCV.NXT, drop"},
	[R_TCP_ACK_THROTTLED] = {"RFC 5961 7", "no ACK: one answered an unacceptable segment {t0} ago "
					       "(at most one per 0.5 s, against ACK storms)"},
	[R_TCP_UNACCEPTABLE_RST] = {"RFC 5961 3.2", "a RST with SEG.SEQ={0} outside the window "
						     "(RCV.NXT={2}, RCV.WND={3}): dropped silently"},
	[R_TCP_RST_CHALLENGE] = {"RFC 5961 3.2", "a RST with SEG.SEQ={0} in the window but not RCV.NXT={1}: "
						  "challenge ACK, no state change"},
	[R_TCP_RST_RESET] = {"RFC 9293 3.10.7.4", "{s0}: RST with SEG.SEQ=RCV.NXT={1}: connection reset, "
						 "queues flushed, CLOSED"},
	[R_TCP_RST_CLOSE] = {"RFC 9293 3.10.7.4", "{s0}: RST with SEG.SEQ=RCV.NXT={1}: CLOSED"},
	[R_TCP_RST_BACK_TO_LISTEN] = {"RFC 9293 3.10.7.4", "SYN-RECEIVED, opened passively: RST "
							  "(SEG.SEQ={1}): back to LISTEN; the user is not told"},
	[R_TCP_RST_REFUSED] = {"RFC 9293 3.10.7.4", "SYN-RECEIVED, opened actively: RST: connection "
						   "refused, CLOSED"},
	[R_TCP_SYN_CHALLENGE] = {"RFC 5961 4.2", "a SYN (SEG.SEQ={1}) in {s0}: challenge ACK, no state change"},
	[R_TCP_SYN_BACK_TO_LISTEN] = {"RFC 9293 3.10.7.4", "SYN-RECEIVED, opened passively: a SYN "
							  "(SEG.SEQ={1}): back to LISTEN"},
	[R_TCP_NO_ACK] = {"RFC 9293 3.10.7.4", "{s0}: a segment without the ACK bit is dropped"},
	[R_TCP_SYN_RECEIVED_ACK] = {"RFC 9293 3.10.7.4", "SYN-RECEIVED: SND.UNA={0} < SEG.ACK={1} <= "
							"SND.NXT={2}: our SYN is acknowledged, ESTABLISHED"},
	[R_TCP_SYN_RECEIVED_BAD_ACK] = {"RFC 9293 3.10.7.4", "SYN-RECEIVED: SEG.ACK={0} is not in "
							    "SND.UNA={1} < SEG.ACK <= SND.NXT={2}: RST with "
							    "SEQ=SEG.ACK"},
	[R_TCP_ACK_UNSENT] = {"RFC 9293 3.10.7.4", "SEG.ACK={0} acknowledges what was never sent "
						  "(SND.NXT={1}): ACK, drop"},
	[R_TCP_ACK_TOO_OLD] = {"RFC 5961 5.2", "SEG.ACK={0} is older than SND.UNA={1} minus the largest "
					       "window {2}: challenge ACK, drop"},
	[R_TCP_FIN_ACKED_FW2] = {"RFC 9293 3.10.7.4", "FIN-WAIT-1: SEG.ACK={0} acknowledges our FIN "
						     "(SEQ {1}): FIN-WAIT-2"},
	[R_TCP_FIN_ACKED_TIME_WAIT] = {"RFC 9293 3.10.7.4", "CLOSING: SEG.ACK={0} acknowledges our FIN: "
							   "TIME-WAIT for 2 MSL ({t1})"},
	[R_TCP_FIN_ACKED_CLOSED] = {"RFC 9293 3.10.7.4", "LAST-ACK: SEG.ACK={0} acknowledges our FIN: CLOSED"},
	[R_TCP_TIME_WAIT_FIN] = {"RFC 9293 3.10.7.4", "TIME-WAIT: the peer's FIN (SEQ {0}) again, so our last "
						  "ACK was lost: ACK it again, restart 2 MSL ({t1})"},
	[R_TCP_DATA] = {"RFC 9293 3.10.7.4", "{1} bytes of data at SEQ {0}: RCV.NXT={2}, window {3}: "
					    "acknowledge"},
	[R_TCP_DATA_FILLS_GAP] = {"RFC 9293 3.10.7.4, RFC 5681 4.2", "{1} bytes of data at SEQ {0} fill the "
								   "hole before data held out of order: "
								   "RCV.NXT={2}, window {3}: acknowledge at once"},
	[R_TCP_DATA_OOO] = {"RFC 9293 3.10.7.4", "data at SEQ {0} beyond RCV.NXT={1}: held out of order; "
						"ACK RCV.NXT again"},
	[R_TCP_DATA_AFTER_FIN] = {"RFC 9293 3.10.7.4", "{1} bytes of data at SEQ {0} after the peer's FIN: "
						      "ignored"},
	[R_TCP_FIN] = {"RFC 9293 3.10.7.4", "FIN at SEQ {0}: RCV.NXT={1}: acknowledge it; the peer has no "
					   "more data"},
	[R_TCP_FIN_CLOSE_WAIT] = {"RFC 9293 3.10.7.4", "{s2}: the peer's FIN (SEQ {0}): end of its data; "
						      "this side may still send: CLOSE-WAIT"},
	[R_TCP_FIN_CLOSING] = {"RFC 9293 3.10.7.4", "FIN-WAIT-1: the peer's FIN (SEQ {0}) before the ACK of "
						   "ours (simultaneous close): CLOSING"},
	[R_TCP_FIN_TIME_WAIT] = {"RFC 9293 3.10.7.4", "{s2}: the peer's FIN (SEQ {0}), ours acknowledged: "
						     "TIME-WAIT for 2 MSL ({t3})"},
	[R_TCP_ZERO_WINDOW_PROBE_ACK] = {"RFC 9293 3.8.6.1", "the window is zero: the {1} bytes at SEQ {0} "
							     "are not taken; ACK RCV.NXT={2} with window 0"},

	[R_TCP_RTO_TIMER] = {"RFC 6298 5.4", "the retransmission timer ({t0}) expired with no ACK "
					     "(retry {1} of {2})"},
	[R_TCP_GIVE_UP_TIMER] = {"RFC 9293 3.8.3", "the retransmission timer ({t0}) expired with no ACK "
						   "after the last of {1} retries"},
	[R_TCP_RETRANSMIT] = {"RFC 6298 5.4", "retransmit the oldest unacknowledged segment, SEQ={0} "
					      "({2} bytes of data), and double the RTO"},
	[R_TCP_RETRANSMIT_DATA] = {"RFC 6298 5.4, RFC 5681 3.1", "retransmit the oldest unacknowledged "
						    "segment, SEQ={0} ({2} bytes of data), double the RTO, and "
						    "take the loss as congestion: cwnd={3} (one segment), "
						    "ssthresh={4} (half of what was in flight, at least two "
						    "segments)"},
	[R_TCP_FAST_RETRANSMIT] = {"RFC 5681 3.2", "three duplicate ACKs of SEQ={0}: the segment there was "
						  "lost while later ones arrived; resend it ({2} bytes of data) "
						  "without waiting for the timer, and take the loss as "
						  "congestion: ssthresh={4} (half of what was in flight, at "
						  "least two segments), cwnd={3} (ssthresh plus the three "
						  "segments that left the network)"},
	[R_TCP_PARTIAL_ACK_RETRANSMIT] = {"RFC 6582 3.2", "in fast recovery, an ACK up to SEQ={0} only: "
							 "another segment of the same window was lost; resend "
							 "it ({2} bytes of data) at once, cwnd={3}"},
	[R_TCP_RESEND_AFTER_TIMEOUT] = {"RFC 5681 3.1", "after the timeout, what was sent before it counts as "
						       "lost and goes again as slow start opens cwnd={3}: resend "
						       "SEQ={0} ({2} bytes of data)"},
	[R_TCP_GIVE_UP] = {"RFC 9293 3.8.3", "no ACK after {0} retransmissions: connection timed out, CLOSED"},
	[R_TCP_TIME_WAIT_TIMER] = {"RFC 9293 3.10.8", "2 MSL ({t0}) passed in TIME-WAIT"},
	[R_TCP_TIME_WAIT_CLOSED] = {"RFC 9293 3.10.8", "TIME-WAIT: 2 MSL ({t0}) passed: CLOSED"},
	[R_TCP_PERSIST_TIMER] = {"RFC 9293 3.8.6.1", "the peer's window is zero and nothing is in flight: "
						    "probe (probe {1})"},
	[R_TCP_SWS_OVERRIDE_TIMER] = {"RFC 9293 3.8.6.2.1", "the usable window ({0} bytes) stayed smaller than a "
						     "segment and than half the largest window offered ({1}): "
						     "silly window avoidance waited {t2}; the override sends "
						     "what fits"},
	[R_TCP_PROBE] = {"RFC 9293 3.8.6.1", "zero-window probe: one byte beyond the window at SEQ={0}"},
	[R_TCP_DELACK_TIMER] = {"RFC 9293 3.8.6.3", "the delayed ACK waited {t0} and nothing went out to "
						   "carry it: send it alone"},
	[R_TCP_TIME_WAIT_SKIPPED] = {"stacklab variant", "time-wait off (wrong on purpose): no TIME-WAIT, "
						      "CLOSED at once"},
};

const char *why_section(uint16_t rule)
{
	return rule < R_COUNT && rules[rule].section ? rules[rule].section : "";
}

static void put_value(struct sbuf *sb, char kind, uint32_t v)
{
	char s[24];
	switch (kind) {
	case 'x':
		sbuf_printf(sb, "%04x", v);
		break;
	case 's':
		sbuf_puts(sb, v < TCP_NSTATES ? tcp_state_names[v] : "?");
		break;
	case 'i':
		ip4_format(v, s);
		sbuf_puts(sb, s);
		break;
	case 't':
		sbuf_printf(sb, "%" PRIu32 ".%03" PRIu32 " s", v / 1000, v % 1000);
		break;
	case 'p': {
		const char *name = "?";
		for (uint32_t k = 0; proto_all[k]; k++)
			if (k == v)
				name = proto_all[k]->abbrev;
		sbuf_puts(sb, name);
		break;
	}
	default:
		sbuf_printf(sb, "%" PRIu32, v);
		break;
	}
}

void why_format(const struct why *w, struct sbuf *sb)
{
	const char *t = w->rule < R_COUNT && rules[w->rule].text ? rules[w->rule].text : "?";
	while (*t) {
		if (*t != '{') {
			sbuf_putc(sb, *t++);
			continue;
		}
		char kind = 'd';
		t++;
		if (*t >= 'a' && *t <= 'z')
			kind = *t++;
		unsigned idx = 0;
		while (*t >= '0' && *t <= '9')
			idx = idx * 10 + (unsigned)(*t++ - '0');
		if (*t == '}')
			t++;
		put_value(sb, kind, idx < WHY_VALUES ? w->v[idx] : 0);
	}
	if (w->rule == R_DISC_MALFORMED) {
		struct layer l = {0};
		l.def = w->v[0] < 6 ? proto_all[w->v[0]] : &proto_eth;
		l.err = (struct decode_err){(uint8_t)w->v[1], (uint16_t)w->v[2], (uint16_t)w->v[3]};
		sbuf_puts(sb, ": ");
		decode_err_format(&l, sb);
	}
}
