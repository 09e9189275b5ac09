/* A growable text buffer: every view writes into one, and whoever made it
 * frees it (or takes its string with sbuf_take). */
#ifndef STACKLAB_CORE_SBUF_H
#define STACKLAB_CORE_SBUF_H

#include <stdarg.h>
#include <stddef.h>

struct sbuf {
	char *s;	/* always NUL-terminated once anything is written */
	size_t len;
	size_t cap;
};

#define SBUF_INIT {0, 0, 0}

void sbuf_free(struct sbuf *sb);
void sbuf_reset(struct sbuf *sb);
void sbuf_putc(struct sbuf *sb, char c);
void sbuf_put(struct sbuf *sb, const char *s, size_t n);
void sbuf_puts(struct sbuf *sb, const char *s);
void sbuf_printf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sbuf_vprintf(struct sbuf *sb, const char *fmt, va_list ap);
/* Pads with spaces until the current line is `col` display columns wide. */
void sbuf_pad_to(struct sbuf *sb, size_t col);
/* Display width of the current (last) line, counting UTF-8 characters and
 * skipping ANSI colour sequences. */
size_t sbuf_line_width(const struct sbuf *sb);
/* The text, never NULL ("" when empty); valid until the next write. */
const char *sbuf_str(const struct sbuf *sb);
/* Hands the string to the caller, who frees it; the buffer is left empty. */
char *sbuf_take(struct sbuf *sb);

/* The files a user names (lessons, scripts, files of REPL lines) are read
 * whole, and at most this big: /dev/zero must not fill the memory. */
#define SBUF_FILE_MAX ((size_t)64 << 20)
/* Appends the whole file at path; -1 with errno set when it cannot be
 * read: EISDIR for a folder, EFBIG when it holds more than SBUF_FILE_MAX
 * bytes. */
int sbuf_read_file(struct sbuf *sb, const char *path);
/* Cuts the next line off the text from *rest to end in place (its '\n'
 * becomes the end of the string) and returns it; NULL when the text is
 * used up. For an sbuf's text (from sb->s to sb->s + sb->len, NUL after
 * it): lines end at '\n', the last one maybe without. */
char *next_line(char **rest, char *end);

/* Display width of a NUL-terminated string, as sbuf_line_width counts. */
size_t text_width(const char *s);

#endif
