/* The views: the field tree, the hex dump by layer, the OSI view with the
 * FCS, and the one-line summary. */
#include "testutil.h"

#include "proto/checksum.h"
#include "view/dissect.h"

static const struct view_opts plain = {false, false};

/* The text of a view of p. */
static char *tree_of(struct pkt *p)
{
	struct sbuf sb = SBUF_INIT;
	view_tree(p, &plain, &sb);
	return sbuf_take(&sb);
}

static char *hexdump_of(struct pkt *p)
{
	struct sbuf sb = SBUF_INIT;
	view_hexdump(p, &plain, &sb);
	return sbuf_take(&sb);
}

static char *osi_of(struct pkt *p)
{
	struct sbuf sb = SBUF_INIT;
	view_osi(p, &plain, &sb);
	return sbuf_take(&sb);
}

static char *summary_of(struct pkt *p)
{
	struct sbuf sb = SBUF_INIT;
	view_summary(p, &sb);
	return sbuf_take(&sb);
}

/* The line of the tree that starts with "  name " after the heading of the
 * layer-th layer (0-based), without its newline, in out. */
static const char *tree_line(const char *tree, int layer, const char *name, char *out, size_t cap)
{
	const char *s = tree;
	for (int seen = -1; *s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : s + strlen(s)) {
		if (s[0] != ' ')
			seen++;
		else if (seen == layer && strncmp(s + 2, name, strlen(name)) == 0 && s[2 + strlen(name)] == ' ') {
			size_t n = strcspn(s, "\n");
			snprintf(out, cap, "%.*s", (int)n, s);
			return out;
		}
	}
	fail_msg("no line '%s' in layer %d of:\n%s", name, layer, tree);
	return NULL;
}

/* Every line ends in the mark (after trailing spaces are gone). */
static void assert_line_marked(const char *tree, int layer, const char *name, const char *mark)
{
	char line[256];
	tree_line(tree, layer, name, line, sizeof line);
	size_t n = strlen(line), m = strlen(mark);
	if (n < m || strcmp(line + n - m, mark) != 0 || line[n - m - 1] != ' ')
		fail_msg("line '%s' does not end in '%s'", line, mark);
}

/* The README's and tests/cli's packet: Ether{} / IPv4{} / TCP{dport=80, mss=1460}. */
static void build_syn(struct pkt *p)
{
	build(p, "eth ip tcp");
	set(p, 2, "dport", "80");
	set(p, 2, "mss", "1460");
}

static void test_view_tree_of_a_built_syn_is_the_documented_text(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build_syn(&p);
	char *t = tree_of(&p);
	assert_string_equal(t,
		"Ethernet II, bytes 0-13: 02:00:00:00:00:0a > 02:00:00:00:00:0b, type 0x0800\n"
		"  dst      Destination             02:00:00:00:00:0b                default\n"
		"  src      Source                  02:00:00:00:00:0a                default\n"
		"  type     Type                    0x0800 (IPv4)                    computed\n"
		"Internet Protocol Version 4, bytes 14-33: 10.0.0.1 > 10.0.0.2, TCP (protocol 6), ttl 64\n"
		"  version  Version                 4                                default\n"
		"  ihl      Header Length           5 (20 bytes)                     computed\n"
		"  tos      Type of Service         0x00 (DSCP 0, ECN 0)             default\n"
		"  len      Total Length            44                               computed\n"
		"  id       Identification          0x0001 (1)                       default\n"
		"  rf       Reserved bit            0                                default\n"
		"  df       Don't fragment          0                                default\n"
		"  mf       More fragments          0                                default\n"
		"  frag     Fragment Offset         0                                default\n"
		"  ttl      Time to Live            64                               default\n"
		"  proto    Protocol                6 (TCP)                          computed\n"
		"  csum     Header Checksum         0x66c9 [correct]                 computed\n"
		"  src      Source Address          10.0.0.1                         default\n"
		"  dst      Destination Address     10.0.0.2                         default\n"
		"Transmission Control Protocol, bytes 34-57: 49152 > 80 [SYN] Seq=0 Win=65535 Len=0 MSS=1460\n"
		"  sport    Source Port             49152                            default\n"
		"  dport    Destination Port        80                               given\n"
		"  seq      Sequence Number         0                                default\n"
		"  ack      Acknowledgment Number   0                                default\n"
		"  off      Data Offset             6 (24 bytes)                     computed\n"
		"  res      Reserved                0                                default\n"
		"  flags    Flags                   SYN (0x002)                      default\n"
		"  win      Window                  65535                            default\n"
		"  csum     Checksum                0xc3d3 [correct]                 computed\n"
		"  urp      Urgent Pointer          0                                default\n"
		"  mss      Maximum segment size    1460                             given\n");
	free(t);
	pkt_free(&p);
}

