/* Any lines typed at the REPL, on a fresh world: commands and Lua, parsed
 * and run. Nothing may crash, hang or leak; errors are fine. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repl/repl.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	/* Files the input makes (capture, io.open) land in a folder of their own. */
	char dir[] = "/tmp/stacklab-fuzz-XXXXXX";
	if (mkdtemp(dir) && chdir(dir) == 0)
		return 0;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	struct repl_options o = {0};
	o.seed = 1;
	o.lua.max_steps = 200000;
	o.lua.max_mem = 32u << 20;
	o.lua.no_files = true;	/* the input may name any path */
	struct repl r;
	if (repl_init(&r, &o) < 0)
		abort();
	struct sbuf out = SBUF_INIT;
	r.capture = &out;
	char *text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	int lines = 0;
	for (char *line = text; line && lines < 32 && !r.quit; lines++) {
		char *nl = memchr(line, '\n', strlen(line));
		if (nl)
			*nl = '\0';
		repl_line(&r, line);
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	r.capture = NULL;
	sbuf_free(&out);
	repl_free(&r);
	return 0;
}
