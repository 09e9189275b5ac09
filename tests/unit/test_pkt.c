/* A packet as a stack of layers: pushing, stacking, copying, encoding with
 * other address defaults, the frame cache, and decoding whatever comes. */
#include "testutil.h"

#include "core/bytes.h"
#include "proto/checksum.h"

#include "view/dissect.h"

/* b talking to a: the defaults of a packet b sends. */
static const struct addr_defaults ad_ba = {
	.mac_src = {2, 0, 0, 0, 0, 0x0b}, .mac_dst = {2, 0, 0, 0, 0, 0x0a},
	.ip_src = 0x0a000002, .ip_dst = 0x0a000001,
};

static void test_pkt_init_is_empty(void **state)
{
	(void)state;
	struct pkt p;
	memset(&p, 0xa5, sizeof p);
	pkt_init(&p);
	assert_int_equal(p.n, 0);
	assert_false(p.decoded);
	assert_false(p.frame_valid);
	assert_int_equal(p.trailer, 0);
	assert_int_equal(p.payload.len, 0);
	assert_null(p.payload.base);
	assert_int_equal(pkt_frame(&p)->len, 0);
	pkt_free(&p);
	pkt_free(&p);	/* freeing twice is harmless */
}

static void test_proto_lookup_knows_every_alias(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		const struct proto_def *def;
	} cases[] = {
		{"eth", &proto_eth}, {"ether", &proto_eth}, {"Ethernet", &proto_eth}, {"ETH", &proto_eth},
		{"arp", &proto_arp}, {"ip", &proto_ipv4}, {"ipv4", &proto_ipv4}, {"IPv4", &proto_ipv4},
		{"icmp", &proto_icmp}, {"udp", &proto_udp}, {"TCP", &proto_tcp},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_ptr_equal(proto_lookup(cases[i].name), cases[i].def);
	static const char *const none[] = {"", "ipv6", "tc", "tcpx", "e", "ethernet2", "ip4", "t c p"};
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
		if (proto_lookup(none[i]))
			fail_msg("proto_lookup('%s') found something", none[i]);
}

static void test_proto_all_lists_six_protocols_with_sane_tables(void **state)
{
	(void)state;
	int n = 0;
	for (; proto_all[n]; n++) {
		const struct proto_def *d = proto_all[n];
		assert_non_null(d->name);
		assert_non_null(d->init);
		assert_non_null(d->encode);
		assert_non_null(d->decode);
		assert_non_null(d->summary);
		assert_true(d->nfields > 0 && d->nfields <= 32);
		assert_true(d->csum_field < d->nfields);
		if (d->csum_field >= 0)
			assert_string_equal(d->fields[d->csum_field].name, "csum");
		uint32_t addr = 0;
		for (int f = 0; f < d->nfields; f++) {
			assert_true(d->fields[f].offset + d->fields[f].size <= sizeof(((struct layer *)0)->h));
			if (d->fields[f].type == FT_MAC || d->fields[f].type == FT_IP4)
				addr |= 1u << f;
		}
		/* Encoding refills exactly these from the address defaults. */
		assert_int_equal(d->addr_fields, addr);
	}
	assert_int_equal(n, 6);
}

static void test_pkt_push_fills_defaults_and_makes_the_frame_stale(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth");
	pkt_frame(&p);
	assert_true(p.frame_valid);
	struct err e;
	struct layer *l = pkt_push(&p, &proto_ipv4, &e);
	assert_non_null(l);
	assert_ptr_equal(l, &p.layer[1]);
	assert_false(p.frame_valid);
	assert_int_equal(l->h.ip.ttl, 64);
	assert_int_equal(l->h.ip.src, 0x0a000001);
	assert_int_equal(l->given, 0);
	pkt_free(&p);
}