static void test_view_tree_marks_given_default_and_computed(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip udp");
	set(&p, 1, "ttl", "9");
	set(&p, 1, "len", "100");
	set(&p, 2, "csum", "0");
	char *t = tree_of(&p);
	assert_line_marked(t, 1, "ttl", "given");
	assert_line_marked(t, 1, "len", "given");
	assert_line_marked(t, 1, "id", "default");
	assert_line_marked(t, 1, "csum", "computed");
	assert_line_marked(t, 0, "type", "computed");
	assert_line_marked(t, 2, "len", "computed");
	assert_line_marked(t, 2, "csum", "given");
	assert_contains(t, "0x0000 [none: the sender did not compute one]");
	free(t);
	pkt_free(&p);
}

static void test_view_tree_says_incorrect_and_the_right_checksum(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip icmp");
	set(&p, 1, "csum", "0x1234");
	set(&p, 2, "csum", "0xffff");
	char *t = tree_of(&p);
	char line[256];
	assert_contains(tree_line(t, 1, "csum", line, sizeof line), "0x1234 [incorrect, should be 0x66de] given");
	assert_contains(tree_line(t, 2, "csum", line, sizeof line), "0xffff [incorrect, should be 0xf7fd]");
	free(t);
	pkt_free(&p);
}

static void test_view_tree_of_a_decoded_packet_has_no_marks(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, "02000000000b 02000000000a 0800 4500 002c 0001 0000 4006 66c9 0a000001 0a000002"
		       "c000 0050 00000000 00000000 6002 ffff c3d3 0000 020405b4");
	char *t = tree_of(&p);
	assert_not_contains(t, "given");
	assert_not_contains(t, "default");
	assert_not_contains(t, "computed");
	assert_not_contains(t, "(not in the frame)");
	assert_contains(t, "0xc3d3 [correct]\n");
	/* The options are shown one by one, not as raw bytes. */
	char line[256];
	assert_string_equal(tree_line(t, 2, "mss", line, sizeof line),
			    "  mss      Maximum segment size    1460");
	assert_not_contains(t, "  opts");
	free(t);
	pkt_free(&p);
}

static void test_view_tree_of_a_cut_header_says_what_is_not_in_the_frame(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, "02000000000b 02000000000a 0800 450000");
	char *t = tree_of(&p);
	assert_contains(t, "Internet Protocol Version 4, bytes 14-16: cut short\n");
	char line[256];
	assert_string_equal(tree_line(t, 1, "version", line, sizeof line), "  version  Version                 4");
	assert_string_equal(tree_line(t, 1, "len", line, sizeof line),
			    "  len      Total Length            (not in the frame)");
	assert_contains(tree_line(t, 1, "dst", line, sizeof line), "(not in the frame)");
	assert_contains(t, "  malformed: IPv4: truncated header: 3 of 20 bytes\n");
	free(t);
	pkt_free(&p);
}

static void test_view_tree_shows_data_and_padding(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	/* An echo reply with "hi\n" as data, padded from 45 to 60 bytes. */
	decode_hex(&p, "02000000000a 02000000000b 0800 4500 001f 0001 0000 4001 66db 0a000002 0a000001"
		       "0000 0000 0001 0001 68690a 000000000000000000000000000000");
	char *t = tree_of(&p);
	assert_contains(t, "Data, bytes 42-44: 3 bytes \"hi\\n\"\n");
	assert_contains(t, "Padding, bytes 45-59: 15 bytes after the datagram, to reach Ethernet's 60-byte minimum\n");
	assert_contains(t, "[incorrect, should be 0x");	/* the checksum was left 0 */
	free(t);
	pkt_free(&p);
}

