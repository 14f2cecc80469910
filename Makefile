# facteur — GNU Makefile. `make` builds build/facteur; see README.md.
# BUILD selects the output directory, so several builds (plain, ASan, fuzz)
# live side by side without touching each other.

BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= cc
PKGS     = glib-2.0 gio-2.0 gio-unix-2.0 gmime-3.0 libpcap ncursesw json-glib-1.0
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS  ?= -O2 -g
override CFLAGS += -std=c17 -Wall -Wextra -Werror -D_GNU_SOURCE \
           -DFACTEUR_VERSION='"$(VERSION)"' -Isrc -Itests/helpers $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDLIBS  += $(PKG_LIBS) -lm
LDFLAGS += $(EXTRA_LDFLAGS)

SRCS      := $(shell find src -name '*.c' ! -name main.c | sort)
OBJS      := $(SRCS:%.c=$(BUILD)/%.o)
TEST_SRCS := $(wildcard tests/test-*.c)
TEST_HELPERS := $(wildcard tests/helpers/*.c)
TEST_HELPER_OBJS := $(TEST_HELPERS:%.c=$(BUILD)/%.o)
TESTS     := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
PO        := $(wildcard po/*.po)
MO        := $(PO:po/%.po=$(BUILD)/locale/%/LC_MESSAGES/facteur.mo)

ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined \
             -fno-omit-frame-pointer

.PHONY: all deps run check check-asan tests install uninstall clean pot fuzz fuzz-targets bench setcap format

all: $(BUILD)/facteur $(MO)

$(BUILD)/facteur: $(BUILD)/src/main.o $(BUILD)/libfacteur.a
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libfacteur.a: $(OBJS)
	@rm -f $@
	@ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(TEST_HELPER_OBJS) $(BUILD)/libfacteur.a
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/locale/%/LC_MESSAGES/facteur.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

tests: all $(TESTS)

# Installs the Debian packages only when one is missing.
deps:
	@tools/deps.sh

# `make run` opens the TUI's home screen (lessons, scenarios, free session on
# the demo data); `make run RUN_ARGS=serve` starts the servers alone.
RUN_ARGS ?= tui
run: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/facteur $(RUN_ARGS)

check: deps
	@$(MAKE) --no-print-directory tests
	@tests/run.sh $(BUILD)

check-asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan CFLAGS="$(ASAN_FLAGS)" \
		EXTRA_LDFLAGS="-fsanitize=address,undefined" tests
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		G_SLICE=always-malloc G_DEBUG=gc-friendly \
		tests/run.sh build-asan

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/facteur
	install -m 755 $(BUILD)/facteur $(DESTDIR)$(PREFIX)/bin/facteur
	cp -r scenarios lessons $(DESTDIR)$(PREFIX)/share/facteur/
	for mo in $(MO); do \
		lang=$$(echo $$mo | sed 's|.*/locale/\([^/]*\)/.*|\1|'); \
		install -d $(DESTDIR)$(PREFIX)/share/locale/$$lang/LC_MESSAGES; \
		install -m 644 $$mo $(DESTDIR)$(PREFIX)/share/locale/$$lang/LC_MESSAGES/facteur.mo; \
	done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/facteur
	rm -rf $(DESTDIR)$(PREFIX)/share/facteur
	rm -f $(DESTDIR)$(PREFIX)/share/locale/*/LC_MESSAGES/facteur.mo

# The tracer's benchmark (bench/README.md): a large capture, facteur against tshark and tcpdump.
bench: all
	bench/run.sh

# Lets a normal user capture on lo without root.
setcap: all
	sudo setcap cap_net_raw,cap_net_admin+eip $(BUILD)/facteur

# The translation template, from every _() and N_() of the sources; po/fr.po
# is brought up to date with it (msgmerge keeps what is translated).
pot:
	xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
		--add-comments=TRANSLATORS: --package-name=facteur \
		--package-version=$(VERSION) --msgid-bugs-address=facteur@example.org \
		-o po/facteur.pot $$(find src -name '*.c' | sort)
	@if [ -f po/fr.po ]; then msgmerge --quiet --update --backup=none po/fr.po po/facteur.pot; \
	else msginit --no-translator --locale=fr_FR.UTF-8 -i po/facteur.pot -o po/fr.po; fi

# libFuzzer targets (fuzz/README.md): the library again in build-fuzz/ with
# clang's fuzzer instrumentation, ASan and UBSan; fuzz/run.sh runs each
# target FUZZ_SECONDS seconds (FUZZ_ONLY="pcap mime": some of them; FUZZ_RUNS=N:
# at most N executions each) and fails on a crash (inputs in fuzz/crashes/).
FUZZ_SECONDS ?= 60
FUZZ_ONLY    ?=
FUZZ_RUNS    ?=
FUZZ_FLAGS    = -O2 -g -fsanitize=fuzzer-no-link,address,undefined \
                -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_TARGETS := $(patsubst fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard fuzz/fuzz-*.c))
# clang and its runtimes (libFuzzer, ASan, UBSan) are needed only here.
fuzz:
	@tools/deps.sh clang libclang-rt-14-dev
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang CFLAGS="$(FUZZ_FLAGS)" \
		EXTRA_LDFLAGS="-fsanitize=fuzzer,address,undefined" fuzz-targets
	@FUZZ_RUNS=$(FUZZ_RUNS) nice -n 19 fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_ONLY)

fuzz-targets: $(FUZZ_TARGETS)

$(FUZZ_TARGETS): %: %.o $(BUILD)/libfacteur.a
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

format:
	clang-format -i $$(find src tests fuzz -name '*.[ch]')

clean:
	rm -rf build build-asan build-fuzz

-include $(OBJS:.o=.d) $(BUILD)/src/main.d $(TESTS:=.d) $(TEST_HELPER_OBJS:.o=.d) $(FUZZ_TARGETS:=.d)
