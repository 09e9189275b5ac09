/* The record of what happened: every frame put on the wire, every state
 * change, every timer that fired, every frame a host discarded; each with
 * why (a rule, its RFC section, and the values it used). trace, ladder,
 * why, the Lua trace() and the lessons all read this one record.
 *
 * The events live in a ring that keeps the last `max` of them; numbers are
 * never reused. */
#ifndef STACKLAB_CORE_TRACE_H
#define STACKLAB_CORE_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/evq.h"
#include "core/mem.h"

enum trace_kind { TRACE_FRAME, TRACE_STATE, TRACE_TIMER, TRACE_DISCARD };

enum trace_proto { TP_OTHER, TP_ARP, TP_ICMP, TP_UDP, TP_TCP };

enum drop_cause { DROP_NONE, DROP_RULE, DROP_LOSS, DROP_BY_NUMBER, DROP_WIRE_FULL };

/* Why an event happened: a rule of the stack's rule table (stack/why.c)
 * and up to six values it used, formatted only when someone looks. */
#define WHY_VALUES 6
struct why {
	uint16_t rule;
	uint32_t v[WHY_VALUES];
};

struct trace_event {
	uint64_t n;		/* 1, 2, 3 ... */
	vtime t;
	uint8_t kind;		/* enum trace_kind */
	uint8_t host;		/* where it happened; frames: the sender */
	uint8_t to;		/* frames: the receiver */
	uint8_t proto;		/* frames: enum trace_proto */
	uint8_t flags;		/* frames: TCP flags */
	uint8_t timer;		/* timers: which (stack's enum timer_name) */
	uint8_t old_state, new_state;	/* state changes */
	bool dropped;		/* frames: the link dropped it */
	bool retrans;		/* frames: a TCP retransmission */
	bool dup;		/* frames: a copy made by a dup rule */
	bool arp_wait;		/* frames: held until ARP learned the next hop's MAC address */
	uint8_t drop_cause;	/* frames: enum drop_cause, when dropped */
	vtime delayed;		/* frames: extra time a delay rule held it */
	uint32_t conn;		/* socket number on `host`; 0 for none */
	uint32_t seq, ack, len;	/* frames: TCP sequence, acknowledgement, payload length */
	uint16_t sport, dport;	/* frames: TCP or UDP ports */
	uint64_t cause;		/* the frame whose arrival, or the timer whose firing, led
				 * to this event; 0 for the user's own commands */
	vtime arrived;		/* frames: when it arrived; -1 if it did not (yet) */
	uint32_t rx_conn;	/* frames: the receiver's socket that took it (0: none) ... */
	uint8_t rx_state;	/* ... and its state afterwards */
	struct why why;
	uint8_t *frame;		/* frames: the bytes, owned by the trace (NULL if not kept) */
	uint16_t frame_len;
	/* frames: which fields of the first three layers the sender set,
	 * and which the encoder computed (for show N's marks) */
	uint32_t given[3], computed[3];
};

struct trace {
	struct trace_event *ring;
	size_t cap, max;	/* allocated, and most kept */
	size_t head, count;	/* oldest, and how many are kept */
	uint64_t next_n;
	bool keep_frames;	/* copy frame bytes (for show N and capture) */
	size_t frame_bytes;	/* bytes of frames kept ... */
	size_t frame_budget;	/* ... at most: older events lose theirs first */
	uint64_t frames_from;	/* no event before this one still has its bytes */
	uint64_t cause;		/* what new events are caused by (see trace_event.cause) */
	bool filling;		/* the newest event is between trace_begin and trace_commit */
	/* Called for each new event, as it happens (the REPL prints it). */
	void (*on_event)(void *ctx, const struct trace_event *ev);
	void *ctx;
};

/* A long session (a bulk transfer run for minutes) keeps the last quarter
 * million events (about 40 MB) and the bytes of the most recent frames
 * within 32 MB; a class never comes near either. */
#define TRACE_DEFAULT_MAX 250000
#define TRACE_FRAME_BUDGET (32u << 20)

void trace_init(struct trace *tr, size_t max);
void trace_free(struct trace *tr);
/* Deep copy (for cloning a world); the hook is not copied. */
void trace_copy(struct trace *dst, const struct trace *src);
/* Appends a copy of ev (its frame bytes copied too) and gives it the next
 * number, which it returns. */
uint64_t trace_push(struct trace *tr, const struct trace_event *ev, const uint8_t *frame, size_t frame_len);
/* trace_push in two halves, for the events of every segment: trace_begin
 * makes room and returns a cleared event in the ring, the caller fills it
 * in place, and trace_commit numbers it (as trace_push would) before
 * anything else touches the trace. Filling in place saves copying an event
 * just written field by field, which stalls the processor (a wide read of
 * narrow writes not yet in the cache). */
static inline struct trace_event *trace_begin(struct trace *tr);
static inline uint64_t trace_commit(struct trace *tr, struct trace_event *ev, const uint8_t *frame,
				    size_t frame_len);
/* The frame being delivered (tr->cause) was taken by socket conn, which
 * is now in state: the ladder shows it on the receiver's side. */
void trace_note_receiver(struct trace *tr, uint32_t conn, uint8_t state);
/* Event number n, or NULL when it was never recorded or is no longer kept. */
struct trace_event *trace_get(const struct trace *tr, uint64_t n);
/* The oldest event kept and the newest, as numbers (0 when empty). An
 * event being filled (trace_begin, not yet committed) has no number yet
 * and is not counted by these three. */
uint64_t trace_first(const struct trace *tr);
uint64_t trace_last(const struct trace *tr);
void trace_clear(struct trace *tr);

/* The two halves run for every event, so their usual path is inline;
 * what is rare (a ring to grow or an event with bytes to drop, bytes to
 * keep, a hook to call) is not. */
void trace_make_room(struct trace *tr);
void trace_commit_rest(struct trace *tr, struct trace_event *slot, const uint8_t *frame, size_t frame_len);

static inline struct trace_event *trace_begin(struct trace *tr)
{
	if (tr->count == tr->cap) {
		if (tr->cap < tr->max || tr->frame_bytes) {
			trace_make_room(tr);
		} else {
			/* Full: the oldest event, which has no bytes, makes room. */
			tr->head = tr->head + 1 == tr->cap ? 0 : tr->head + 1;
			tr->count--;
		}
	}
	size_t j = tr->head + tr->count++;
	struct trace_event *slot = &tr->ring[j >= tr->cap ? j - tr->cap : j];
	mem_clear(slot, sizeof *slot);
	tr->filling = true;
	return slot;
}

static inline uint64_t trace_commit(struct trace *tr, struct trace_event *slot, const uint8_t *frame,
				    size_t frame_len)
{
	slot->n = tr->next_n++;
	tr->filling = false;
	slot->cause = tr->cause;
	if (slot->kind == TRACE_TIMER)
		tr->cause = slot->n;	/* what the timer does next is its doing */
	if ((frame && frame_len && tr->keep_frames) || tr->on_event)
		trace_commit_rest(tr, slot, frame, frame_len);
	return slot->n;
}

#endif