static void test_pkt_push_stops_at_max_layers(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	struct err e;
	for (int i = 0; i < PKT_MAX_LAYERS; i++)
		assert_non_null(pkt_push(&p, &proto_ipv4, &e));
	assert_null(pkt_push(&p, &proto_tcp, &e));
	assert_string_equal(e.msg, "a packet holds at most 6 layers");
	assert_int_equal(p.n, PKT_MAX_LAYERS);
	assert_null(pkt_push(&p, &proto_tcp, NULL));	/* without a place for the error */
	/* Still encodes: 6 IPv4 headers, each counting the ones above. */
	const struct buf *f = pkt_frame(&p);
	assert_int_equal(f->len, 120);
	assert_int_equal(p.layer[0].h.ip.len, 120);
	assert_int_equal(p.layer[5].h.ip.len, 20);
	pkt_free(&p);
}

static void test_pkt_push_above_the_payload_is_refused(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "ip");
	pkt_set_payload(&p, "data", 4, NULL);
	struct err e;
	assert_null(pkt_push(&p, &proto_tcp, &e));
	assert_string_equal(e.msg, "cannot put a TCP layer above the payload: layers go first, then the payload");
	assert_int_equal(p.n, 1);
	pkt_free(&p);
}

static void test_pkt_stack_appends_layers_and_payload(void **state)
{
	(void)state;
	struct pkt a, b;
	pkt_init(&a);
	pkt_init(&b);
	build(&a, "eth ip");
	build(&b, "tcp");
	set(&b, 0, "dport", "443");
	pkt_set_payload(&b, "GET", 3, NULL);
	pkt_frame(&a);
	struct err e;
	assert_int_equal(pkt_stack(&a, &b, &e), 0);
	assert_false(a.frame_valid);
	assert_int_equal(a.n, 3);
	assert_ptr_equal(a.layer[2].def, &proto_tcp);
	assert_int_equal(a.layer[2].h.tcp.dport, 443);
	assert_true(layer_given(&a.layer[2], TCP_F_DPORT));
	assert_int_equal(a.payload.len, 3);
	assert_int_equal(pkt_find(&a, &proto_tcp), 2);
	/* b is untouched. */
	assert_int_equal(b.n, 1);
	assert_int_equal(b.payload.len, 3);
	pkt_free(&a);
	pkt_free(&b);
}

static void test_pkt_stack_payload_on_payload_concatenates(void **state)
{
	(void)state;
	struct pkt a, b;
	pkt_init(&a);
	pkt_init(&b);
	build(&a, "udp");
	pkt_set_payload(&a, "he", 2, NULL);
	pkt_set_payload(&b, "llo", 3, NULL);
	struct err e;
	assert_int_equal(pkt_stack(&a, &b, &e), 0);
	assert_int_equal(a.payload.len, 5);
	assert_memory_equal(buf_data(&a.payload), "hello", 5);
	pkt_add_payload(&a, "!", 1, NULL);
	assert_memory_equal(buf_data(&a.payload), "hello!", 6);
	pkt_set_payload(&a, "x", 1, NULL);
	assert_int_equal(a.payload.len, 1);
	pkt_free(&a);
	pkt_free(&b);
}

static void test_pkt_stack_refuses_layers_above_payload_and_more_than_max(void **state)
{
	(void)state;
	struct pkt a, b;
	pkt_init(&a);
	pkt_init(&b);
	build(&a, "eth ip");
	pkt_set_payload(&a, "x", 1, NULL);
	build(&b, "udp");
	struct err e;
	assert_int_equal(pkt_stack(&a, &b, &e), -1);
	assert_string_equal(e.msg, "cannot put a UDP layer above the payload: layers go first, then the payload");
	pkt_set_payload(&a, NULL, 0, NULL);
	build(&b, "ip ip ip ip");
	assert_int_equal(pkt_stack(&a, &b, &e), -1);
	assert_string_equal(e.msg, "a packet holds at most 6 layers (this would make 7)");
	assert_int_equal(a.n, 2);
	pkt_free(&a);
	pkt_free(&b);
}

static void test_pkt_find_gives_the_first_layer_of_a_protocol(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip icmp ip udp");
	assert_int_equal(pkt_find(&p, &proto_eth), 0);
	assert_int_equal(pkt_find(&p, &proto_ipv4), 1);
	assert_int_equal(pkt_find(&p, &proto_udp), 4);
	assert_int_equal(pkt_find(&p, &proto_tcp), -1);
	pkt_free(&p);
}