static void test_view_tree_marks_quoted_layers_and_unverified_checksums(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, "02000000000a 02000000000b 0800 4500 0038 0001 0000 4001 66c2 0a000002 0a000001"
		       "0303 be28 0000 0000"
		       "4500003000010000401166ba0a0000010a000002 9c409c41001c0636");
	char *t = tree_of(&p);
	assert_contains(t, "Internet Protocol Version 4, bytes 42-61 (quoted, may be cut short): ");
	assert_contains(t, "User Datagram Protocol, bytes 62-69 (quoted, may be cut short): ");
	assert_contains(t, "0x0636 [unverified: part of what it covers is not here]");
	assert_not_contains(t, "malformed");
	free(t);
	pkt_free(&p);
}

/* Colour only adds to the words: without the escapes the text is the same. */
static void test_view_colour_adds_escapes_and_nothing_else(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build_syn(&p);
	set(&p, 1, "csum", "1");
	pkt_set_payload(&p, "x", 1, NULL);
	void (*views[])(struct pkt *, const struct view_opts *, struct sbuf *) = {view_tree, view_hexdump, view_osi};
	for (size_t v = 0; v < 3; v++) {
		struct sbuf a = SBUF_INIT, b = SBUF_INIT;
		struct view_opts colour = {true, false};
		views[v](&p, &plain, &a);
		views[v](&p, &colour, &b);
		assert_contains(sbuf_str(&b), "\033[");
		/* Strip the escapes from the coloured text. */
		char *s = b.s, *w = b.s;
		while (*s) {
			if (*s == '\033') {
				while (*s && *s != 'm')
					s++;
				if (*s)
					s++;
			} else {
				*w++ = *s++;
			}
		}
		*w = '\0';
		/* Padding to columns counts display width, so the layout is the same too. */
		assert_string_equal(b.s, sbuf_str(&a));
		sbuf_free(&a);
		sbuf_free(&b);
	}
	pkt_free(&p);
}

static void test_view_hexdump_of_the_readme_syn(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build_syn(&p);
	char *h = hexdump_of(&p);
	assert_string_equal(h,
		"Ethernet  0000  02 00 00 00 00 0b 02 00 00 00 00 0a 08 00        ..............\n"
		"IPv4      000e  45 00 00 2c 00 01 00 00 40 06 66 c9 0a 00 00 01  E..,....@.f.....\n"
		"          001e  0a 00 00 02                                      ....\n"
		"TCP       0022  c0 00 00 50 00 00 00 00 00 00 00 00 60 02 ff ff  ...P........`...\n"
		"          0032  c3 d3 00 00 02 04 05 b4                          ........\n");
	free(h);
	pkt_free(&p);
}

static void test_view_hexdump_puts_data_and_padding_on_their_own_rows(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, "02000000000a 02000000000b 0800 4500 001f 0001 0000 4001 66db 0a000002 0a000001"
		       "0000 0000 0001 0001 68690a 000000000000000000000000000000");
	char *h = hexdump_of(&p);
	assert_string_equal(h,
		"Ethernet  0000  02 00 00 00 00 0a 02 00 00 00 00 0b 08 00        ..............\n"
		"IPv4      000e  45 00 00 1f 00 01 00 00 40 01 66 db 0a 00 00 02  E.......@.f.....\n"
		"          001e  0a 00 00 01                                      ....\n"
		"ICMP      0022  00 00 00 00 00 01 00 01                          ........\n"
		"Data      002a  68 69 0a                                         hi.\n"
		"Padding   002d  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00     ...............\n");
	free(h);
	pkt_free(&p);
}

/* Each layer's rows start at its own offset and count up by 16. */
static void test_view_hexdump_offsets_follow_the_layers(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip tcp");
	set(&p, 1, "opts", "hex:0101010101010101010101010101010101010101");
	set(&p, 2, "tsval", "1");
	set(&p, 2, "mss", "1");
	char big[100];
	memset(big, 'z', sizeof big);
	pkt_set_payload(&p, big, sizeof big, NULL);
	char *h = hexdump_of(&p);
	pkt_frame(&p);
	size_t rows = 0;
	for (int i = 0; i <= p.n; i++) {
		size_t off = i < p.n ? p.layer[i].off : (size_t)p.layer[p.n - 1].off + p.layer[p.n - 1].len;
		size_t len = i < p.n ? p.layer[i].len : p.payload.len;
		for (size_t r = 0; r < len; r += 16) {
			char want[32];
			snprintf(want, sizeof want, "%04zx  ", off + r);
			assert_contains(h, want);
			rows++;
		}
	}
	size_t lines = 0;
	for (const char *s = h; *s; s++)
		lines += *s == '\n';
	assert_int_equal(lines, rows);
	assert_contains(h, "IPv4      000e  ");
	assert_contains(h, "TCP       0036  ");
	assert_contains(h, "Data      005a  ");
	free(h);
	pkt_free(&p);
}

