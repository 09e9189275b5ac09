/* Field descriptors: lookups, setters with their error messages, unset,
 * formatting, and number parsing. */
#include "testutil.h"

static struct pkt *new_pkt(const char *layers)
{
	struct pkt *p = malloc(sizeof *p);
	assert_non_null(p);
	pkt_init(p);
	build(p, layers);
	return p;
}

static void free_pkt(struct pkt *p)
{
	pkt_free(p);
	free(p);
}

/* Sets from text and expects failure with every one of the words. */
static void expect_text_error(struct pkt *p, int li, const char *name, const char *value,
			      const char *w1, const char *w2, const char *w3)
{
	struct err e;
	memset(&e, 0, sizeof e);
	int fi = fidx(p, li, name);
	if (field_set_text(p, li, fi, value, NULL, &e) != -1)
		fail_msg("%s=%s was accepted", name, value);
	assert_contains(e.msg, w1);
	if (w2)
		assert_contains(e.msg, w2);
	if (w3)
		assert_contains(e.msg, w3);
}

static void test_field_lookup_finds_every_field_of_every_protocol(void **state)
{
	(void)state;
	for (int i = 0; proto_all[i]; i++) {
		const struct proto_def *d = proto_all[i];
		for (int f = 0; f < d->nfields; f++)
			assert_int_equal(field_lookup(d, d->fields[f].name), f);
	}
}

/* field_lookup tries the exact name before ignoring case: the same field
 * either way only while no two names of a protocol differ just by case. */
static void test_field_names_differ_ignoring_case(void **state)
{
	(void)state;
	for (int i = 0; proto_all[i]; i++) {
		const struct proto_def *d = proto_all[i];
		for (int f = 0; f < d->nfields; f++)
			for (int g = f + 1; g < d->nfields; g++)
				assert_false(str_ieq(d->fields[f].name, d->fields[g].name));
	}
}

static void test_field_lookup_ignores_case(void **state)
{
	(void)state;
	assert_int_equal(field_lookup(&proto_tcp, "SPORT"), TCP_F_SPORT);
	assert_int_equal(field_lookup(&proto_eth, "Dst"), ETH_F_DST);
	assert_int_equal(field_lookup(&proto_ipv4, "tTl"), IP_F_TTL);
}

static void test_field_lookup_of_unknown_or_partial_names_is_minus_1(void **state)
{
	(void)state;
	assert_int_equal(field_lookup(&proto_tcp, "sprot"), -1);
	assert_int_equal(field_lookup(&proto_tcp, "spor"), -1);
	assert_int_equal(field_lookup(&proto_tcp, "sports"), -1);
	assert_int_equal(field_lookup(&proto_tcp, ""), -1);
	assert_int_equal(field_lookup(&proto_udp, "seq"), -1);
}

static void test_field_unknown_near_miss_suggests_the_field(void **state)
{
	(void)state;
	struct err e;
	assert_int_equal(field_unknown(&proto_tcp, "sprot", &e), -1);
	assert_string_equal(e.msg, "TCP has no field 'sprot' (did you mean 'sport'?); its fields are: "
				   "sport dport seq ack off res flags win csum urp mss wscale sackok tsval tsecr sack opts");
	field_unknown(&proto_ipv4, "tll", &e);
	assert_contains(e.msg, "IPv4 has no field 'tll' (did you mean 'ttl'?)");
	field_unknown(&proto_eth, "tpye", &e);
	assert_contains(e.msg, "(did you mean 'type'?)");
	field_unknown(&proto_udp, "LEN ", &e);
	assert_contains(e.msg, "(did you mean 'len'?)");
}

static void test_field_unknown_far_miss_lists_the_fields_only(void **state)
{
	(void)state;
	struct err e;
	assert_int_equal(field_unknown(&proto_arp, "xyzzy", &e), -1);
	assert_string_equal(e.msg, "ARP has no field 'xyzzy'; its fields are: htype ptype hlen plen op sha spa tha tpa");
	field_unknown(&proto_tcp, "", &e);
	assert_not_contains(e.msg, "did you mean");
	assert_contains(e.msg, "TCP has no field ''");
}

