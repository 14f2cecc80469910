/* What the fuzz targets share: one-time set-up, and a deterministic stream
 * of "random" numbers drawn from the input itself, so that the sizes of the
 * pieces an input is fed in change with every mutation while a crash still
 * replays exactly from its file. */
#pragma once

#include <glib.h>
#include <gmime/gmime.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A critical or a warning from GLib or the project is a bug the fuzzer
 * must report (g_return_if_fail on network data, a broken invariant), as
 * g_test_init() makes them in the regression tests. */
static inline void
fuzz_init(void)
{
	static gboolean done;
	if (done)
		return;
	done = TRUE;
	g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
	g_mime_init();
}

/* FNV-1a of the input, the seed of the piece sizes. */
static inline guint64
fuzz_hash(const uint8_t *data, size_t size)
{
	guint64 h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < size; i++) {
		h ^= data[i];
		h *= 0x100000001b3u;
	}
	return h != 0 ? h : 1;
}

/* xorshift64 */
static inline guint64
fuzz_next(guint64 *state)
{
	guint64 x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* The size of the next piece: mostly 1 to 16 octets, where framing bugs
 * hide, else up to 512 (the targets also feed the input in one piece). */
static inline size_t
fuzz_piece(guint64 *state, size_t left)
{
	guint64 r = fuzz_next(state);
	size_t n = (r & 3) != 0 ? 1 + (size_t)((r >> 8) % 16) : 1 + (size_t)((r >> 8) % 512);
	return n < left ? n : left;
}

/* A copy of exactly len octets, not NUL-terminated, so that ASan sees a
 * parser read one octet past the length it was given. free() it. */
static inline char *
fuzz_exact(const void *data, size_t len)
{
	char *copy = malloc(len);
	if (copy == NULL && len > 0)
		abort();
	if (len > 0)
		memcpy(copy, data, len);
	return copy;
}

/* Aborts with a message: a broken property, which libFuzzer reports as a crash. */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			g_printerr("%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);     \
			abort();                                                                   \
		}                                                                                  \
	} while (0)