static void test_view_hexdump_of_nothing_says_so(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	char *h = hexdump_of(&p);
	assert_string_equal(h, "(no bytes)\n");
	free(h);
	decode_hex(&p, "");
	h = hexdump_of(&p);
	assert_string_equal(h, "(no bytes)\n");
	free(h);
	pkt_free(&p);
}

/* IEEE 802.3's CRC-32 bit by bit (reflected, polynomial 0xedb88320),
 * independent of checksum.c's four-bits-at-a-time table. */
static uint32_t crc32_bitwise(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int b = 0; b < 8; b++)
			crc = crc & 1 ? crc >> 1 ^ 0xedb88320u : crc >> 1;
	}
	return ~crc;
}

/* Ether{} / IPv4{} / UDP{dport=40000} / "hi" is 44 bytes: 16 bytes of
 * padding make 60, and the FCS covers both. Python's zlib.crc32 of the 60
 * bytes gives 0x63d22871 too. */
static void test_view_osi_gives_padding_and_the_fcs_of_a_short_frame(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip udp");
	set(&p, 2, "dport", "40000");
	pkt_set_payload(&p, "hi", 2, NULL);
	uint8_t padded[60] = {0};
	const struct buf *f = pkt_frame(&p);
	assert_int_equal(f->len, 44);
	memcpy(padded, buf_data(f), 44);
	uint32_t fcs = crc32_bitwise(padded, 60);
	assert_int_equal(fcs, 0x63d22871u);
	char *o = osi_of(&p);
	assert_contains(o, "A frame of 44 bytes; on the wire 72: preamble and SFD 8, frame 44, padding 16, FCS 4.\n");
	assert_contains(o, "+20         16 bytes of padding, then FCS 0x63d22871 (CRC-32 of the frame and padding)\n");
	assert_contains(o, "7 Application    Application     42-43       data, 2 bytes: \"hi\"\n");
	assert_contains(o, "4 Transport      Transport       34-41       UDP header: 49152 > 40000 Len=2\n");
	assert_contains(o, "3 Network        Internet        14-33       IPv4 header: ");
	assert_contains(o, "2 Data link      Link            0-13        Ethernet header: ");
	assert_contains(o, "10101010 x7, 10101011, 01000000 00000000 00000000 00000000 ...\n");
	free(o);
	pkt_free(&p);
}

static void test_view_osi_of_a_full_size_frame_has_no_padding(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip tcp");
	pkt_set_payload(&p, "0123456789", 10, NULL);	/* 64 bytes */
	const struct buf *f = pkt_frame(&p);
	assert_int_equal(f->len, 64);
	char want[120];
	snprintf(want, sizeof want, "FCS 0x%08x (CRC-32 of the frame)\n", crc32_bitwise(buf_data(f), f->len));
	assert_int_equal(crc32_bitwise(buf_data(f), f->len), crc32_ieee(buf_data(f), f->len));
	char *o = osi_of(&p);
	assert_contains(o, "A frame of 64 bytes; on the wire 76: preamble and SFD 8, frame 64, FCS 4.\n");
	assert_contains(o, want);
	assert_contains(o, "+4 ");
	assert_not_contains(o, "padding");
	free(o);
	pkt_free(&p);
}

static void test_view_osi_puts_arp_in_the_link_layer_and_says_nothing_above(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth arp");
	char *o = osi_of(&p);
	assert_contains(o, "4 Transport      Transport       -           nothing of this layer in this frame\n");
	assert_contains(o, "3 Network        Link            14-41       ARP header: Who has 10.0.0.2? Tell 10.0.0.1\n");
	assert_contains(o, "\"layer 2.5\"");
	assert_contains(o, "padding 18");
	free(o);
	pkt_free(&p);
}