static void test_field_names_lists_in_order(void **state)
{
	(void)state;
	struct sbuf sb = SBUF_INIT;
	field_names(&proto_ipv4, &sb);
	assert_string_equal(sbuf_str(&sb), "version ihl tos len id rf df mf frag ttl proto csum src dst opts");
	sbuf_reset(&sb);
	field_names(&proto_icmp, &sb);
	assert_string_equal(sbuf_str(&sb), "type code csum id seq");
	sbuf_free(&sb);
}

static void test_field_max_follows_width_and_type(void **state)
{
	(void)state;
	assert_int_equal(field_max(&proto_ipv4.fields[IP_F_VERSION]), 15);
	assert_int_equal(field_max(&proto_ipv4.fields[IP_F_FRAG]), 8191);
	assert_int_equal(field_max(&proto_ipv4.fields[IP_F_TTL]), 255);
	assert_int_equal(field_max(&proto_ipv4.fields[IP_F_LEN]), 65535);
	assert_int_equal(field_max(&proto_ipv4.fields[IP_F_DF]), 1);
	assert_int_equal(field_max(&proto_ipv4.fields[IP_F_SRC]), 0xffffffffu);
	assert_int_equal(field_max(&proto_tcp.fields[TCP_F_SEQ]), 0xffffffffu);
	assert_int_equal(field_max(&proto_tcp.fields[TCP_F_FLAGS]), 255);
	assert_int_equal(field_max(&proto_tcp.fields[TCP_F_OFF]), 15);
	assert_int_equal(field_max(&proto_eth.fields[ETH_F_SRC]), 0);
}

static void test_field_set_text_uint_accepts_every_base(void **state)
{
	(void)state;
	struct pkt *p = new_pkt("tcp");
	static const struct {
		const char *text;
		unsigned v;
	} cases[] = {
		{"0", 0}, {"80", 80}, {"0x50", 80}, {"0X50", 80}, {"0b1010000", 80}, {"0o120", 80},
		{"65535", 65535}, {"0xffff", 65535}, {"00080", 80},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		set(p, 0, "dport", cases[i].text);
		assert_int_equal(p->layer[0].h.tcp.dport, cases[i].v);
		assert_given(p, 0, "dport");
	}
	free_pkt(p);
}

static void test_field_set_text_uint_out_of_range_names_the_range(void **state)
{
	(void)state;
	struct pkt *p = new_pkt("eth ip tcp");
	expect_text_error(p, 2, "sport", "65536", "TCP field 'sport' (Source Port)", "from 0 to 65535", "got 65536");
	expect_text_error(p, 1, "ihl", "16", "IPv4 field 'ihl' (Header Length)", "from 0 to 15", NULL);
	expect_text_error(p, 1, "frag", "8192", "IPv4 field 'frag'", "from 0 to 8191", NULL);
	expect_text_error(p, 1, "ttl", "0x100", "IPv4 field 'ttl' (Time to Live)", "from 0 to 255", "0x100");
	expect_text_error(p, 2, "seq", "4294967296", "TCP field 'seq'", "from 0 to 4294967295", NULL);
	expect_text_error(p, 2, "seq", "99999999999999999999999", "TCP field 'seq'", "whole number from 0 to 4294967295", NULL);
	expect_text_error(p, 0, "type", "0x10000", "Ethernet field 'type' (Type)", "from 0 to 65535", NULL);
	free_pkt(p);
}

static void test_field_set_text_uint_not_a_number_names_the_form(void **state)
{
	(void)state;
	struct pkt *p = new_pkt("udp");
	static const char *const bad[] = {"", "abc", "-1", "+1", "1.5", "12abc", " 12", "12 ", "0x", "0b2", "0o9", "1e3"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char got[40];
		snprintf(got, sizeof got, "(got '%s')", bad[i]);
		expect_text_error(p, 0, "dport", bad[i], "UDP field 'dport' (Destination Port)",
				  "wants a whole number from 0 to 65535", got);
	}
	free_pkt(p);
}

