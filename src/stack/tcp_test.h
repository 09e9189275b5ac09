/* Support for tests and fuzzers, in the manner of lwIP's tcp_set_state
 * and tcp_create_rx_segment: a connection put straight into any state, and
 * segments built relative to nothing, delivered at once. */
#ifndef STACKLAB_STACK_TCP_TEST_H
#define STACKLAB_STACK_TCP_TEST_H

#include "stack/tcp.h"

/* A connection of h (lport -> rip:rport) in `state`, with ISS and IRS
 * given, as if the handshake (and, for the closing states, the FINs) had
 * happened; timers armed as that state needs. */
struct tcb *tcp_test_conn(struct host *h, uint32_t rip, uint16_t lport, uint16_t rport, uint8_t state,
			  uint32_t iss, uint32_t irs);
/* A TCP segment from `from` to `to`, every number given (mss 0: no MSS
 * option), handed to `to` at once without the link. */
void tcp_test_segment(struct host *from, struct host *to, uint16_t sport, uint16_t dport, uint32_t seq,
		      uint32_t ack, uint8_t flags, const uint8_t *data, size_t len, uint16_t win, uint16_t mss);

#endif