static void test_pkt_copy_is_deep(void **state)
{
	(void)state;
	struct pkt a, b;
	pkt_init(&a);
	pkt_init(&b);
	build(&a, "eth ip udp");
	pkt_set_payload(&a, "original", 8, NULL);
	const struct buf *fa = pkt_frame(&a);
	uint8_t before[64];
	size_t n = fa->len;
	memcpy(before, buf_data(fa), n);
	pkt_copy(&b, &a);
	assert_true(b.frame_valid);
	assert_int_equal(b.frame.len, n);
	assert_memory_equal(buf_data(&b.frame), before, n);
	assert_ptr_not_equal(b.payload.base, a.payload.base);
	assert_ptr_not_equal(b.frame.base, a.frame.base);
	/* Change everything in the copy. */
	set(&b, 1, "ttl", "1");
	set(&b, 2, "dport", "9");
	buf_data(&b.payload)[0] = 'X';
	pkt_add_payload(&b, " and more", 9, NULL);
	pkt_frame(&b);
	/* The original is as it was. */
	assert_int_equal(a.layer[1].h.ip.ttl, 64);
	assert_int_equal(a.layer[2].h.udp.dport, 7);
	assert_false(layer_given(&a.layer[1], IP_F_TTL));
	assert_int_equal(a.payload.len, 8);
	assert_memory_equal(buf_data(&a.payload), "original", 8);
	assert_true(a.frame_valid);
	assert_int_equal(a.frame.len, n);
	assert_memory_equal(buf_data(&a.frame), before, n);
	pkt_free(&a);
	pkt_free(&b);
}

static void test_pkt_copy_replaces_everything_in_the_destination(void **state)
{
	(void)state;
	struct pkt a, b;
	pkt_init(&a);
	pkt_init(&b);
	build(&a, "tcp");
	build(&b, "eth ip udp icmp");
	pkt_set_payload(&b, "old payload", 11, NULL);
	pkt_frame(&b);
	pkt_copy(&b, &a);	/* a's frame is stale: so is b's */
	assert_int_equal(b.n, 1);
	assert_ptr_equal(b.layer[0].def, &proto_tcp);
	assert_int_equal(b.payload.len, 0);
	assert_false(b.frame_valid);
	assert_int_equal(b.frame.len, 0);
	assert_frame(&b, "c000 0050 00000000 00000000 5002 ffff efac 0000");
	pkt_copy(&b, &b);	/* onto itself: nothing happens */
	assert_int_equal(b.n, 1);
	assert_true(b.frame_valid);
	pkt_free(&a);
	pkt_free(&b);
}

static void test_pkt_copy_of_a_decoded_packet_keeps_the_decoding(void **state)
{
	(void)state;
	struct pkt a, b;
	pkt_init(&a);
	pkt_init(&b);
	/* An ARP request padded to 60 bytes. */
	decode_hex(&a, "ffffffffffff 02000000000a 0806 0001 0800 0604 0001 02000000000a 0a000001"
		       "000000000000 0a000002 000000000000000000000000000000000000");
	pkt_copy(&b, &a);
	assert_true(b.decoded);
	assert_true(b.frame_valid);
	assert_int_equal(b.trailer, 18);
	assert_int_equal(b.frame.len, 60);
	assert_memory_equal(buf_data(&b.frame), buf_data(&a.frame), 60);
	pkt_free(&a);
	pkt_free(&b);
}

