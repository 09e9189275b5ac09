# stacklab: build, run, test, bench.
#
#   make            build build/stacklab
#   make run        install what is missing, build, start the REPL
#   make test       every test, in a normal build and under ASan+UBSan
#   make bench      the speed figures
#   make install PREFIX=/usr/local     make clean
#
# B is the build folder; SAN=1 builds with AddressSanitizer and
# UndefinedBehaviorSanitizer, made to abort on the first report.

.DEFAULT_GOAL := all
B      ?= build
PREFIX ?= /usr/local
PKGS   := lua5.4 readline libpcap
VERSION := 0.1.0

SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT ?= -O3
# The program, the bench and the soak are optimised across files at link
# time (with gcc). The objects are "fat" (they keep their plain code too),
# so the unit tests link them without redoing that work. Sanitizer,
# valgrind and fuzz builds, and other compilers, do without.
CC_IS_CLANG := $(findstring clang,$(shell $(CC) --version 2>/dev/null))
LTO ?= $(if $(SAN)$(CC_IS_CLANG),,-flto=auto -ffat-lto-objects)
AR := $(if $(LTO),gcc-ar,ar)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes $(OPT) -g \
           -D_POSIX_C_SOURCE=200809L -DSTACKLAB_VERSION='"$(VERSION)"' \
           -Isrc $(PKG_CFLAGS) $(if $(SAN),$(SAN_FLAGS)) $(EXTRA_CFLAGS)
LDFLAGS := $(if $(SAN),$(SAN_FLAGS)) $(EXTRA_LDFLAGS)
LDLIBS  := $(PKG_LIBS) -lm

LIB_SRC  := $(sort $(shell find src -name '*.c' ! -name main.c))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(B)/obj/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: all run test check deps test-deps bench install clean libs-present fuzz fuzz-run fuzz-long fuzz-targets memcheck soak
all: $(B)/stacklab

# The libraries must be there before anything compiles; say how to get them.
libs-present:
	@pkg-config --exists $(PKGS) 2>/dev/null || { \
	  echo "error: missing libraries ($(PKGS)); run 'scripts/install-deps.sh' or 'make run'" >&2; exit 1; }

Q := $(if $(V),,@)

$(B)/obj/%.o: src/%.c | libs-present
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(LTO) -MMD -MP -c $< -o $@

$(B)/libstacklab.a: $(LIB_OBJ)
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

$(B)/stacklab: $(B)/obj/main.o $(B)/libstacklab.a
	@echo "  LINK    $@"
	$(Q)$(CC) $(OPT) $(LTO) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/%: tests/unit/%.c tests/unit/testutil.h tests/unit/tcptest.h $(B)/libstacklab.a
	@mkdir -p $(dir $@)
	@echo "  TEST    $<"
	$(Q)$(CC) $(CFLAGS) $(if $(LTO),-fno-lto) -Itests/unit $(LDFLAGS) -o $@ $< $(B)/libstacklab.a $(LDLIBS) -lcmocka

$(B)/bench/bench: tests/bench/bench.c $(B)/libstacklab.a
	@mkdir -p $(dir $@)
	@echo "  BENCH   $<"
	$(Q)$(CC) $(CFLAGS) $(LTO) $(LDFLAGS) -o $@ $< $(B)/libstacklab.a $(LDLIBS)

$(B)/soak/soak: tests/soak/soak.c $(B)/libstacklab.a
	@mkdir -p $(dir $@)
	@echo "  SOAK    $<"
	$(Q)$(CC) $(CFLAGS) $(LTO) $(LDFLAGS) -o $@ $< $(B)/libstacklab.a $(LDLIBS)

# A million connection cycles with 1% loss in one world: bytes checked,
# resident memory after the warm-up may grow by less than 1 MB.
SOAK_CYCLES ?= 1000000
soak: deps
	@$(MAKE) --no-print-directory $(B)/soak/soak
	@$(B)/soak/soak $(SOAK_CYCLES)

