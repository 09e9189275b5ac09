#include "lesson/lesson.h"

#include <stdio.h>

int lesson_main(const char *mode, int argc, char **argv, const struct repl_options *ro, const char *pcap)
{
	(void)argc, (void)argv, (void)ro, (void)pcap;
	fprintf(stderr, "error: stacklab %s: lessons are not built yet\n", mode);
	return 2;
}

void lesson_attach(struct repl *r)
{
	(void)r;
}