static void test_field_set_text_bool_accepts_the_usual_words(void **state)
{
	(void)state;
	struct pkt *p = new_pkt("ip");
	static const char *const yes[] = {"1", "true", "yes", "on", "set", "TRUE", "Yes"};
	static const char *const no[] = {"0", "false", "no", "off", "unset", "False", "OFF"};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		set(p, 0, "df", "0");
		set(p, 0, "df", yes[i]);
		assert_int_equal(p->layer[0].h.ip.df, 1);
	}
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
		set(p, 0, "df", "1");
		set(p, 0, "df", no[i]);
		assert_int_equal(p->layer[0].h.ip.df, 0);
	}
	free_pkt(p);
}

static void test_field_set_text_bool_rejects_other_words(void **state)
{
	(void)state;
	struct pkt *p = new_pkt("ip");
	static const char *const bad[] = {"2", "maybe", "", "tru", "0x1"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_text_error(p, 0, "mf", bad[i], "IPv4 field 'mf' (More fragments)", "wants 1 or 0 (true or false)", NULL);
	free_pkt(p);
}

static void test_field_set_text_flags_in_each_notation(void **state)
{
	(void)state;
	struct pkt *p = new_pkt("tcp");
	set(p, 0, "flags", "SYN,ACK");
	assert_int_equal(p->layer[0].h.tcp.flags, 0x12);
	set(p, 0, "flags", "FA");
	assert_int_equal(p->layer[0].h.tcp.flags, 0x11);
	set(p, 0, "flags", "P.");
	assert_int_equal(p->layer[0].h.tcp.flags, 0x18);
	set(p, 0, "flags", "0x04");
	assert_int_equal(p->layer[0].h.tcp.flags, 0x04);
	set(p, 0, "flags", "none");
	assert_int_equal(p->layer[0].h.tcp.flags, 0);
	expect_text_error(p, 0, "flags", "XYZ", "TCP field 'flags' (Flags)", "SYN,ACK", "(got 'XYZ')");
	expect_text_error(p, 0, "flags", "300", "TCP field 'flags'", "Scapy's SA", NULL);
	free_pkt(p);
}

static void test_field_set_text_mac_good_and_bad(void **state)
{
	(void)state;
	struct pkt *p = new_pkt("eth arp");
	set(p, 0, "dst", "01:23:45:67:89:ab");
	assert_memory_equal(p->layer[0].h.eth.dst, "\x01\x23\x45\x67\x89\xab", 6);
	set(p, 1, "tha", "FF-FF-FF-FF-FF-FF");
	assert_true(mac_is_broadcast(p->layer[1].h.arp.tha));
	expect_text_error(p, 0, "dst", "02:00:00", "Ethernet field 'dst' (Destination)",
			  "a MAC address like 02:00:00:00:00:0b", "(got '02:00:00')");
	expect_text_error(p, 1, "sha", "b", "ARP field 'sha' (Sender MAC address)", "MAC address", NULL);
	free_pkt(p);
}

static void test_field_set_text_ip4_good_and_bad(void **state)
{
	(void)state;
	struct pkt *p = new_pkt("ip arp");
	set(p, 0, "src", "192.168.1.254");
	assert_int_equal(p->layer[0].h.ip.src, 0xc0a801fe);
	set(p, 1, "tpa", "0.0.0.0");
	assert_int_equal(p->layer[1].h.arp.tpa, 0);
	expect_text_error(p, 0, "dst", "10.0.0.256", "IPv4 field 'dst' (Destination Address)",
			  "an IPv4 address like 10.0.0.2", "(got '10.0.0.256')");
	expect_text_error(p, 1, "spa", "10.0.0", "ARP field 'spa' (Sender IP address)", "IPv4 address", NULL);
	free_pkt(p);
}

static int fake_mac(void *ctx, const char *name, uint8_t mac[6])
{
	(void)ctx;
	if (strcmp(name, "b") != 0)
		return -1;
	memcpy(mac, "\x02\0\0\0\0\x0b", 6);
	return 0;
}

static int fake_ip(void *ctx, const char *name, uint32_t *ip)
{
	*ip = 0x0a000002;
	return strcmp(name, "b") == 0 && ++*(int *)ctx > 0 ? 0 : -1;
}

static void test_field_set_text_addresses_through_a_resolver(void **state)
{
	(void)state;
	int calls = 0;
	struct name_resolver nr = {&calls, fake_mac, fake_ip};
	struct pkt *p = new_pkt("eth ip");
	struct err e;
	assert_int_equal(field_set_text(p, 0, ETH_F_DST, "b", &nr, &e), 0);
	assert_memory_equal(p->layer[0].h.eth.dst, "\x02\0\0\0\0\x0b", 6);
	assert_int_equal(field_set_text(p, 1, IP_F_DST, "b", &nr, &e), 0);
	assert_int_equal(p->layer[1].h.ip.dst, 0x0a000002);
	assert_int_equal(calls, 1);
	/* A dotted address is not looked up. */
	assert_int_equal(field_set_text(p, 1, IP_F_SRC, "10.9.8.7", &nr, &e), 0);
	assert_int_equal(calls, 1);
	assert_int_equal(field_set_text(p, 1, IP_F_SRC, "zz", &nr, &e), -1);
	assert_contains(e.msg, "an IPv4 address like 10.0.0.2, or a host name");
	assert_int_equal(field_set_text(p, 0, ETH_F_SRC, "zz", &nr, &e), -1);
	assert_contains(e.msg, "a MAC address like 02:00:00:00:00:0b, or a host name");
	free_pkt(p);
}

static void test_field_set_text_opts_in_hex(void **state)
{
	(void)state;
	struct pkt *p = new_pkt("ip");
	static const char *const good[] = {"hex:94040000", "94040000", "94 04 00 00", "94:04:00:00", "0x94040000"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		set(p, 0, "opts", good[i]);
		assert_int_equal(p->layer[0].h.ip.opts.len, 4);
		assert_memory_equal(p->layer[0].h.ip.opts.b, "\x94\x04\x00\x00", 4);
	}
	set(p, 0, "opts", "");
	assert_int_equal(p->layer[0].h.ip.opts.len, 0);
	assert_given(p, 0, "opts");
	set(p, 0, "opts", "94040000");
	set(p, 0, "opts", "none");	/* as field_format writes no bytes */
	assert_int_equal(p->layer[0].h.ip.opts.len, 0);
	char forty[81], forty_one[83];
	memset(forty, 'a', 80);
	forty[80] = '\0';
	memset(forty_one, 'b', 82);
	forty_one[82] = '\0';
	set(p, 0, "opts", forty);
	assert_int_equal(p->layer[0].h.ip.opts.len, 40);
	expect_text_error(p, 0, "opts", forty_one, "IPv4 field 'opts' (Options)", "up to 40 bytes in hex", NULL);
	expect_text_error(p, 0, "opts", "zz", "IPv4 field 'opts'", "like hex:020405b4", "(got 'zz')");
	expect_text_error(p, 0, "opts", "123", "IPv4 field 'opts'", "up to 40 bytes in hex", NULL);
	free_pkt(p);
}

static void test_field_set_text_sack_blocks(void **state)
{
	(void)state;
	struct pkt *p = new_pkt("tcp");
	set(p, 0, "sack", "1001-2001");
	assert_int_equal(p->layer[0].h.tcp.sack.n, 1);
	set(p, 0, "sack", "1-2,3-4, 5-6 7-8");
	assert_int_equal(p->layer[0].h.tcp.sack.n, 4);
	assert_int_equal(p->layer[0].h.tcp.sack.edge[7], 8);
	set(p, 0, "sack", "None");
	assert_int_equal(p->layer[0].h.tcp.sack.n, 0);
	assert_given(p, 0, "sack");
	set(p, 0, "sack", "0-4294967295");
	assert_int_equal(p->layer[0].h.tcp.sack.edge[1], 4294967295u);
	static const char *const bad[] = {
		"1-", "-1", "a-b", "1-2-3", "1-2,3-4,5-6,7-8,9-10", "4294967296-1", "1-4294967296", "1+2", "1-2;3-4",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_text_error(p, 0, "sack", bad[i], "TCP field 'sack' (SACK blocks)",
				  "up to 4 blocks LEFT-RIGHT, like 1001-2001,3001-4001", NULL);
	/* A failed set leaves the blocks as they were. */
	assert_int_equal(p->layer[0].h.tcp.sack.n, 1);
	assert_int_equal(p->layer[0].h.tcp.sack.edge[1], 4294967295u);
	free_pkt(p);
}

static void test_field_failed_set_changes_nothing(void **state)
{
	(void)state;
	struct pkt *p = new_pkt("eth ip");
	pkt_frame(p);
	assert_true(p->frame_valid);
	struct err e;
	assert_int_equal(field_set_text(p, 1, IP_F_TTL, "300", NULL, &e), -1);
	assert_int_equal(field_set_text(p, 1, IP_F_SRC, "x", NULL, &e), -1);
	assert_int_equal(field_set_text(p, 0, ETH_F_DST, "x", NULL, &e), -1);
	assert_int_equal(field_set_uint(p, 1, IP_F_TTL, -5, &e), -1);
	assert_int_equal(p->layer[1].h.ip.ttl, 64);
	assert_int_equal(p->layer[1].h.ip.src, 0x0a000001);
	assert_int_equal(p->layer[1].given, 0);
	assert_int_equal(p->layer[0].given, 0);
	assert_true(p->frame_valid);
	free_pkt(p);
}

static void test_field_set_uint_range_checks(void **state)
{
	(void)state;
	struct pkt *p = new_pkt("ip tcp");
	struct err e;
	assert_int_equal(field_set_uint(p, 1, TCP_F_SPORT, -1, &e), -1);
	assert_string_equal(e.msg, "TCP field 'sport' (Source Port) must be from 0 to 65535 (got -1)");
	assert_int_equal(field_set_uint(p, 1, TCP_F_SPORT, 65535, &e), 0);
	assert_int_equal(p->layer[1].h.tcp.sport, 65535);
	assert_int_equal(field_set_uint(p, 1, TCP_F_SPORT, 65536, &e), -1);
	assert_string_equal(e.msg, "TCP field 'sport' (Source Port) must be from 0 to 65535 (got 65536)");
	assert_int_equal(field_set_uint(p, 1, TCP_F_OFF, 15, &e), 0);
	assert_int_equal(field_set_uint(p, 1, TCP_F_OFF, 16, &e), -1);
	assert_contains(e.msg, "from 0 to 15");
	assert_int_equal(field_set_uint(p, 1, TCP_F_SEQ, 4294967295LL, &e), 0);
	assert_int_equal(field_set_uint(p, 1, TCP_F_SEQ, 4294967296LL, &e), -1);
	assert_int_equal(field_set_uint(p, 1, TCP_F_SEQ, INT64_MIN, &e), -1);
	assert_int_equal(field_set_uint(p, 1, TCP_F_SEQ, INT64_MAX, &e), -1);
	assert_int_equal(p->layer[1].h.tcp.seq, 4294967295u);
	assert_int_equal(field_set_uint(p, 1, TCP_F_FLAGS, 255, &e), 0);
	assert_int_equal(field_set_uint(p, 1, TCP_F_FLAGS, 256, &e), -1);
	assert_int_equal(field_set_uint(p, 0, IP_F_DF, 1, &e), 0);
	assert_int_equal(field_set_uint(p, 0, IP_F_DF, 2, &e), -1);
	assert_contains(e.msg, "IPv4 field 'df' (Don't fragment) must be from 0 to 1 (got 2)");
	assert_int_equal(field_set_uint(p, 0, IP_F_SRC, 0xffffffffLL, &e), 0);
	assert_int_equal(p->layer[0].h.ip.src, 0xffffffffu);
	assert_int_equal(field_set_uint(p, 0, IP_F_SRC, 0x100000000LL, &e), -1);
	assert_int_equal(field_set_uint(p, 0, IP_F_FRAG, 8191, &e), 0);
	assert_int_equal(field_set_uint(p, 0, IP_F_FRAG, 8192, &e), -1);
	free_pkt(p);
}

static void test_field_set_uint_refuses_text_only_fields(void **state)
{
	(void)state;
	struct pkt *p = new_pkt("eth ip tcp");
	struct err e;
	assert_int_equal(field_set_uint(p, 0, ETH_F_DST, 1, &e), -1);
	assert_string_equal(e.msg, "Ethernet field 'dst' (Destination) wants text, not a number");
	assert_int_equal(field_set_uint(p, 1, IP_F_OPTS, 1, &e), -1);
	assert_contains(e.msg, "IPv4 field 'opts' (Options) wants text");
	assert_int_equal(field_set_uint(p, 2, TCP_F_SACK, 1, &e), -1);
	assert_contains(e.msg, "TCP field 'sack' (SACK blocks) wants text");
	free_pkt(p);
}

static void test_field_set_uint_marks_given_and_makes_the_frame_stale(void **state)
{
	(void)state;
	struct pkt *p = new_pkt("ip");
	pkt_frame(p);
	assert_true(p->frame_valid);
	struct err e;
	assert_int_equal(field_set_uint(p, 0, IP_F_TTL, 1, &e), 0);
	assert_given(p, 0, "ttl");
	assert_false(p->frame_valid);
	assert_int_equal(buf_data(pkt_frame(p))[8], 1);
	free_pkt(p);
}

static void test_field_set_bytes_only_for_options_and_at_most_40(void **state)
{
	(void)state;
	struct pkt *p = new_pkt("ip tcp");
	struct err e;
	uint8_t b[41] = {1, 1, 1, 1};
	assert_int_equal(field_set_bytes(p, 0, IP_F_TTL, b, 1, &e), -1);
	assert_string_equal(e.msg, "IPv4 field 'ttl' (Time to Live) does not take raw bytes");
	assert_int_equal(field_set_bytes(p, 1, TCP_F_OPTS, b, 41, &e), -1);
	assert_string_equal(e.msg, "TCP field 'opts' (Options) holds at most 40 bytes (got 41)");
	assert_int_equal(field_set_bytes(p, 1, TCP_F_OPTS, b, 40, &e), 0);
	assert_int_equal(p->layer[1].h.tcp.opts.len, 40);
	assert_int_equal(field_set_bytes(p, 0, IP_F_OPTS, b, 0, &e), 0);
	assert_given(p, 0, "opts");
	free_pkt(p);
}

static void test_field_unset_restores_the_default_and_clears_given(void **state)
{
	(void)state;
	struct pkt *p = new_pkt("eth ip tcp");
	set(p, 1, "ttl", "1");
	set(p, 2, "win", "0");
	set(p, 0, "src", "02:00:00:00:00:99");
	pkt_frame(p);
	field_unset(p, 1, IP_F_TTL);
	field_unset(p, 2, TCP_F_WIN);
	field_unset(p, 0, ETH_F_SRC);
	assert_false(p->frame_valid);
	assert_int_equal(p->layer[1].h.ip.ttl, 64);
	assert_int_equal(p->layer[2].h.tcp.win, 65535);
	assert_memory_equal(p->layer[0].h.eth.src, "\x02\0\0\0\0\x0a", 6);
	assert_int_equal(p->layer[0].given | p->layer[1].given | p->layer[2].given, 0);
	assert_frame(p, "02000000000b 02000000000a 0800"
			"4500 0028 0001 0000 4006 66cd 0a000001 0a000002"
			"c000 0050 00000000 00000000 5002 ffff db8f 0000");
	free_pkt(p);
}

static void test_field_unset_of_a_computed_field_computes_it_again(void **state)
{
	(void)state;
	struct pkt *p = new_pkt("ip udp");
	set(p, 0, "len", "1000");
	set(p, 0, "csum", "0");
	set(p, 1, "len", "3");
	field_unset(p, 0, IP_F_LEN);
	field_unset(p, 0, IP_F_CSUM);
	field_unset(p, 1, UDP_F_LEN);
	pkt_frame(p);
	assert_int_equal(p->layer[0].h.ip.len, 28);
	assert_int_equal(p->layer[1].h.udp.len, 8);
	assert_int_equal(p->layer[0].csum_status, CSUM_GOOD);
	assert_true(p->layer[0].computed >> IP_F_LEN & 1);
	free_pkt(p);
}

static void test_field_unset_of_an_option_leaves_it_out(void **state)
{
	(void)state;
	struct pkt *p = new_pkt("tcp");
	set(p, 0, "mss", "1460");
	set(p, 0, "wscale", "2");
	assert_int_equal(pkt_frame(p)->len, 28);
	field_unset(p, 0, TCP_F_MSS);
	assert_not_given(p, 0, "mss");
	assert_int_equal(pkt_frame(p)->len, 24);
	field_unset(p, 0, TCP_F_WSCALE);
	assert_int_equal(pkt_frame(p)->len, 20);
	free_pkt(p);
}

static void test_field_format_of_each_type(void **state)
{
	(void)state;
	struct pkt *p = new_pkt("eth ip tcp");
	pkt_frame(p);
	assert_field(p, 0, "dst", "02:00:00:00:00:0b");
	assert_field(p, 0, "type", "0x0800");
	assert_field(p, 1, "version", "4");
	assert_field(p, 1, "tos", "0x00");
	assert_field(p, 1, "id", "0x0001");
	assert_field(p, 1, "csum", "0x66cd");
	assert_field(p, 1, "df", "0");
	assert_field(p, 1, "src", "10.0.0.1");
	assert_field(p, 1, "opts", "none");
	assert_field(p, 2, "sport", "49152");
	assert_field(p, 2, "seq", "0");
	assert_field(p, 2, "flags", "SYN");
	assert_field(p, 2, "sack", "none");
	assert_field(p, 2, "opts", "none");
	set(p, 1, "df", "1");
	set(p, 1, "tos", "0xb8");
	set(p, 2, "flags", "0");
	set(p, 2, "sack", "1-2,3-4");
	set(p, 2, "opts", "hex:0204ffff");
	assert_field(p, 1, "df", "1");
	assert_field(p, 1, "tos", "0xb8");
	assert_field(p, 2, "flags", "none");
	assert_field(p, 2, "opts", "02 04 ff ff");
	set(p, 2, "sack", "1-2,3-4");
	assert_field(p, 2, "sack", "1-2,3-4");
	free_pkt(p);
}

/* What field_format writes, field_set_text reads back to the same value:
 * for every field of every protocol, at its default and at a set value. */
static void test_field_format_parses_back_for_every_field(void **state)
{
	(void)state;
	static const char *const values[] = {"1", "1", "02:00:00:00:00:01", "10.1.2.3", "FIN,ACK", "hex:01010101", "5-6"};
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; proto_all[i]; i++) {
			const struct proto_def *d = proto_all[i];
			for (int f = 0; f < d->nfields; f++) {
				struct pkt p, q;
				pkt_init(&p);
				pkt_init(&q);
				assert_non_null(pkt_push(&p, d, NULL));
				assert_non_null(pkt_push(&q, d, NULL));
				if (pass)
					set(&p, 0, d->fields[f].name, values[d->fields[f].type]);
				struct sbuf sb = SBUF_INIT, sb2 = SBUF_INIT;
				field_format(&p.layer[0], f, &sb);
				struct err e;
				if (field_set_text(&q, 0, f, sbuf_str(&sb), NULL, &e) < 0)
					fail_msg("%s %s: '%s' does not parse back: %s", d->abbrev, d->fields[f].name,
						 sbuf_str(&sb), e.msg);
				field_format(&q.layer[0], f, &sb2);
				assert_string_equal(sbuf_str(&sb2), sbuf_str(&sb));
				sbuf_free(&sb);
				sbuf_free(&sb2);
				pkt_free(&p);
				pkt_free(&q);
			}
		}
	}
}