deps:
	@sh scripts/install-deps.sh

test-deps:
	@sh scripts/install-deps.sh test

run: deps
	@$(MAKE) --no-print-directory all
	@$(B)/stacklab

# One build folder's worth of tests; `make test` runs it twice.
check: $(B)/stacklab $(TEST_BIN)
	@sh tests/run.sh $(B)

test: test-deps
	@rm -f build/counts build/asan/counts build/fuzz/counts
	@$(MAKE) --no-print-directory check B=build
	@$(MAKE) --no-print-directory check B=build/asan SAN=1 OPT=-O1
	@$(MAKE) --no-print-directory fuzz-run FUZZ_SECONDS=$(FUZZ_SECONDS)
	@sh tests/summary.sh build/counts build/asan/counts build/fuzz/counts

bench: deps
	@$(MAKE) --no-print-directory $(B)/stacklab $(B)/bench/bench
	@$(B)/bench/bench
	@$(B)/stacklab --unsafe tests/bench/bench.lua

# Fuzzing (libFuzzer, clang): one target per parser, and TCP in every state.
FUZZ_TARGETS := frame repl lesson lua_pkt tcp
FUZZ_SECONDS ?= 30
FB := build/fuzz
FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

fuzz:
	@sh scripts/install-deps.sh fuzz
	@$(MAKE) --no-print-directory B=$(FB) CC=clang AR=ar LTO= OPT=-O1 EXTRA_CFLAGS="$(FUZZ_FLAGS)" \
		EXTRA_LDFLAGS="-fsanitize=address,undefined" fuzz-targets

fuzz-targets: $(FUZZ_TARGETS:%=$(B)/fuzz_%)

$(B)/fuzz_%: tests/fuzz/fuzz_%.c $(B)/libstacklab.a
	@echo "  FUZZ    $<"
	$(Q)$(CC) $(CFLAGS) -fsanitize=fuzzer $< $(B)/libstacklab.a $(LDLIBS) -o $@

# Runs every target for FUZZ_SECONDS from its seed corpus; new inputs go to
# build/fuzz/corpus, never into the tree.
fuzz-run: fuzz
	@sh tests/fuzz/run.sh $(FB) $(FUZZ_SECONDS) "$(FUZZ_TARGETS)"

# The long run: FUZZ_RUNS executions of every target (hours, not for CI).
FUZZ_RUNS ?= 10000000
fuzz-long: fuzz
	@sh tests/fuzz/run.sh $(FB) runs:$(FUZZ_RUNS) "$(FUZZ_TARGETS)"

# Every unit suite, command-line transcript, lesson and fuzz corpus under
# valgrind, in a plain -O1 build of its own (slow, so not part of `make test`).
MB := build/memcheck
memcheck:
	@sh scripts/install-deps.sh memcheck
	@$(MAKE) -s --no-print-directory B=$(MB) SAN= LTO= OPT=-O1 $(MB)/stacklab $(TEST_SRC:tests/unit/%.c=$(MB)/tests/%) \
		$(FUZZ_TARGETS:%=$(MB)/replay/replay_%)
	@sh tests/memcheck.sh $(MB)

# A fuzz target run over files without libFuzzer (tests/fuzz/replay.c).
$(B)/replay/replay_%: tests/fuzz/replay.c tests/fuzz/fuzz_%.c $(B)/libstacklab.a
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ tests/fuzz/replay.c tests/fuzz/fuzz_$*.c $(B)/libstacklab.a $(LDLIBS)

install: $(B)/stacklab
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/stacklab/lessons
	install -m 755 $(B)/stacklab $(DESTDIR)$(PREFIX)/bin/stacklab
	install -m 644 lessons/*.md $(DESTDIR)$(PREFIX)/share/stacklab/lessons/ 2>/dev/null || true

clean:
	rm -rf build

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
