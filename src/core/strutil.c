#include "core/strutil.h"

#include <ctype.h>
#include <string.h>

bool str_ieq(const char *a, const char *b)
{
	/* Equal bytes need no tolower (a call per byte); field and command
	 * lookups try many names, most of them different from the first byte. */
	while (*a && (*a == *b || tolower((unsigned char)*a) == tolower((unsigned char)*b)))
		a++, b++;
	return *a == '\0' && *b == '\0';
}

size_t edit_distance(const char *a, const char *b)
{
	enum { MAX = 100 };
	size_t la = strlen(a), lb = strlen(b);
	if (la >= MAX || lb >= MAX)
		return MAX;
	size_t row[MAX + 1];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			size_t best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *closest_word(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t best_d = 3;
	size_t len = strlen(word);
	for (size_t i = 0; i < n; i++) {
		/* The distance is at least the difference in length: most
		 * candidates are ruled out without the table. */
		size_t lc = strlen(cands[i]);
		if ((len > lc ? len - lc : lc - len) >= best_d)
			continue;
		size_t d = edit_distance(word, cands[i]);
		if (d < best_d && d * 2 <= len) {
			best = cands[i];
			best_d = d;
		}
	}
	return best;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

long hex_decode(const char *s, unsigned char *out, size_t cap)
{
	if (strncmp(s, "hex:", 4) == 0)
		s += 4;
	else if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	size_t n = 0;
	while (*s) {
		if (*s == ' ' || *s == ':' || *s == '-') {
			s++;
			continue;
		}
		int hi = hexval((unsigned char)s[0]);
		int lo = s[1] ? hexval((unsigned char)s[1]) : -1;
		if (hi < 0 || lo < 0 || n >= cap)
			return -1;
		out[n++] = (unsigned char)(hi << 4 | lo);
		s += 2;
	}
	return (long)n;
}