/* b's defaults fill only the addresses nobody gave. */
static void test_pkt_encode_with_other_defaults_refills_only_address_fields_not_given(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip udp");
	set(&p, 1, "dst", "10.0.0.9");
	set(&p, 1, "ttl", "7");
	struct buf out = BUF_INIT;
	pkt_encode(&p, &ad_ba, &out);
	const uint8_t *d = buf_data(&out);
	assert_bytes(d, 14, "02000000000a 02000000000b 0800");
	assert_bytes(d + 26, 8, "0a000002 0a000009");
	assert_int_equal(d[22], 7);
	/* The other defaults never touch what is not an address. */
	assert_int_equal(p.layer[2].h.udp.sport, 49152);
	/* And a to b again. */
	pkt_encode(&p, NULL, &out);
	assert_bytes(buf_data(&out), 14, "02000000000b 02000000000a 0800");
	assert_bytes(buf_data(&out) + 26, 8, "0a000001 0a000009");
	buf_free(&out);
	pkt_free(&p);
}

static void test_pkt_encode_with_other_defaults_keeps_given_macs(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth arp");
	set(&p, 0, "src", "02:00:00:00:00:77");
	set(&p, 1, "sha", "02:00:00:00:00:77");
	struct buf out = BUF_INIT;
	pkt_encode(&p, &ad_ba, &out);
	assert_bytes(buf_data(&out), out.len,
		     "ffffffffffff 020000000077 0806 0001 0800 0604 0001 020000000077 0a000002"
		     "000000000000 0a000001");
	buf_free(&out);
	pkt_free(&p);
}

/* The fields of p and the frame pkt_frame gives must describe the same
 * packet, whatever was encoded in between. */
static void assert_fields_match_frame(struct pkt *p)
{
	struct pkt q;
	pkt_init(&q);
	const struct buf *f = pkt_frame(p);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.n, p->n);
	for (int i = 0; i < p->n; i++)
		assert_same_fields(p, i, &q, i);
	pkt_free(&q);
}

static void test_pkt_encode_elsewhere_keeps_fields_and_frame_in_step(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip tcp");
	pkt_frame(&p);	/* a valid a-to-b frame */
	struct buf out = BUF_INIT;
	pkt_encode(&p, &ad_ba, &out);
	assert_fields_match_frame(&p);
	assert_int_equal(p.layer[2].csum_status, CSUM_GOOD);
	buf_free(&out);
	pkt_free(&p);
}

static void test_pkt_frame_is_cached_until_touched(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip");
	const struct buf *f1 = pkt_frame(&p);
	assert_true(p.frame_valid);
	assert_false(p.decoded);
	const struct buf *f2 = pkt_frame(&p);
	assert_ptr_equal(f1, f2);
	/* Changed behind the setters' back: the cache does not know. */
	p.layer[1].h.ip.ttl = 9;
	assert_int_equal(buf_data(pkt_frame(&p))[22], 64);
	pkt_touch(&p);
	assert_false(p.frame_valid);
	assert_int_equal(buf_data(pkt_frame(&p))[22], 9);
	pkt_free(&p);
}

static void test_pkt_every_setter_makes_the_frame_stale(void **state)
{
	(void)state;
	struct pkt p, top;
	pkt_init(&p);
	pkt_init(&top);
	build(&p, "eth ip");
	build(&top, "udp");
	struct err e;
	size_t before = pkt_frame(&p)->len;

	assert_int_equal(field_set_text(&p, 1, IP_F_TTL, "3", NULL, &e), 0);
	assert_false(p.frame_valid);
	assert_int_equal(buf_data(pkt_frame(&p))[22], 3);

	field_unset(&p, 1, IP_F_TTL);
	assert_false(p.frame_valid);
	assert_int_equal(buf_data(pkt_frame(&p))[22], 64);

	assert_int_equal(field_set_uint(&p, 1, IP_F_ID, 0x1234, &e), 0);
	assert_false(p.frame_valid);
	assert_int_equal(buf_data(pkt_frame(&p))[18], 0x12);

	assert_int_equal(pkt_stack(&p, &top, &e), 0);
	assert_false(p.frame_valid);
	assert_int_equal(pkt_frame(&p)->len, before + 8);

	pkt_add_payload(&p, "ab", 2, NULL);
	assert_false(p.frame_valid);
	assert_int_equal(pkt_frame(&p)->len, before + 10);

	pkt_set_payload(&p, "a", 1, NULL);
	assert_false(p.frame_valid);
	assert_int_equal(pkt_frame(&p)->len, before + 9);

	uint8_t o[4] = {1, 1, 1, 1};
	assert_int_equal(field_set_bytes(&p, 1, IP_F_OPTS, o, 4, &e), 0);
	assert_false(p.frame_valid);
	assert_int_equal(pkt_frame(&p)->len, before + 13);
	pkt_free(&p);
	pkt_free(&top);
}

