#include "repl/args.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/strutil.h"
#include "proto/field.h"
#include "stack/tcp.h"

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static char *must(void *p)
{
	if (!p)
		abort();
	return p;
}

int words_split(const char *line, struct words *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; line[i]; i++) {
		unsigned char c = (unsigned char)line[i];
		if (c < 0x20 && c != '\t')
			return err_set(e, "the line holds a control character (0x%02x) at column %zu: type printable "
				       "text (hex:... sends any bytes)", c, i + 1);
	}
	const char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return 0;
		if (out->n == MAX_WORDS) {
			words_free(out);
			return err_set(e, "more than %d words on one line", MAX_WORDS);
		}
		struct sbuf word = SBUF_INIT;
		bool quoted = false;
		while (*p && *p != ' ' && *p != '\t') {
			if (*p != '"' && *p != '\'') {
				sbuf_putc(&word, *p++);
				continue;
			}
			char q = *p++;
			quoted = true;
			while (*p && *p != q) {
				if (q == '"' && *p == '\\' && p[1]) {
					p++;
					switch (*p) {
					case 'n': sbuf_putc(&word, '\n'); p++; break;
					case 't': sbuf_putc(&word, '\t'); p++; break;
					case 'r': sbuf_putc(&word, '\r'); p++; break;
					case '0': sbuf_putc(&word, '\0'); p++; break;
					case 'x':
						if (hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
							sbuf_putc(&word, (char)(hexval(p[1]) << 4 | hexval(p[2])));
							p += 3;
							break;
						}
						/* fall through */
					default: sbuf_putc(&word, *p++); break;
					}
					continue;
				}
				sbuf_putc(&word, *p++);
			}
			if (*p != q) {
				sbuf_free(&word);
				words_free(out);
				return err_set(e, "a %s quote is not closed: end the text with %c", q == '"' ? "double" : "single", q);
			}
			p++;
		}
		out->len[out->n] = word.len;
		out->quoted[out->n] = quoted;
		out->w[out->n++] = word.len ? sbuf_take(&word) : must(calloc(1, 1));
		sbuf_free(&word);
	}
}

void words_free(struct words *w)
{
	for (int i = 0; i < w->n; i++)
		free(w->w[i]);
	w->n = 0;
}

struct host *arg_host(struct world *w, const char *s, struct err *e)
{
	struct host *h = world_host(w, s);
	if (!h)
		err_set(e, "no host '%s': the hosts are a (10.0.0.1) and b (10.0.0.2)", s);
	return h;
}

bool arg_is_port(const char *s)
{
	return strchr(s, ':') != NULL;
}

int arg_peer_port(struct world *w, const char *s, struct host **h, uint16_t *port, struct err *e)
{
	const char *colon = strrchr(s, ':');
	if (!colon)
		return err_set(e, "'%s' needs a port: write PEER:PORT, like b:80", s);
	char name[64];
	size_t n = (size_t)(colon - s);
	if (n == 0 || n >= sizeof name)
		return err_set(e, "'%s' needs a host before the colon: write PEER:PORT, like b:80", s);
	memcpy(name, s, n);
	name[n] = '\0';
	if (!(*h = arg_host(w, name, e)))
		return -1;
	uint64_t p;
	if (arg_uint(colon + 1, 1, 65535, "the port", &p, e) < 0)
		return -1;
	*port = (uint16_t)p;
	return 0;
}

static bool open_sock(const struct sock *s)
{
	return !s->closed;
}