static void test_parse_uint_decimal_and_prefixed_bases(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		uint64_t v;
	} cases[] = {
		{"0", 0}, {"42", 42}, {"007", 7}, {"18446744073709551615", UINT64_MAX},
		{"0x1F", 31}, {"0XfF", 255}, {"0xffffffffffffffff", UINT64_MAX}, {"0x0", 0},
		{"0b101", 5}, {"0B1", 1}, {"0b0", 0},
		{"0o17", 15}, {"0O7", 7}, {"0o0", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint64_t v = 12345;
		if (parse_uint(cases[i].s, &v) != 0)
			fail_msg("parse_uint refused '%s'", cases[i].s);
		if (v != cases[i].v)
			fail_msg("parse_uint('%s') = %llu", cases[i].s, (unsigned long long)v);
	}
}

static void test_parse_uint_rejects_overflow_garbage_and_empty(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "18446744073709551616", "99999999999999999999999", "0x10000000000000000",
		"12abc", "12 ", " 12", "1_000", "1.0", "-1", "+1", "-0", "abc", "x12",
		"0x", "0xg", "0x 1", "0x-1", "0b", "0b2", "0b102", "0o", "0o8", "0o-1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint64_t v = 12345;
		if (parse_uint(bad[i], &v) == 0)
			fail_msg("parse_uint accepted '%s' as %llu", bad[i], (unsigned long long)v);
		assert_int_equal(v, 12345);
	}
}