static void test_view_osi_of_an_icmp_error_leaves_the_quote_out(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, "02000000000a 02000000000b 0800 4500 0038 0001 0000 4001 66c2 0a000002 0a000001"
		       "0303 be28 0000 0000"
		       "4500003000010000401166ba0a0000010a000002 9c409c41001c0636");
	char *o = osi_of(&p);
	assert_contains(o, "no application data in this frame");
	assert_contains(o, "4 Transport      Transport       -           nothing of this layer in this frame\n");
	assert_contains(o, "34-41       ICMP header: Destination unreachable (Port unreachable)\n");
	assert_contains(o, "quotes the IPv4 header");
	assert_not_contains(o, "UDP header");
	free(o);
	pkt_free(&p);
}

static void test_view_summary_of_arp_request_and_reply(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth arp");
	char *s = summary_of(&p);
	assert_string_equal(s, "02:00:00:00:00:0a > ff:ff:ff:ff:ff:ff ARP 42 Who has 10.0.0.2? Tell 10.0.0.1");
	free(s);
	set(&p, 1, "op", "2");
	s = summary_of(&p);
	assert_string_equal(s, "02:00:00:00:00:0a > 02:00:00:00:00:0b ARP 42 10.0.0.1 is at 02:00:00:00:00:0a");
	free(s);
	pkt_free(&p);
}

static void test_view_summary_of_icmp_echo_udp_and_tcp(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip icmp");
	char *s = summary_of(&p);
	assert_string_equal(s, "10.0.0.1 > 10.0.0.2 ICMP 42 Echo (ping) request  id=0x0001, seq=1/256, ttl=64");
	free(s);
	pkt_free(&p);

	pkt_init(&p);
	build(&p, "eth ip udp");
	set(&p, 2, "dport", "40000");
	pkt_set_payload(&p, "hi", 2, NULL);
	s = summary_of(&p);
	assert_string_equal(s, "10.0.0.1 > 10.0.0.2 UDP 44 49152 > 40000 Len=2");
	free(s);
	pkt_free(&p);

	pkt_init(&p);
	build_syn(&p);
	s = summary_of(&p);
	assert_string_equal(s, "10.0.0.1 > 10.0.0.2 TCP 58 49152 > 80 [SYN] Seq=0 Win=65535 Len=0 MSS=1460");
	free(s);
	pkt_free(&p);
}

static void test_view_summary_of_an_icmp_error_is_the_icmp_line(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, "02000000000a 02000000000b 0800 4500 0038 0001 0000 4001 66c2 0a000002 0a000001"
		       "0303 be28 0000 0000"
		       "4500003000010000401166ba0a0000010a000002 9c409c41001c0636");
	char *s = summary_of(&p);
	assert_string_equal(s, "10.0.0.2 > 10.0.0.1 ICMP 70 Destination unreachable (Port unreachable)");
	free(s);
	pkt_free(&p);
}

static void test_view_summary_of_a_malformed_frame_names_the_error(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, "02000000000b 02000000000a 0800 4500 001c 0001 0000 4001 66de 0a000001 0a000002 0800");
	char *s = summary_of(&p);
	assert_string_equal(s, "10.0.0.1 > 10.0.0.2 ICMP 36 cut short "
			       "[Malformed: IPv4: length 28 goes beyond the 22 bytes in the frame]");
	free(s);
	pkt_free(&p);
	pkt_init(&p);
	build(&p, "eth ip udp");
	set(&p, 2, "dport", "40000");
	set(&p, 2, "len", "5");
	pkt_set_payload(&p, "hi", 2, NULL);
	struct pkt q;
	pkt_init(&q);
	const struct buf *f = pkt_frame(&p);
	pkt_decode(&q, buf_data(f), f->len);
	s = summary_of(&q);
	assert_string_equal(s, "10.0.0.1 > 10.0.0.2 UDP 44 49152 > 40000 Len=2 "
			       "[Malformed: UDP: length 5 is shorter than the 8-byte header]");
	free(s);
	pkt_free(&q);
	pkt_free(&p);
}

/* A header cut before its fields: the summary must not show zeros that
 * are not in the frame as if they had been read. */