static void test_pkt_decode_of_a_zero_length_frame(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	uint8_t nothing[1] = {0};
	pkt_decode(&p, nothing, 0);
	assert_int_equal(p.n, 1);
	assert_derr(&p.layer[0], DERR_TRUNCATED, 0, 14);
	assert_int_equal(p.layer[0].given, 0);
	assert_int_equal(p.frame.len, 0);
	assert_int_equal(p.payload.len, 0);
	assert_true(p.decoded);
	struct sbuf sb = SBUF_INIT;
	assert_string_equal(pkt_first_error(&p, &sb), "Ethernet: truncated header: 0 of 14 bytes");
	sbuf_free(&sb);
	pkt_decode(&p, NULL, 0);	/* no buffer at all */
	assert_int_equal(p.n, 1);
	assert_layers_within_frame(&p);
	pkt_free(&p);
}

static void test_pkt_decode_replaces_what_was_there(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip tcp");
	pkt_set_payload(&p, "a long payload that goes away", 29, NULL);
	decode_hex(&p, "010203040506 0a0b0c0d0e0f 88b5 ff");
	assert_int_equal(p.n, 1);
	assert_int_equal(p.payload.len, 1);
	assert_int_equal(p.trailer, 0);
	decode_hex(&p, "ffffffffffff 02000000000a 0806 0001 0800 0604 0001 02000000000a 0a000001"
		       "000000000000 0a000002 0000");
	assert_int_equal(p.n, 2);
	assert_int_equal(p.trailer, 2);
	assert_int_equal(p.payload.len, 0);
	decode_hex(&p, "010203040506 0a0b0c0d0e0f 88b5");
	assert_int_equal(p.trailer, 0);
	assert_int_equal(p.n, 1);
	pkt_free(&p);
}

static void test_pkt_first_error_is_null_for_a_clean_frame(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, "02000000000b 02000000000a 0800 4500 001c 0001 0000 4001 66de 0a000001 0a000002"
		       "0800 f7fd 0001 0001");
	struct sbuf sb = SBUF_INIT;
	assert_null(pkt_first_error(&p, &sb));
	decode_hex(&p, "02000000000b 02000000000a 0800 450000");
	assert_string_equal(pkt_first_error(&p, &sb), "IPv4: truncated header: 3 of 20 bytes");
	sbuf_free(&sb);
	pkt_free(&p);
}