/* "0x0x10" is not a number: the prefix comes once. */
static void test_parse_uint_rejects_a_doubled_prefix(void **state)
{
	(void)state;
	uint64_t v = 12345;
	assert_int_equal(parse_uint("0x0x10", &v), -1);
	assert_int_equal(parse_uint("0X0X10", &v), -1);
	assert_int_equal(parse_uint("0x0X1", &v), -1);
	assert_int_equal(v, 12345);
	assert_int_equal(parse_uint("0x00", &v), 0);
	assert_int_equal(v, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_lookup_finds_every_field_of_every_protocol),
		cmocka_unit_test(test_field_names_differ_ignoring_case),
		cmocka_unit_test(test_field_lookup_ignores_case),
		cmocka_unit_test(test_field_lookup_of_unknown_or_partial_names_is_minus_1),
		cmocka_unit_test(test_field_unknown_near_miss_suggests_the_field),
		cmocka_unit_test(test_field_unknown_far_miss_lists_the_fields_only),
		cmocka_unit_test(test_field_names_lists_in_order),
		cmocka_unit_test(test_field_max_follows_width_and_type),
		cmocka_unit_test(test_field_set_text_uint_accepts_every_base),
		cmocka_unit_test(test_field_set_text_uint_out_of_range_names_the_range),
		cmocka_unit_test(test_field_set_text_uint_not_a_number_names_the_form),
		cmocka_unit_test(test_field_set_text_bool_accepts_the_usual_words),
		cmocka_unit_test(test_field_set_text_bool_rejects_other_words),
		cmocka_unit_test(test_field_set_text_flags_in_each_notation),
		cmocka_unit_test(test_field_set_text_mac_good_and_bad),
		cmocka_unit_test(test_field_set_text_ip4_good_and_bad),
		cmocka_unit_test(test_field_set_text_addresses_through_a_resolver),
		cmocka_unit_test(test_field_set_text_opts_in_hex),
		cmocka_unit_test(test_field_set_text_sack_blocks),
		cmocka_unit_test(test_field_failed_set_changes_nothing),
		cmocka_unit_test(test_field_set_uint_range_checks),
		cmocka_unit_test(test_field_set_uint_refuses_text_only_fields),
		cmocka_unit_test(test_field_set_uint_marks_given_and_makes_the_frame_stale),
		cmocka_unit_test(test_field_set_bytes_only_for_options_and_at_most_40),
		cmocka_unit_test(test_field_unset_restores_the_default_and_clears_given),
		cmocka_unit_test(test_field_unset_of_a_computed_field_computes_it_again),
		cmocka_unit_test(test_field_unset_of_an_option_leaves_it_out),
		cmocka_unit_test(test_field_format_of_each_type),
		cmocka_unit_test(test_field_format_parses_back_for_every_field),
		cmocka_unit_test(test_parse_uint_decimal_and_prefixed_bases),
		cmocka_unit_test(test_parse_uint_rejects_overflow_garbage_and_empty),
		cmocka_unit_test(test_parse_uint_rejects_a_doubled_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