struct sock *arg_conn(struct world *w, const char *s, struct err *e)
{
	struct host *h = world_host(w, s);
	if (h) {
		/* A host alone: its only socket still open. */
		struct sock *only = NULL;
		int n = 0;
		struct sbuf ids = SBUF_INIT;
		for (struct sock *k = h->first; k; k = k->next) {
			if (!open_sock(k))
				continue;
			only = k;
			sbuf_printf(&ids, "%s%s", n++ ? ", " : "", k->id);
		}
		if (n == 1) {
			sbuf_free(&ids);
			return only;
		}
		if (n == 0)
			err_set(e, "%s has no open connection: give a socket id like %s1", h->name, h->name);
		else
			err_set(e, "%s has %d sockets (%s): say which", h->name, n, sbuf_str(&ids));
		sbuf_free(&ids);
		return NULL;
	}
	size_t k = 0;
	while (s[k] && !isdigit((unsigned char)s[k]))
		k++;
	char name[16];
	if (k == 0 || k >= sizeof name || !s[k])
		goto bad;
	memcpy(name, s, k);
	name[k] = '\0';
	h = world_host(w, name);
	uint64_t num;
	if (!h || parse_uint(s + k, &num) < 0)
		goto bad;
	struct sock *sk = host_find_sock(h, (uint32_t)num);
	if (!sk) {
		struct sbuf ids = SBUF_INIT;
		for (struct sock *x = h->first; x; x = x->next)
			sbuf_printf(&ids, "%s%s", x == h->first ? "" : ", ", x->id);
		err_set(e, "%s has no socket %s%s%s", h->name, s, ids.len ? " (it has " : "",
			ids.len ? sbuf_str(&ids) : "");
		if (ids.len)
			strncat(e->msg, ")", sizeof e->msg - strlen(e->msg) - 1);
		sbuf_free(&ids);
		return NULL;
	}
	return sk;
bad:
	err_set(e, "'%s' is not a socket: give an id like a1 or b2, or a host (a, b) with one socket", s);
	return NULL;
}

int arg_uint(const char *s, uint64_t min, uint64_t max, const char *what, uint64_t *v, struct err *e)
{
	uint64_t n;
	if (s[0] == '-' && isdigit((unsigned char)s[1]))
		return err_set(e, "%s must be from %llu to %llu (got %s)", what, (unsigned long long)min,
			       (unsigned long long)max, s);
	if (parse_uint(s, &n) < 0) {
		bool digits = *s != '\0';
		for (const char *c = s; *c; c++)
			digits &= isdigit((unsigned char)*c) != 0;
		if (digits)	/* too many digits to hold */
			return err_set(e, "%s must be from %llu to %llu (got %s)", what, (unsigned long long)min,
				       (unsigned long long)max, s);
		return err_set(e, "%s must be a whole number from %llu to %llu (got '%s')", what,
			       (unsigned long long)min, (unsigned long long)max, s);
	}
	if (n < min || n > max)
		return err_set(e, "%s must be from %llu to %llu (got %s)", what, (unsigned long long)min,
			       (unsigned long long)max, s);
	*v = n;
	return 0;
}

int arg_ms(const char *s, const char *what, vtime *v, struct err *e)
{
	char *end;
	double ms = strtod(s, &end);
	if (end == s || *end || !(ms >= 0) || ms > 1e9 || isspace((unsigned char)*s))
		return err_set(e, "%s must be milliseconds from 0 to 1000000000 (got '%s')", what, s);
	*v = (vtime)(ms * VTIME_MS + 0.5);
	return 0;
}

int arg_text(const char *s, size_t len, struct sbuf *out, struct err *e)
{
	if (strncmp(s, "hex:", 4) == 0) {
		size_t cap = len / 2 + 1;
		unsigned char *b = (unsigned char *)must(malloc(cap));
		long n = hex_decode(s, b, cap);
		if (n < 0) {
			free(b);
			return err_set(e, "'%.40s' is not hex: write hex: then pairs of hex digits, like hex:48690a", s);
		}
		sbuf_put(out, (const char *)b, (size_t)n);
		free(b);
		return 0;
	}
	sbuf_put(out, s, len);
	return 0;
}

bool arg_is_direction(const char *s)
{
	return strchr(s, '>') != NULL;
}

int arg_direction(struct world *w, const char *s, int8_t *from, int8_t *to, struct err *e)
{
	const char *gt = strchr(s, '>');
	char a[32], b[32];
	size_t n = (size_t)(gt - s);
	if (n >= sizeof a || strlen(gt + 1) >= sizeof b)
		return err_set(e, "'%s' is not a direction: write FROM>TO, like b>a", s);
	memcpy(a, s, n);
	a[n] = '\0';
	strcpy(b, gt + 1);
	struct host *ha = strcmp(a, "*") ? arg_host(w, a, e) : NULL;
	if (strcmp(a, "*") && !ha)
		return -1;
	struct host *hb = strcmp(b, "*") ? arg_host(w, b, e) : NULL;
	if (strcmp(b, "*") && !hb)
		return -1;
	if (ha && ha == hb)
		return err_set(e, "'%s' matches no frame: frames go from one host to the other (a>b or b>a)", s);
	*from = ha ? (int8_t)ha->index : -1;
	*to = hb ? (int8_t)hb->index : -1;
	return 0;
}