static void test_view_summary_of_a_cut_header_invents_no_values(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, "02000000000b 02000000000a 0800 450000");
	char *s = summary_of(&p);
	assert_string_equal(s, "02:00:00:00:00:0a > 02:00:00:00:00:0b IPv4 17 cut short "
			       "[Malformed: IPv4: truncated header: 3 of 20 bytes]");
	free(s);
	decode_hex(&p, "");
	s = summary_of(&p);
	assert_string_equal(s, "? > ? Ethernet 0 cut short [Malformed: Ethernet: truncated header: 0 of 14 bytes]");
	free(s);
	decode_hex(&p, "02000000000b 0200");
	s = summary_of(&p);
	assert_not_contains(s, "00:00:00:00:00:00");
	free(s);
	char *o = osi_of(&p);
	assert_not_contains(o, "type 0x0000");
	free(o);
	pkt_free(&p);
}

static void test_view_main_layer_stops_at_quotes_and_fragments(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip icmp ip udp");
	set(&p, 2, "type", "3");
	pkt_frame(&p);
	assert_int_equal(view_main_layer(&p), 2);
	struct pkt q;
	pkt_init(&q);
	build(&q, "eth ip tcp");
	set(&q, 1, "mf", "1");
	const struct buf *f = pkt_frame(&q);
	assert_int_equal(view_main_layer(&q), 2);	/* built: nothing partial */
	pkt_decode(&p, buf_data(f), f->len);
	assert_int_equal(view_main_layer(&p), 1);	/* decoded: TCP is cut short by the fragment */
	pkt_free(&p);
	pkt_free(&q);
}

static void test_put_quoted_escapes_and_cuts(void **state)
{
	(void)state;
	struct sbuf sb = SBUF_INIT;
	put_quoted(&sb, (const uint8_t *)"a\"b\\c\n\r\t\x01\x7f\xff", 11, 100);
	assert_string_equal(sbuf_str(&sb), "\"a\\\"b\\\\c\\n\\r\\t\\x01\\x7f\\xff\"");
	sbuf_reset(&sb);
	put_quoted(&sb, (const uint8_t *)"abcdef", 6, 3);
	assert_string_equal(sbuf_str(&sb), "\"abc\"...");
	sbuf_reset(&sb);
	put_quoted(&sb, (const uint8_t *)"", 0, 3);
	assert_string_equal(sbuf_str(&sb), "\"\"");
	sbuf_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_view_tree_of_a_built_syn_is_the_documented_text),
		cmocka_unit_test(test_view_tree_marks_given_default_and_computed),
		cmocka_unit_test(test_view_tree_says_incorrect_and_the_right_checksum),
		cmocka_unit_test(test_view_tree_of_a_decoded_packet_has_no_marks),
		cmocka_unit_test(test_view_tree_of_a_cut_header_says_what_is_not_in_the_frame),
		cmocka_unit_test(test_view_tree_shows_data_and_padding),
		cmocka_unit_test(test_view_tree_marks_quoted_layers_and_unverified_checksums),
		cmocka_unit_test(test_view_colour_adds_escapes_and_nothing_else),
		cmocka_unit_test(test_view_hexdump_of_the_readme_syn),
		cmocka_unit_test(test_view_hexdump_puts_data_and_padding_on_their_own_rows),
		cmocka_unit_test(test_view_hexdump_offsets_follow_the_layers),
		cmocka_unit_test(test_view_hexdump_of_nothing_says_so),
		cmocka_unit_test(test_view_osi_gives_padding_and_the_fcs_of_a_short_frame),
		cmocka_unit_test(test_view_osi_of_a_full_size_frame_has_no_padding),
		cmocka_unit_test(test_view_osi_puts_arp_in_the_link_layer_and_says_nothing_above),
		cmocka_unit_test(test_view_osi_of_an_icmp_error_leaves_the_quote_out),
		cmocka_unit_test(test_view_summary_of_arp_request_and_reply),
		cmocka_unit_test(test_view_summary_of_icmp_echo_udp_and_tcp),
		cmocka_unit_test(test_view_summary_of_an_icmp_error_is_the_icmp_line),
		cmocka_unit_test(test_view_summary_of_a_malformed_frame_names_the_error),
		cmocka_unit_test(test_view_summary_of_a_cut_header_invents_no_values),
		cmocka_unit_test(test_view_main_layer_stops_at_quotes_and_fragments),
		cmocka_unit_test(test_put_quoted_escapes_and_cuts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
