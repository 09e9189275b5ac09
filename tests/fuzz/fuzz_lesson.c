/* Any text as a lesson file: the parser says what is wrong, never more. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct lesson l;
	struct err e;
	if (lesson_parse("fuzz.md", text, &l, &e) == 0)
		lesson_free(&l);
	free(text);
	return 0;
}
