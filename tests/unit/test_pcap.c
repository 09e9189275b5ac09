/* pcap files: written and read back, and every way a file can be wrong. */
#include "testutil.h"

#include <unistd.h>

#include "view/pcap.h"

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/stacklab-pcap-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	(void)state;
	static const char *const names[] = {"a.pcap", "b.pcap", "c.pcap", "cut.pcap", "hand.pcap", "text.pcap", NULL};
	char path[128];
	for (int i = 0; names[i]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	return rmdir(dir);
}

static const char *path_of(const char *name)
{
	static char path[128];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return path;
}

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static size_t read_file(const char *path, uint8_t *out, size_t cap)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t n = fread(out, 1, cap, f);
	fclose(f);
	return n;
}

/* A little-endian pcap global header: magic, version 2.4, zone 0, sigfigs
 * 0, snaplen 65535, the link type. */
static size_t global_header(uint8_t *b, uint32_t magic, uint32_t linktype)
{
	uint32_t w[6] = {magic, 0x00040002, 0, 0, 65535, linktype};
	for (int i = 0; i < 6; i++)
		for (int k = 0; k < 4; k++)
			b[4 * i + k] = (uint8_t)(w[i] >> 8 * k);
	return 24;
}

static size_t record_header(uint8_t *b, uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t len)
{
	uint32_t w[4] = {sec, frac, caplen, len};
	for (int i = 0; i < 4; i++)
		for (int k = 0; k < 4; k++)
			b[4 * i + k] = (uint8_t)(w[i] >> 8 * k);
	return 16;
}

static void write_three_frames(const char *path)
{
	struct err e;
	struct pcap_out *w = pcap_out_open(path, &e);
	assert_non_null(w);
	uint8_t f1[60] = {0x02, 0, 0, 0, 0, 0x0b}, f2[14] = {0xff}, f3[1514];
	for (size_t i = 0; i < sizeof f3; i++)
		f3[i] = (uint8_t)i;
	pcap_out_frame(w, 0, f1, sizeof f1);
	pcap_out_frame(w, 1500000, f2, sizeof f2);	/* 1.5 s */
	pcap_out_frame(w, 1234567890123456LL, f3, sizeof f3);
	assert_int_equal(pcap_out_close(w, &e), 0);
}

static void test_pcap_frames_and_microsecond_times_read_back(void **state)
{
	(void)state;
	const char *path = path_of("a.pcap");
	write_three_frames(path);
	struct err e;
	struct pcap_in *r = pcap_in_open(path, &e);
	assert_non_null(r);
	int64_t t;
	const uint8_t *frame;
	size_t len;
	assert_int_equal(pcap_in_next(r, &t, &frame, &len, &e), 1);
	assert_int_equal(t, 0);
	assert_int_equal(len, 60);
	assert_int_equal(frame[0], 0x02);
	assert_int_equal(frame[5], 0x0b);
	assert_int_equal(pcap_in_next(r, &t, &frame, &len, &e), 1);
	assert_int_equal(t, 1500000);
	assert_int_equal(len, 14);
	assert_int_equal(frame[0], 0xff);
	assert_int_equal(pcap_in_next(r, &t, &frame, &len, &e), 1);
	assert_int_equal(t, 1234567890123456LL);
	assert_int_equal(len, 1514);
	for (size_t i = 0; i < len; i++)
		assert_int_equal(frame[i], (uint8_t)i);
	assert_int_equal(pcap_in_next(r, &t, &frame, &len, &e), 0);
	assert_int_equal(pcap_in_next(r, &t, &frame, &len, &e), 0);
	pcap_in_close(r);
}

/* The bytes on disk are the classic format: magic a1b2c3d4 (microseconds),
 * version 2.4, link type 1 (Ethernet), then each record's header. */
