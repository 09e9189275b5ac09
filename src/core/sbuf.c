#include "core/sbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void grow(struct sbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	if (need <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < need)
		cap *= 2;
	char *s = realloc(sb->s, cap);
	if (!s) {
		fputs("error: out of memory\n", stderr);
		abort();
	}
	sb->s = s;
	sb->cap = cap;
}

void sbuf_free(struct sbuf *sb)
{
	free(sb->s);
	sb->s = NULL;
	sb->len = sb->cap = 0;
}

void sbuf_reset(struct sbuf *sb)
{
	sb->len = 0;
	if (sb->s)
		sb->s[0] = '\0';
}

void sbuf_put(struct sbuf *sb, const char *s, size_t n)
{
	grow(sb, n);
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

void sbuf_putc(struct sbuf *sb, char c)
{
	sbuf_put(sb, &c, 1);
}

void sbuf_puts(struct sbuf *sb, const char *s)
{
	sbuf_put(sb, s, strlen(s));
}

void sbuf_vprintf(struct sbuf *sb, const char *fmt, va_list ap)
{
	/* Formatted straight into the room there is; only text longer than
	 * that is formatted a second time, after growing. */
	size_t room = sb->cap - sb->len;
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(room ? sb->s + sb->len : NULL, room, fmt, ap);
	if (n > 0 && (size_t)n >= room) {
		grow(sb, (size_t)n);
		vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, again);
	}
	va_end(again);
	if (n <= 0) {
		if (room)
			sb->s[sb->len] = '\0';
		return;
	}
	sb->len += (size_t)n;
}

void sbuf_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sbuf_vprintf(sb, fmt, ap);
	va_end(ap);
}

/* Counts display columns: ANSI CSI sequences take none, a UTF-8 sequence
 * takes one, except the East Asian wide ranges, which take two. */
static size_t width_of(const unsigned char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		if (c == 0x1b && i + 1 < n && s[i + 1] == '[') {
			i += 2;
			while (i < n && !(s[i] >= 0x40 && s[i] <= 0x7e))
				i++;
			i++;
			continue;
		}
		if (c < 0x80) {
			w++;
			i++;
			continue;
		}
		size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		unsigned cp = 0;
		if (len == 3 && i + 2 < n)
			cp = ((c & 0x0fu) << 12) | ((s[i + 1] & 0x3fu) << 6) | (s[i + 2] & 0x3fu);
		else if (len == 4 && i + 3 < n)
			cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3fu) << 12) |
			     ((s[i + 2] & 0x3fu) << 6) | (s[i + 3] & 0x3fu);
		int wide = (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
			   (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
			   (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
			   (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) ||
			   (cp >= 0x20000 && cp <= 0x3fffd);
		w += wide ? 2 : 1;
		i += len;
	}
	return w;
}

size_t text_width(const char *s)
{
	return width_of((const unsigned char *)s, strlen(s));
}

size_t sbuf_line_width(const struct sbuf *sb)
{
	size_t start = sb->len;
	while (start > 0 && sb->s[start - 1] != '\n')
		start--;
	return sb->len ? width_of((const unsigned char *)sb->s + start, sb->len - start) : 0;
}

void sbuf_pad_to(struct sbuf *sb, size_t col)
{
	size_t w = sbuf_line_width(sb);
	if (w >= col)
		return;
	grow(sb, col - w);
	memset(sb->s + sb->len, ' ', col - w);
	sb->len += col - w;
	sb->s[sb->len] = '\0';
}

const char *sbuf_str(const struct sbuf *sb)
{
	return sb->s ? sb->s : "";
}

char *sbuf_take(struct sbuf *sb)
{
	char *s = sb->s;
	if (!s) {
		s = malloc(1);
		if (!s)
			abort();
		s[0] = '\0';
	}
	sb->s = NULL;
	sb->len = sb->cap = 0;
	return s;
}

int sbuf_read_file(struct sbuf *sb, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[4096];
	size_t n, total = 0;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		total += n;
		if (total > SBUF_FILE_MAX) {
			fclose(f);
			errno = EFBIG;
			return -1;
		}
		sbuf_put(sb, chunk, n);
	}
	/* fopen opens a folder; reading it is what fails (EISDIR). */
	int failed = ferror(f);
	int err = errno;
	fclose(f);
	if (failed) {
		errno = err ? err : EIO;
		return -1;
	}
	return 0;
}

char *next_line(char **rest, char *end)
{
	char *line = *rest;
	if (!line || line >= end)
		return NULL;
	char *nl = memchr(line, '\n', (size_t)(end - line));
	if (nl) {
		*nl = '\0';
		*rest = nl + 1;
	} else {
		*rest = end;	/* the last line, unterminated: end points at the buffer's NUL */
	}
	return line;
}