static void test_decode_err_format_says_what_and_what_is_right(void **state)
{
	(void)state;
	static const struct {
		const struct proto_def *def;
		struct decode_err err;
		const char *text;
	} cases[] = {
		{&proto_eth, {DERR_TRUNCATED, 3, 14}, "Ethernet: truncated header: 3 of 14 bytes"},
		{&proto_ipv4, {DERR_BAD_VERSION, 6, 0}, "IPv4: bad version 6 (expected 4)"},
		{&proto_ipv4, {DERR_BAD_IHL, 3, 0}, "IPv4: bad header length: IHL 3 (12 bytes; must be 5 to 15)"},
		{&proto_tcp, {DERR_BAD_OFFSET, 4, 20}, "TCP: bad data offset 4 (16 bytes; must be 5 to 15 and fit in the segment)"},
		{&proto_ipv4, {DERR_LEN_BEYOND, 100, 31}, "IPv4: length 100 goes beyond the 31 bytes in the frame"},
		{&proto_udp, {DERR_LEN_SHORT, 7, 8}, "UDP: length 7 is shorter than the 8-byte header"},
		{&proto_tcp, {DERR_BAD_OPTION, 22, 0}, "TCP: malformed option at byte 22 of the header"},
		{&proto_arp, {DERR_ARP_FORMAT, 8, 4}, "ARP: address lengths 8 and 4 (only Ethernet/IPv4, 6 and 4, are understood)"},
		{&proto_udp, {DERR_NONE, 0, 0}, ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct layer l;
		memset(&l, 0, sizeof l);
		l.def = cases[i].def;
		l.err = cases[i].err;
		struct sbuf sb = SBUF_INIT;
		decode_err_format(&l, &sb);
		assert_string_equal(sbuf_str(&sb), cases[i].text);
		sbuf_free(&sb);
	}
}

static void test_pkt_bytes_above_counts_headers_and_payload(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip tcp");
	set(&p, 2, "mss", "1460");
	pkt_set_payload(&p, "12345", 5, NULL);
	pkt_frame(&p);
	assert_int_equal(pkt_bytes_above(&p, 2), 5);
	assert_int_equal(pkt_bytes_above(&p, 1), 29);
	assert_int_equal(pkt_bytes_above(&p, 0), 49);
	assert_int_equal(p.layer[0].off, 0);
	assert_int_equal(p.layer[1].off, 14);
	assert_int_equal(p.layer[2].off, 34);
	pkt_free(&p);
}

/* Thousands of frames of noise, some shaped like headers so that the
 * decoders go deep: decoding never fails, every layer stays inside the
 * frame, and the views and a re-encoding cope with whatever came out. */
/* pkt_decode_in_place reads what pkt_decode reads, byte for byte, and
 * its payload and frame are where the accessors say; a copy of it owns
 * them. */
static void assert_in_place_decode_is_the_same(const struct pkt *p, const uint8_t *frame, size_t len)
{
	struct pkt q, r;
	pkt_init(&q);
	pkt_init(&r);
	pkt_decode_in_place(&q, frame, len);
	assert_int_equal(q.n, p->n);
	assert_int_equal(q.trailer, p->trailer);
	assert_memory_equal(q.layer, p->layer, (size_t)p->n * sizeof p->layer[0]);
	assert_int_equal(pkt_payload_len(&q), p->payload.len);
	if (p->payload.len)
		assert_memory_equal(pkt_payload_data(&q), buf_data(&p->payload), p->payload.len);
	size_t flen;
	const uint8_t *f = pkt_frame_data(&q, &flen);
	assert_int_equal(flen, len);
	assert_ptr_equal(f, len ? frame : f);
	assert_int_equal(q.frame.len, 0);	/* nothing copied */
	assert_int_equal(q.payload.len, 0);
	pkt_copy(&r, &q);
	assert_null(r.in_place);
	assert_int_equal(r.payload.len, p->payload.len);
	if (p->payload.len)
		assert_memory_equal(buf_data(&r.payload), buf_data(&p->payload), p->payload.len);
	assert_true(r.frame_valid);
	assert_int_equal(r.frame.len, len);
	pkt_done_in_place(&q);
	assert_null(q.in_place);
	assert_int_equal(q.n, 0);
	pkt_free(&q);
	pkt_free(&r);
}

/* TCP segments as the stacks send them, with options, data and Ethernet
 * padding, and now and then a byte changed: the host reads them with
 * its straight-through decode (pkt_decode_in_place), which must come to
 * exactly what the general decoder does, in every layer, whether the
 * frame is well formed or not. */
static size_t random_tcp_frame(uint32_t *seed, uint8_t *f)
{
	static const uint8_t opts[][12] = {
		{0}, {2, 4, 5, 0xb4}, {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2}, {3, 3, 7, 1}, {4, 2, 1, 1},
		{2, 4, 5, 0xb4, 4, 2, 1, 0}, {2, 3, 5, 0}, {9, 9, 9, 9}, {0, 0, 0, 0},
	};
	static const uint8_t optlen[] = {0, 4, 12, 4, 4, 8, 4, 4, 4};
	size_t k = lcg_next(seed) % sizeof optlen, hlen = 20 + optlen[k];
	size_t dlen = lcg_next(seed) % 3 == 0 ? 0 : lcg_next(seed) % 90, pad = lcg_next(seed) % 4 == 0 ? lcg_next(seed) % 12 : 0;
	uint8_t *ip = f + 14, *t = ip + 20;
	for (size_t i = 0; i < 14 + 20 + hlen + dlen + pad; i++)
		f[i] = (uint8_t)lcg_next(seed);
	f[12] = 0x08, f[13] = 0x00;
	ip[0] = 0x45;
	size_t tot = 20 + hlen + dlen;
	ip[2] = (uint8_t)(tot >> 8), ip[3] = (uint8_t)tot;
	ip[6] = lcg_next(seed) % 4 ? 0x40 : 0, ip[7] = 0;
	ip[9] = 6;
	ip[10] = ip[11] = 0;
	uint16_t c = csum(ip, 20);
	ip[10] = (uint8_t)(c >> 8), ip[11] = (uint8_t)c;
	t[12] = (uint8_t)(hlen / 4 << 4);
	memcpy(t + 20, opts[k], optlen[k]);
	t[16] = t[17] = 0;
	uint32_t src = get32(ip + 12), dst = get32(ip + 16);
	c = csum_fold(csum_add(csum_pseudo(src, dst, 6, (uint16_t)(hlen + dlen)), t, hlen + dlen));
	t[16] = (uint8_t)(c >> 8), t[17] = (uint8_t)c;
	size_t len = 14 + tot + pad;
	for (uint32_t n = lcg_next(seed) % 8; n < 3; n++)	/* mostly none */
		f[lcg_next(seed) % len] = (uint8_t)lcg_next(seed);
	if (lcg_next(seed) % 16 == 0)
		len = lcg_next(seed) % len;	/* cut short */
	return len;
}

static void test_straight_through_decode_of_tcp_frames_is_the_general_one(void **state)
{
	(void)state;
	uint32_t seed = 9293;
	uint8_t frame[256];
	struct pkt p;
	pkt_init(&p);
	int plain = 0;
	for (int iter = 0; iter < 20000; iter++) {
		size_t len = random_tcp_frame(&seed, frame);
		pkt_decode(&p, frame, len);
		assert_in_place_decode_is_the_same(&p, frame, len);
		bool clean = p.n == 3 && p.layer[2].def == &proto_tcp;
		for (int i = 0; i < p.n; i++)
			clean = clean && !p.layer[i].err.code && p.layer[i].csum_status != CSUM_BAD;
		plain += clean;
	}
	assert_true(plain > 8000);	/* nearly half are clean: the straight path is well used */
	pkt_free(&p);
}

static void test_pkt_decode_of_random_frames_stays_within_them(void **state)
{
	(void)state;
	uint32_t seed = 20240611;
	uint8_t frame[160];
	static const uint8_t protos[] = {1, 6, 17, 4, 253};
	struct pkt p;
	pkt_init(&p);
	for (int iter = 0; iter < 4000; iter++) {
		size_t len = lcg_next(&seed) % sizeof frame;
		for (size_t i = 0; i < len; i++)
			frame[i] = (uint8_t)lcg_next(&seed);
		uint32_t shape = lcg_next(&seed);
		if (len > 14 && shape % 4 != 0) {
			frame[12] = 0x08;
			frame[13] = shape & 16 ? 0x00 : 0x06;
			if (frame[13] == 0x00 && len > 34 && shape % 3 != 0) {
				frame[14] = (uint8_t)(0x40 | (5 + (shape >> 8) % 11));
				frame[14 + 9] = protos[(shape >> 12) % sizeof protos];
				if (shape & 32)
					frame[14 + 6] = frame[14 + 7] = 0;	/* not a fragment */
				if (shape & 64) {
					size_t tot = len - 14 - (shape >> 16) % 8;
					frame[16] = (uint8_t)(tot >> 8);
					frame[17] = (uint8_t)tot;
				}
			} else if (frame[13] == 0x06 && len > 19) {
				frame[18] = 6;
				frame[19] = 4;
			}
		}
		pkt_decode(&p, frame, len);
		assert_true(p.n >= 1 && p.n <= PKT_MAX_LAYERS);
		assert_true(p.decoded);
		assert_layers_within_frame(&p);
		assert_in_place_decode_is_the_same(&p, frame, len);
		struct sbuf sb = SBUF_INIT;
		struct view_opts o = {iter & 1, (iter & 2) != 0};
		view_tree(&p, &o, &sb);
		view_summary(&p, &sb);
		view_hexdump(&p, &o, &sb);
		view_osi(&p, &o, &sb);
		pkt_first_error(&p, &sb);
		sbuf_free(&sb);
		if (iter % 8 == 0) {
			pkt_touch(&p);
			pkt_frame(&p);
		}
	}
	pkt_free(&p);
}

/* A frame longer than an IPv4 datagram can be: decoding must not read or
 * write out of bounds even where 16-bit offsets cannot say where things are. */
static void test_pkt_decode_of_a_frame_longer_than_65535_bytes_does_not_crash(void **state)
{
	(void)state;
	size_t len = 70000;
	uint8_t *big = calloc(1, len);
	assert_non_null(big);
	uint8_t head[42];
	unhex("ffffffffffff 02000000000a 0806 0001 0800 0604 0001 02000000000a 0a000001"
	      "000000000000 0a000002", head, sizeof head);
	memcpy(big, head, sizeof head);
	struct pkt p;
	pkt_init(&p);
	pkt_decode(&p, big, len);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.frame.len, len);
	for (int i = 0; i < p.n; i++)
		assert_true((size_t)p.layer[i].off + p.layer[i].len <= len);
	struct sbuf sb = SBUF_INIT;
	view_tree(&p, NULL, &sb);
	view_hexdump(&p, NULL, &sb);
	view_osi(&p, NULL, &sb);
	sbuf_free(&sb);
	pkt_free(&p);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkt_init_is_empty),
		cmocka_unit_test(test_proto_lookup_knows_every_alias),
		cmocka_unit_test(test_proto_all_lists_six_protocols_with_sane_tables),
		cmocka_unit_test(test_pkt_push_fills_defaults_and_makes_the_frame_stale),
		cmocka_unit_test(test_pkt_push_stops_at_max_layers),
		cmocka_unit_test(test_pkt_push_above_the_payload_is_refused),
		cmocka_unit_test(test_pkt_stack_appends_layers_and_payload),
		cmocka_unit_test(test_pkt_stack_payload_on_payload_concatenates),
		cmocka_unit_test(test_pkt_stack_refuses_layers_above_payload_and_more_than_max),
		cmocka_unit_test(test_pkt_find_gives_the_first_layer_of_a_protocol),
		cmocka_unit_test(test_pkt_copy_is_deep),
		cmocka_unit_test(test_pkt_copy_replaces_everything_in_the_destination),
		cmocka_unit_test(test_pkt_copy_of_a_decoded_packet_keeps_the_decoding),
		cmocka_unit_test(test_pkt_encode_with_other_defaults_refills_only_address_fields_not_given),
		cmocka_unit_test(test_pkt_encode_with_other_defaults_keeps_given_macs),
		cmocka_unit_test(test_pkt_encode_elsewhere_keeps_fields_and_frame_in_step),
		cmocka_unit_test(test_pkt_frame_is_cached_until_touched),
		cmocka_unit_test(test_pkt_every_setter_makes_the_frame_stale),
		cmocka_unit_test(test_pkt_decode_of_a_zero_length_frame),
		cmocka_unit_test(test_pkt_decode_replaces_what_was_there),
		cmocka_unit_test(test_pkt_first_error_is_null_for_a_clean_frame),
		cmocka_unit_test(test_decode_err_format_says_what_and_what_is_right),
		cmocka_unit_test(test_pkt_bytes_above_counts_headers_and_payload),
		cmocka_unit_test(test_pkt_decode_of_random_frames_stays_within_them),
		cmocka_unit_test(test_straight_through_decode_of_tcp_frames_is_the_general_one),
		cmocka_unit_test(test_pkt_decode_of_a_frame_longer_than_65535_bytes_does_not_crash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
