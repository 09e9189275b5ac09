/* Tab completion, from the command table: each argument position of a
 * command says what it takes, and that says what to offer. */
#include <readline/readline.h>
#include <stdlib.h>
#include <string.h>

#include "core/strutil.h"
#include "proto/field.h"
#include "repl/repl.h"

/* readline's generator takes no context: the candidates of the current
 * completion live here while readline asks for them one by one. */
static struct {
	struct repl *r;
	char *cand[512];
	int n, next;
} cs;

static void add(const char *s)
{
	if (cs.n < 512)
		cs.cand[cs.n++] = strdup(s);
}

static void clear(void)
{
	for (int i = 0; i < cs.n; i++)
		free(cs.cand[i]);
	cs.n = cs.next = 0;
}

static char *generate(const char *text, int state)
{
	if (state == 0)
		cs.next = 0;
	size_t len = strlen(text);
	while (cs.next < cs.n) {
		const char *c = cs.cand[cs.next++];
		if (strncmp(c, text, len) == 0)
			return strdup(c);
	}
	return NULL;
}

static void add_hosts(struct world *w, const char *suffix)
{
	for (int i = 0; i < w->nhosts; i++) {
		char s[32];
		snprintf(s, sizeof s, "%s%s", w->hosts[i].name, suffix);
		add(s);
	}
}

static void add_conns(struct world *w)
{
	for (int i = 0; i < w->nhosts; i++)
		for (struct sock *s = w->hosts[i].first; s; s = s->next)
			add(s->id);
	add_hosts(w, "");
}

static void add_list(const char *const *list)
{
	for (int i = 0; list && list[i]; i++)
		add(list[i]);
}

static void add_setting_values(const char *name)
{
	static const char *const onoff[] = {"on", "off", NULL}, *const mode[] = {"auto", "step", NULL},
				   *const hs[] = {"three-way", "two-way", NULL};
	if (str_ieq(name, "relseq") || str_ieq(name, "time-wait"))
		add_list(onoff);
	else if (str_ieq(name, "mode"))
		add_list(mode);
	else if (str_ieq(name, "handshake"))
		add_list(hs);
}

static void add_fields(const char *layer)
{
	const struct proto_def *def = proto_lookup(layer);
	if (!def)
		return;
	for (int i = 0; i < def->nfields; i++) {
		char s[40];
		snprintf(s, sizeof s, "%s=", def->fields[i].name);
		add(s);
	}
	if (def == &proto_tcp)
		add("data=");
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	struct repl *r = cs.r;
	clear();
	rl_attempted_completion_over = 1;	/* no file names unless asked */
	struct words a;
	char *head = strndup(rl_line_buffer, (size_t)start);
	if (!head || words_split(head, &a, NULL) < 0) {
		free(head);
		return NULL;
	}
	free(head);
	if (a.n == 0) {
		for (const struct command *c = commands; c->name; c++)
			add(c->name);
		words_free(&a);
		return rl_completion_matches(text, generate);
	}
	const struct command *c = command_find(a.w[0]);
	int pos = a.n - 1;	/* which argument is being typed */
	if (!c) {
		words_free(&a);
		return NULL;
	}
	uint8_t kind = c->complete[pos < 3 ? pos : 3];
	if (c->complete[0] == A_SUBCMD && c->subcmds && pos >= 1 && strcmp(c->name, "pkt") == 0)
		kind = A_FIELD;
	struct world *w = r->lw.w;
	switch (kind) {
	case A_HOST: add_hosts(w, ""); break;
	case A_CONN: add_conns(w); break;
	case A_PEERPORT:
		add_hosts(w, ":");
		rl_completion_append_character = '\0';
		break;
	case A_SETTING:
		if (pos == 0)
			add_list(c->subcmds);
		break;
	case A_SUBCMD: add_list(c->subcmds); break;
	case A_CMD:
		for (const struct command *k = commands; k->name; k++)
			add(k->name);
		break;
	case A_DIRECTION: add("a>b"); add("b>a"); break;
	case A_FLAGS: {
		static const char *const f[] = {"SYN", "SYN,ACK", "ACK", "PSH,ACK", "FIN,ACK", "RST", "RST,ACK", NULL};
		add_list(f);
		break;
	}
	case A_FIELD:
		if (pos == 1 && strcmp(a.w[1], "set") != 0) {
			add_fields(a.w[1]);
			if (!proto_lookup(a.w[1]) && strcmp(a.w[1], "send") == 0)
				add_hosts(w, "");
		} else if (pos == 1 || (pos == 2 && strcmp(a.w[1], "set") == 0)) {
			static const char *const layers[] = {"eth", "arp", "ip", "icmp", "udp", "tcp", NULL};
			add_list(layers);
		} else {
			add_fields(strcmp(a.w[1], "set") == 0 ? a.w[2] : a.w[1]);
		}
		rl_completion_append_character = '\0';
		break;
	case A_FILE:
	case A_NEWFILE:
	case A_LESSON:
		rl_attempted_completion_over = 0;
		words_free(&a);
		return rl_completion_matches(text, rl_filename_completion_function);
	default:
		break;
	}
	if (strcmp(c->name, "set") == 0 && pos == 1)
		add_setting_values(a.w[1]);
	if (strcmp(c->name, "drop") == 0 && pos == 0)
		add("next");
	words_free(&a);
	return cs.n ? rl_completion_matches(text, generate) : NULL;
}

void repl_completion_install(struct repl *r)
{
	cs.r = r;
	rl_readline_name = "stacklab";
	rl_attempted_completion_function = complete;
	rl_basic_word_break_characters = " \t\n\"'";
}