static void test_pcap_file_layout_is_classic_microsecond_ethernet(void **state)
{
	(void)state;
	const char *path = path_of("a.pcap");
	write_three_frames(path);
	uint8_t b[2000];
	size_t n = read_file(path, b, sizeof b);
	assert_int_equal(n, 24 + 16 + 60 + 16 + 14 + 16 + 1514);
	assert_memory_equal(b, "\xd4\xc3\xb2\xa1\x02\x00\x04\x00", 8);
	assert_memory_equal(b + 20, "\x01\x00\x00\x00", 4);
	/* The second record: 1 s and 500000 us, 14 bytes captured of 14. */
	const uint8_t *r2 = b + 24 + 16 + 60;
	assert_memory_equal(r2, "\x01\x00\x00\x00\x20\xa1\x07\x00\x0e\x00\x00\x00\x0e\x00\x00\x00", 16);
}

static void test_pcap_empty_capture_reads_as_no_frames(void **state)
{
	(void)state;
	const char *path = path_of("b.pcap");
	struct err e;
	struct pcap_out *w = pcap_out_open(path, &e);
	assert_non_null(w);
	assert_int_equal(pcap_out_close(w, &e), 0);
	struct pcap_in *r = pcap_in_open(path, &e);
	assert_non_null(r);
	int64_t t;
	const uint8_t *frame;
	size_t len;
	assert_int_equal(pcap_in_next(r, &t, &frame, &len, &e), 0);
	pcap_in_close(r);
	pcap_in_close(NULL);	/* harmless */
}

static void test_pcap_negative_time_is_written_as_zero_and_long_frames_are_cut(void **state)
{
	(void)state;
	const char *path = path_of("b.pcap");
	struct err e;
	struct pcap_out *w = pcap_out_open(path, &e);
	assert_non_null(w);
	uint8_t *big = calloc(1, 70000);
	assert_non_null(big);
	big[65534] = 0x5a;
	pcap_out_frame(w, -5, big, 70000);
	assert_int_equal(pcap_out_close(w, &e), 0);
	free(big);
	struct pcap_in *r = pcap_in_open(path, &e);
	assert_non_null(r);
	int64_t t = -1;
	const uint8_t *frame;
	size_t len;
	assert_int_equal(pcap_in_next(r, &t, &frame, &len, &e), 1);
	assert_int_equal(t, 0);
	assert_int_equal(len, 65535);	/* the snap length */
	assert_int_equal(frame[65534], 0x5a);
	pcap_in_close(r);
}

static void test_pcap_writing_into_a_missing_folder_fails_clearly(void **state)
{
	(void)state;
	struct err e;
	memset(&e, 0, sizeof e);
	char path[160];
	snprintf(path, sizeof path, "%s/no-such-folder/x.pcap", dir);
	assert_null(pcap_out_open(path, &e));
	assert_contains(e.msg, "cannot write '");
	assert_contains(e.msg, "no-such-folder/x.pcap");
	assert_contains(e.msg, "No such file or directory");
}

static void test_pcap_reading_a_missing_file_fails_clearly(void **state)
{
	(void)state;
	struct err e;
	memset(&e, 0, sizeof e);
	assert_null(pcap_in_open(path_of("missing.pcap"), &e));
	assert_contains(e.msg, "cannot read '");
	assert_contains(e.msg, "missing.pcap' as a pcap file");
	assert_contains(e.msg, "No such file or directory");
	assert_null(strchr(e.msg, '\n'));
}

static void test_pcap_file_cut_in_the_global_header_is_refused(void **state)
{
	(void)state;
	const char *src = path_of("a.pcap"), *cut = path_of("cut.pcap");
	write_three_frames(src);
	uint8_t b[2000];
	read_file(src, b, sizeof b);
	static const size_t cuts[] = {0, 2, 4, 10, 23};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		write_file(cut, b, cuts[i]);
		struct err e;
		memset(&e, 0, sizeof e);
		if (pcap_in_open(cut, &e))
			fail_msg("a file of %zu bytes was opened", cuts[i]);
		assert_contains(e.msg, "cannot read '");
		assert_contains(e.msg, "as a pcap file: ");
		assert_null(strchr(e.msg, '\n'));
	}
}

