/* Narration for the terminal: headings, emphasis, lists and code from
 * Markdown, paragraphs wrapped to the width of the screen (wide
 * characters counted as two columns). */
#include "lesson/render.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "view/style.h"

/* Inline Markdown: `code`, **strong**, *em* and _em_, [text](url). */
static void inline_md(const char *s, size_t n, const struct view_opts *o, struct sbuf *out)
{
	for (size_t i = 0; i < n;) {
		if (s[i] == '`') {
			const char *end = memchr(s + i + 1, '`', n - i - 1);
			if (end) {
				size_t len = (size_t)(end - (s + i + 1));
				if (o->color)
					sbuf_puts(out, "\033[36m");
				else
					sbuf_putc(out, '`');
				sbuf_put(out, s + i + 1, len);
				if (o->color)
					sbuf_puts(out, C_RESET);
				else
					sbuf_putc(out, '`');
				i += len + 2;
				continue;
			}
		}
		if (s[i] == '*' && i + 1 < n && s[i + 1] == '*') {
			const char *end = strstr(s + i + 2, "**");
			if (end && end < s + n) {
				color_on(out, o, C_BOLD);
				inline_md(s + i + 2, (size_t)(end - (s + i + 2)), o, out);
				color_off(out, o);
				i = (size_t)(end - s) + 2;
				continue;
			}
		}
		if ((s[i] == '*' || s[i] == '_') && i + 1 < n && !isspace((unsigned char)s[i + 1]) &&
		    (i == 0 || !isalnum((unsigned char)s[i - 1]))) {
			const char *end = memchr(s + i + 1, s[i], n - i - 1);
			if (end && !isspace((unsigned char)end[-1])) {
				color_on(out, o, "\033[3m");
				sbuf_put(out, s + i + 1, (size_t)(end - (s + i + 1)));
				color_off(out, o);
				i = (size_t)(end - s) + 1;
				continue;
			}
		}
		if (s[i] == '[') {
			const char *close = memchr(s + i, ']', n - i);
			if (close && close + 1 < s + n && close[1] == '(') {
				const char *paren = memchr(close, ')', (size_t)(s + n - close));
				if (paren) {
					inline_md(s + i + 1, (size_t)(close - (s + i + 1)), o, out);
					sbuf_printf(out, " (%.*s)", (int)(paren - close - 2), close + 2);
					i = (size_t)(paren - s) + 1;
					continue;
				}
			}
		}
		sbuf_putc(out, s[i++]);
	}
}

/* Appends words to out, breaking lines at `width`, with `indent` spaces
 * at the start of every line but the first. */
static void wrap(const char *text, size_t width, size_t indent, struct sbuf *out)
{
	size_t col = sbuf_line_width(out);
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, " ");
		char word[1024];
		size_t wn = n < sizeof word - 1 ? n : sizeof word - 1;
		memcpy(word, p, wn);
		word[wn] = '\0';
		size_t w = text_width(word);
		if (col > indent && col + 1 + w > width) {
			sbuf_putc(out, '\n');
			for (size_t k = 0; k < indent; k++)
				sbuf_putc(out, ' ');
			col = indent;
		} else if (col > indent) {
			sbuf_putc(out, ' ');
			col++;
		}
		sbuf_put(out, p, n);
		col += w;
		p += n;
	}
}

static bool is_list_item(const char *s, size_t *marker)
{
	size_t i = 0;
	while (s[i] == ' ')
		i++;
	if ((s[i] == '-' || s[i] == '*' || s[i] == '+') && s[i + 1] == ' ') {
		*marker = i + 2;
		return true;
	}
	size_t d = i;
	while (isdigit((unsigned char)s[d]))
		d++;
	if (d > i && (s[d] == '.' || s[d] == ')') && s[d + 1] == ' ') {
		*marker = d + 2;
		return true;
	}
	return false;
}

