/* The resident memory of this process, for make bench and make soak. */
#ifndef STACKLAB_TESTS_RSS_H
#define STACKLAB_TESTS_RSS_H

#include <stdio.h>
#include <unistd.h>

/* Kilobytes resident now (the second field of /proc/self/statm, in
 * pages); 0 where /proc cannot be read. */
static inline long rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, rss = 0;
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

#endif
