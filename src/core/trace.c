#include "core/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fputs("error: out of memory\n", stderr);
		abort();
	}
	return p;
}

void trace_init(struct trace *tr, size_t max)
{
	memset(tr, 0, sizeof *tr);
	tr->max = max ? max : TRACE_DEFAULT_MAX;
	tr->next_n = 1;
	tr->keep_frames = true;
	tr->frame_budget = TRACE_FRAME_BUDGET;
}

/* Event i from the oldest. head < cap and i <= count <= cap, so one
 * subtraction wraps it (a division here cost more than the rest). */
static struct trace_event *at(const struct trace *tr, size_t i)
{
	size_t j = tr->head + i;
	return &tr->ring[j >= tr->cap ? j - tr->cap : j];
}

void trace_clear(struct trace *tr)
{
	for (size_t i = 0; i < tr->count; i++)
		free(at(tr, i)->frame);
	tr->head = tr->count = 0;
	tr->frame_bytes = 0;
	tr->filling = false;
}

void trace_free(struct trace *tr)
{
	trace_clear(tr);
	free(tr->ring);
	tr->ring = NULL;
	tr->cap = 0;
}

void trace_copy(struct trace *dst, const struct trace *src)
{
	trace_init(dst, src->max);
	dst->keep_frames = src->keep_frames;
	dst->next_n = src->next_n;
	dst->frame_bytes = src->frame_bytes;
	dst->frame_budget = src->frame_budget;
	dst->frames_from = src->frames_from;
	if (!src->count)
		return;
	dst->cap = src->count;
	dst->ring = xmalloc(dst->cap * sizeof *dst->ring);
	for (size_t i = 0; i < src->count; i++) {
		const struct trace_event *e = at(src, i);
		dst->ring[i] = *e;
		if (e->frame) {
			dst->ring[i].frame = xmalloc(e->frame_len);
			memcpy(dst->ring[i].frame, e->frame, e->frame_len);
		}
	}
	dst->count = src->count;
}

static void drop_frame(struct trace *tr, struct trace_event *e)
{
	if (!e->frame)
		return;
	tr->frame_bytes -= e->frame_len;
	free(e->frame);
	e->frame = NULL;
}

/* Over the budget, the oldest events that still have bytes give them up
 * (their summaries stay); each event is visited once, so this is cheap. */
static void keep_within_budget(struct trace *tr)
{
	uint64_t first = trace_first(tr), last = trace_last(tr);
	if (tr->frames_from < first)
		tr->frames_from = first;
	while (tr->frame_bytes > tr->frame_budget && tr->frames_from < last)
		drop_frame(tr, trace_get(tr, tr->frames_from++));
}

static void grow(struct trace *tr)
{
	size_t cap = tr->cap ? tr->cap * 2 : 256;
	if (cap > tr->max)
		cap = tr->max;
	struct trace_event *ring = xmalloc(cap * sizeof *ring);
	for (size_t i = 0; i < tr->count; i++)
		ring[i] = *at(tr, i);
	free(tr->ring);
	tr->ring = ring;
	tr->cap = cap;
	tr->head = 0;
}

/* Before the ring's first event, or when it must grow, or when the
 * oldest event may have bytes to give back (trace_begin). */
void trace_make_room(struct trace *tr)
{
	if (tr->count == tr->cap && tr->cap < tr->max)
		grow(tr);
	if (tr->count == tr->cap) {
		/* Full: the oldest event makes room. It is long out of the
		 * cache: it is read only if some event still has bytes. */
		if (tr->frame_bytes)
			drop_frame(tr, at(tr, 0));
		tr->head = tr->head + 1 == tr->cap ? 0 : tr->head + 1;
		tr->count--;
	}
}

void trace_commit_rest(struct trace *tr, struct trace_event *slot, const uint8_t *frame, size_t frame_len)
{
	if (frame && frame_len && tr->keep_frames) {	/* frame_bytes 0: no event has bytes */
		slot->frame = xmalloc(frame_len);
		memcpy(slot->frame, frame, frame_len);
		slot->frame_len = (uint16_t)frame_len;
		tr->frame_bytes += frame_len;
		keep_within_budget(tr);
	}
	if (tr->on_event)
		tr->on_event(tr->ctx, slot);
}

uint64_t trace_push(struct trace *tr, const struct trace_event *ev, const uint8_t *frame, size_t frame_len)
{
	struct trace_event *slot = trace_begin(tr);
	*slot = *ev;
	slot->frame = NULL;	/* ev's bytes, if it has any, stay ev's */
	slot->frame_len = 0;
	return trace_commit(tr, slot, frame, frame_len);
}

/* Events kept that have their number: all of them, but for the newest
 * while it is being filled (between trace_begin and trace_commit). Their
 * numbers run one after another up to next_n - 1, so the first, the last
 * and any one of them is found by counting back from next_n, without
 * reading the oldest event, long out of the cache. */
static size_t numbered(const struct trace *tr)
{
	return tr->count - tr->filling;
}

uint64_t trace_first(const struct trace *tr)
{
	size_t k = numbered(tr);
	return k ? tr->next_n - k : 0;
}

uint64_t trace_last(const struct trace *tr)
{
	return numbered(tr) ? tr->next_n - 1 : 0;
}

struct trace_event *trace_get(const struct trace *tr, uint64_t n)
{
	size_t k = numbered(tr);
	uint64_t last = tr->next_n - 1;
	if (!k || n > last || last - n >= k)
		return NULL;
	return at(tr, k - 1 - (size_t)(last - n));
}

void trace_note_receiver(struct trace *tr, uint32_t conn, uint8_t state)
{
	struct trace_event *ev = tr->cause ? trace_get(tr, tr->cause) : NULL;
	if (ev && ev->kind == TRACE_FRAME) {
		ev->rx_conn = conn;
		ev->rx_state = state;
	}
}