/* One paragraph (or list item) of joined lines. */
static void flush_para(struct sbuf *para, const char *lead, size_t indent, size_t width,
		       const struct view_opts *o, struct sbuf *out)
{
	if (!para->len)
		return;
	struct sbuf styled = SBUF_INIT;
	inline_md(sbuf_str(para), para->len, o, &styled);
	sbuf_puts(out, lead);
	wrap(sbuf_str(&styled), width, indent, out);
	sbuf_putc(out, '\n');
	sbuf_free(&styled);
	sbuf_reset(para);
}

void render_markdown(const char *md, size_t width, const struct view_opts *o, struct sbuf *out)
{
	struct sbuf para = SBUF_INIT;
	char lead[64] = "";
	size_t indent = 0;
	bool in_code = false;
	const char *p = md;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[4096];
		size_t ln = len < sizeof line - 1 ? len : sizeof line - 1;
		memcpy(line, p, ln);
		line[ln] = '\0';
		p += len + (nl ? 1 : 0);
		const char *t = line;
		while (*t == ' ')
			t++;
		if (strncmp(t, "```", 3) == 0 || strncmp(t, "~~~", 3) == 0) {
			flush_para(&para, lead, indent, width, o, out);
			in_code = !in_code;
			continue;
		}
		if (in_code) {
			color_on(out, o, C_DIM);
			sbuf_printf(out, "    %s", line);
			color_off(out, o);
			sbuf_putc(out, '\n');
			continue;
		}
		size_t marker;
		if (!*t) {
			flush_para(&para, lead, indent, width, o, out);
			if (out->len && !(out->len >= 2 && out->s[out->len - 2] == '\n'))
				sbuf_putc(out, '\n');
			lead[0] = '\0';
			indent = 0;
		} else if (*t == '#') {
			flush_para(&para, lead, indent, width, o, out);
			int level = 0;
			while (t[level] == '#')
				level++;
			const char *h = t + level;
			while (*h == ' ')
				h++;
			struct sbuf hs = SBUF_INIT;
			inline_md(h, strlen(h), o, &hs);
			color_on(out, o, level == 1 ? "\033[1;4m" : C_BOLD);
			sbuf_puts(out, sbuf_str(&hs));
			color_off(out, o);
			sbuf_putc(out, '\n');
			if (!o->color && level <= 2) {
				for (size_t k = text_width(sbuf_str(&hs)); k > 0; k--)
					sbuf_putc(out, level == 1 ? '=' : '-');
				sbuf_putc(out, '\n');
			}
			sbuf_free(&hs);
			lead[0] = '\0';
			indent = 0;
		} else if (*t == '|' || strncmp(t, "<", 1) == 0) {
			/* a table row, or HTML: as it is (tags are dropped) */
			flush_para(&para, lead, indent, width, o, out);
			if (*t == '|')
				sbuf_printf(out, "%s\n", line);
		} else if (*t == '>') {
			flush_para(&para, lead, indent, width, o, out);
			const char *q = t + 1;
			while (*q == ' ')
				q++;
			snprintf(lead, sizeof lead, "%s", o->utf8 ? "\u2502 " : "| ");
			indent = 2;
			sbuf_puts(&para, q);
		} else if (is_list_item(line, &marker)) {
			flush_para(&para, lead, indent, width, o, out);
			size_t at = (size_t)(t - line);
			bool bullet = *t == '-' || *t == '*' || *t == '+';
			if (bullet)
				snprintf(lead, sizeof lead, "%*s%s ", (int)at + 2, "", o->utf8 ? "\u2022" : "-");
			else
				snprintf(lead, sizeof lead, "%*s%.*s ", (int)at + 2, "", (int)(marker - at - 1), t);
			indent = text_width(lead);
			sbuf_puts(&para, line + marker);
		} else {
			if (para.len)
				sbuf_putc(&para, ' ');
			sbuf_puts(&para, t);
		}
	}
	flush_para(&para, lead, indent, width, o, out);
	sbuf_free(&para);
}