/* Reads every record of path; returns what the last pcap_in_next said and
 * counts the frames read. */
static int read_all(const char *path, int *frames, struct err *e)
{
	struct pcap_in *r = pcap_in_open(path, e);
	assert_non_null(r);
	int64_t t;
	const uint8_t *frame;
	size_t len;
	int rc;
	*frames = 0;
	while ((rc = pcap_in_next(r, &t, &frame, &len, e)) == 1)
		++*frames;
	pcap_in_close(r);
	return rc;
}

static void test_pcap_file_cut_in_a_record_header_is_damaged(void **state)
{
	(void)state;
	const char *src = path_of("a.pcap"), *cut = path_of("cut.pcap");
	write_three_frames(src);
	uint8_t b[2000];
	read_file(src, b, sizeof b);
	size_t second = 24 + 16 + 60;
	for (size_t n = second + 1; n < second + 16; n++) {
		write_file(cut, b, n);
		struct err e;
		memset(&e, 0, sizeof e);
		int frames;
		assert_int_equal(read_all(cut, &frames, &e), -1);
		assert_int_equal(frames, 1);
		assert_contains(e.msg, "cut.pcap' is damaged: ");
		assert_contains(e.msg, "truncated");
	}
}

static void test_pcap_file_cut_in_record_data_is_damaged(void **state)
{
	(void)state;
	const char *src = path_of("a.pcap"), *cut = path_of("cut.pcap");
	write_three_frames(src);
	uint8_t b[2000];
	read_file(src, b, sizeof b);
	size_t third = 24 + 16 + 60 + 16 + 14 + 16;
	static const size_t cuts[] = {0, 1, 100, 1513};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		write_file(cut, b, third + cuts[i]);
		struct err e;
		memset(&e, 0, sizeof e);
		int frames;
		assert_int_equal(read_all(cut, &frames, &e), -1);
		assert_int_equal(frames, 2);
		assert_contains(e.msg, "is damaged: ");
	}
}

static void test_pcap_file_cut_between_records_ends_cleanly(void **state)
{
	(void)state;
	const char *src = path_of("a.pcap"), *cut = path_of("cut.pcap");
	write_three_frames(src);
	uint8_t b[2000];
	read_file(src, b, sizeof b);
	struct err e;
	int frames;
	write_file(cut, b, 24);
	assert_int_equal(read_all(cut, &frames, &e), 0);
	assert_int_equal(frames, 0);
	write_file(cut, b, 24 + 16 + 60 + 16 + 14);
	assert_int_equal(read_all(cut, &frames, &e), 0);
	assert_int_equal(frames, 2);
}

static void test_pcap_record_with_a_huge_caplen_is_damaged_not_a_crash(void **state)
{
	(void)state;
	uint8_t b[24 + 16 + 60] = {0};
	size_t n = global_header(b, 0xa1b2c3d4, 1);
	n += record_header(b + n, 1, 0, 0xffffffffu, 0xffffffffu);
	n += 60;
	const char *path = path_of("hand.pcap");
	write_file(path, b, n);
	struct err e;
	memset(&e, 0, sizeof e);
	int frames;
	assert_int_equal(read_all(path, &frames, &e), -1);
	assert_int_equal(frames, 0);
	assert_contains(e.msg, "hand.pcap' is damaged: ");
	/* caplen just above the snap length limit as well */
	record_header(b + 24, 1, 0, 300000, 300000);
	write_file(path, b, n);
	assert_int_equal(read_all(path, &frames, &e), -1);
}

