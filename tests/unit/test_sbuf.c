/* The text buffer every view writes into: formatting across its growth,
 * padding to a display column, and the files a user names. */
#include "testutil.h"

#include <errno.h>

#include "core/sbuf.h"

/* Text formatted into an sbuf that has some room, but not enough, must
 * come out whole: the first try is cut short and has to be redone. */
static void test_sbuf_printf_longer_than_the_room_left_is_whole(void **state)
{
	(void)state;
	struct sbuf sb = SBUF_INIT;
	sbuf_puts(&sb, "abc");
	size_t cap = sb.cap;
	char want[512] = "abc";
	for (int i = 0; i < 40; i++) {
		sbuf_printf(&sb, "%d:%s;", i, "xyzzy");
		snprintf(want + strlen(want), sizeof want - strlen(want), "%d:%s;", i, "xyzzy");
	}
	assert_true(sb.cap > cap);
	assert_string_equal(sbuf_str(&sb), want);
	assert_int_equal(sb.len, strlen(want));
	sbuf_free(&sb);
}

static void test_sbuf_printf_of_nothing_leaves_the_text_as_it_was(void **state)
{
	(void)state;
	struct sbuf sb = SBUF_INIT;
	sbuf_printf(&sb, "%s", "");
	assert_string_equal(sbuf_str(&sb), "");
	sbuf_puts(&sb, "kept");
	sbuf_printf(&sb, "%s", "");
	assert_string_equal(sbuf_str(&sb), "kept");
	assert_int_equal(sb.len, 4);
	sbuf_free(&sb);
}

/* Exactly filling the room: the NUL needs one byte more. */
static void test_sbuf_printf_to_the_last_byte_of_the_room(void **state)
{
	(void)state;
	struct sbuf sb = SBUF_INIT;
	sbuf_putc(&sb, 'x');	/* capacity 64, 62 bytes of room before the NUL's */
	char fill[64];
	memset(fill, 'y', sizeof fill);
	for (int n = 60; n <= 64; n++) {
		sbuf_reset(&sb);
		sbuf_putc(&sb, 'x');
		sbuf_printf(&sb, "%.*s", n, fill);
		assert_int_equal(sb.len, (size_t)n + 1);
		assert_int_equal(strlen(sbuf_str(&sb)), (size_t)n + 1);
		assert_true(sb.cap > sb.len);
	}
	sbuf_free(&sb);
}

/* Columns count what a terminal shows: colour sequences take none, a
 * Chinese character takes two. */
static void test_sbuf_pad_to_counts_display_columns(void **state)
{
	(void)state;
	struct sbuf sb = SBUF_INIT;
	sbuf_puts(&sb, "first line, long enough\n\x1b[1mab\x1b[0m");
	sbuf_pad_to(&sb, 6);
	sbuf_putc(&sb, '|');
	assert_string_equal(sbuf_str(&sb), "first line, long enough\n\x1b[1mab\x1b[0m    |");
	sbuf_puts(&sb, "\n\xe4\xb8\x89");	/* 三, two columns */
	sbuf_pad_to(&sb, 5);
	sbuf_putc(&sb, '|');
	assert_string_equal(strrchr(sbuf_str(&sb), '\n'), "\n\xe4\xb8\x89   |");
	sbuf_free(&sb);
}

static void test_sbuf_pad_to_a_column_already_passed_adds_nothing(void **state)
{
	(void)state;
	struct sbuf sb = SBUF_INIT;
	sbuf_pad_to(&sb, 0);
	assert_int_equal(sb.len, 0);
	sbuf_puts(&sb, "0123456789");
	sbuf_pad_to(&sb, 4);
	sbuf_pad_to(&sb, 10);
	assert_string_equal(sbuf_str(&sb), "0123456789");
	sbuf_pad_to(&sb, 200);
	assert_int_equal(sb.len, 200);
	assert_int_equal(sbuf_line_width(&sb), 200);
	sbuf_free(&sb);
}

static void test_sbuf_read_file_of_a_folder_is_eisdir(void **state)
{
	(void)state;
	struct sbuf sb = SBUF_INIT;
	errno = 0;
	assert_int_equal(sbuf_read_file(&sb, "/"), -1);
	assert_int_equal(errno, EISDIR);
	assert_int_equal(sbuf_read_file(&sb, "/nonexistent-stacklab-file"), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(sb.len, 0);
	sbuf_free(&sb);
}

static void test_next_line_splits_with_and_without_a_last_newline(void **state)
{
	(void)state;
	struct sbuf sb = SBUF_INIT;
	sbuf_puts(&sb, "one\n\nthree");
	char *rest = sb.s, *end = sb.s + sb.len;
	assert_string_equal(next_line(&rest, end), "one");
	assert_string_equal(next_line(&rest, end), "");
	assert_string_equal(next_line(&rest, end), "three");
	assert_null(next_line(&rest, end));
	sbuf_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sbuf_printf_longer_than_the_room_left_is_whole),
		cmocka_unit_test(test_sbuf_printf_of_nothing_leaves_the_text_as_it_was),
		cmocka_unit_test(test_sbuf_printf_to_the_last_byte_of_the_room),
		cmocka_unit_test(test_sbuf_pad_to_counts_display_columns),
		cmocka_unit_test(test_sbuf_pad_to_a_column_already_passed_adds_nothing),
		cmocka_unit_test(test_sbuf_read_file_of_a_folder_is_eisdir),
		cmocka_unit_test(test_next_line_splits_with_and_without_a_last_newline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
