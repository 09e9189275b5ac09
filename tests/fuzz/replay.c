/* A fuzz target without libFuzzer: runs LLVMFuzzerTestOneInput on each
 * file named, in one process. `make memcheck` runs it under valgrind over
 * the corpora, since valgrind sees what ASan in the fuzz builds cannot:
 * a write past the Lua stack happens inside the system's liblua, which is
 * not instrumented. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

int main(int argc, char **argv)
{
	static uint8_t buf[1 << 20];
	char **files = argv + 1;
	int nfiles = argc - 1;
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);	/* may change folder: give absolute paths */
	int n = 0;
	for (int i = 0; i < nfiles; i++) {
		FILE *f = fopen(files[i], "rb");
		if (!f) {
			fprintf(stderr, "error: cannot read %s\n", files[i]);
			return 2;
		}
		size_t len = fread(buf, 1, sizeof buf, f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, len);
		n++;
	}
	printf("replayed %d inputs\n", n);
	return 0;
}