static void test_pcap_foreign_link_types_are_refused(void **state)
{
	(void)state;
	static const uint32_t types[] = {101, 113, 0, 105};	/* raw IP, Linux cooked, BSD loopback, 802.11 */
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		uint8_t b[24 + 16 + 20] = {0};
		size_t n = global_header(b, 0xa1b2c3d4, types[i]);
		n += record_header(b + n, 0, 0, 20, 20);
		b[n] = 0x45;
		n += 20;
		const char *path = path_of("hand.pcap");
		write_file(path, b, n);
		struct err e;
		memset(&e, 0, sizeof e);
		if (pcap_in_open(path, &e))
			fail_msg("link type %u was opened", types[i]);
		assert_contains(e.msg, "hand.pcap' holds link type ");
		assert_contains(e.msg, "not Ethernet: stacklab reads Ethernet captures only");
	}
}

static void test_pcap_text_file_is_not_a_capture(void **state)
{
	(void)state;
	const char *path = path_of("text.pcap");
	const char text[] = "this is not a capture, just some words in a file\n";
	write_file(path, text, sizeof text - 1);
	struct err e;
	memset(&e, 0, sizeof e);
	assert_null(pcap_in_open(path, &e));
	assert_contains(e.msg, "text.pcap' as a pcap file: ");
}

/* Files written elsewhere: big-endian, and with nanosecond timestamps
 * (read as microseconds, rounded down). */
static void test_pcap_big_endian_and_nanosecond_files_are_read(void **state)
{
	(void)state;
	uint8_t b[24 + 16 + 14] = {0};
	/* Big-endian: the same words written most significant byte first. */
	static const uint8_t be[24 + 16] = {
		0xa1, 0xb2, 0xc3, 0xd4, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 1,
		0, 0, 0, 2, 0, 0, 0, 7, 0, 0, 0, 14, 0, 0, 0, 14,
	};
	memcpy(b, be, sizeof be);
	b[40] = 0xee;
	const char *path = path_of("hand.pcap");
	write_file(path, b, sizeof b);
	struct err e;
	struct pcap_in *r = pcap_in_open(path, &e);
	assert_non_null(r);
	int64_t t;
	const uint8_t *frame;
	size_t len;
	assert_int_equal(pcap_in_next(r, &t, &frame, &len, &e), 1);
	assert_int_equal(t, 2000007);
	assert_int_equal(len, 14);
	assert_int_equal(frame[0], 0xee);
	pcap_in_close(r);

	size_t n = global_header(b, 0xa1b23c4d, 1);	/* nanosecond magic */
	record_header(b + n, 1, 123456789, 14, 14);
	write_file(path, b, sizeof b);
	r = pcap_in_open(path, &e);
	assert_non_null(r);
	assert_int_equal(pcap_in_next(r, &t, &frame, &len, &e), 1);
	assert_int_equal(t, 1123456);
	pcap_in_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pcap_frames_and_microsecond_times_read_back),
		cmocka_unit_test(test_pcap_file_layout_is_classic_microsecond_ethernet),
		cmocka_unit_test(test_pcap_empty_capture_reads_as_no_frames),
		cmocka_unit_test(test_pcap_negative_time_is_written_as_zero_and_long_frames_are_cut),
		cmocka_unit_test(test_pcap_writing_into_a_missing_folder_fails_clearly),
		cmocka_unit_test(test_pcap_reading_a_missing_file_fails_clearly),
		cmocka_unit_test(test_pcap_file_cut_in_the_global_header_is_refused),
		cmocka_unit_test(test_pcap_file_cut_in_a_record_header_is_damaged),
		cmocka_unit_test(test_pcap_file_cut_in_record_data_is_damaged),
		cmocka_unit_test(test_pcap_file_cut_between_records_ends_cleanly),
		cmocka_unit_test(test_pcap_record_with_a_huge_caplen_is_damaged_not_a_crash),
		cmocka_unit_test(test_pcap_foreign_link_types_are_refused),
		cmocka_unit_test(test_pcap_text_file_is_not_a_capture),
		cmocka_unit_test(test_pcap_big_endian_and_nanosecond_files_are_read),
	};
	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
