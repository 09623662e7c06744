/* SPDX-License-Identifier: MIT */
/*
 * bench/histgen: write a large message history for natter's benchmarks
 * through natter's own store (src/libnatter.a: history_add and
 * history_flush), so the schema, indexes and FTS triggers are exactly
 * what natter itself writes.
 *
 * Usage: histgen ACCOUNT PEER SELF COUNT   (with $XDG_DATA_HOME set)
 *
 * Writes COUNT messages with PEER on ACCOUNT, one every 30 s ending now,
 * every third one outgoing (sender SELF), each with a unique stanza id.
 * Bodies are 6-14 pseudo-random words from a fixed vocabulary (the same
 * on every run); "zebra" is in every 1,000th message (COUNT/1000 hits)
 * and "alpha" in every 10th (COUNT/10 hits), so /search can be timed
 * with a rare and a common word. Prints "DONE COUNT SECONDS".
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/history.h"

/* Rows per transaction: natter commits once per loop turn; this is a
 * large turn, to keep generation short. */
#define BATCH 20000

static const char *const syllables[] = {
    "ka", "lo", "mi", "ne", "so", "ta", "ri", "po", "du", "fe",
    "gi", "ha", "ju", "be", "co", "va", "we", "xi", "yo", "zu",
};

/* A small deterministic PRNG (xorshift64), so every run writes the same. */
static unsigned long long
rng_next(unsigned long long *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Append word number n of the vocabulary (2-4 syllables) to body. */
static void
word_append(GString *body, unsigned int n)
{
    unsigned int len = 2 + n % 3;

    for (unsigned int i = 0; i < len; i++) {
        g_string_append(body, syllables[n % G_N_ELEMENTS(syllables)]);
        n /= G_N_ELEMENTS(syllables);
    }
}

/* Generate the history; exit status 0 on success. */
int
main(int argc, char **argv)
{
    unsigned long long seed = 0x9e3779b97f4a7c15ULL;
    char *cause = NULL;
    long count;
    gint64 start = g_get_monotonic_time();
    int64_t now = (int64_t)time(NULL);
    GString *body = g_string_new(NULL);
    char id[32];

    if (argc != 5 || (count = atol(argv[4])) <= 0) {
        fprintf(stderr, "usage: histgen ACCOUNT PEER SELF COUNT\n");
        return 2;
    }
    history_init();
    for (long i = 0; i < count; i++) {
        bool out = i % 3 == 2;
        unsigned int words = 6 + (unsigned int)(rng_next(&seed) % 9);

        g_string_truncate(body, 0);
        for (unsigned int w = 0; w < words; w++) {
            if (w > 0)
                g_string_append_c(body, ' ');
            word_append(body, (unsigned int)(rng_next(&seed) % 4000));
        }
        if (i % 1000 == 500)
            g_string_append(body, " zebra");
        if (i % 10 == 5)
            g_string_append(body, " alpha");
        snprintf(id, sizeof(id), "hist-%ld", i);
        history_add(argv[1], argv[2], out, out ? argv[3] : argv[2], body->str,
                    now - (int64_t)(count - i) * 30, id, MESSAGE_CHAT);
        if ((i + 1) % BATCH == 0 && !history_flush(&cause)) {
            fprintf(stderr, "histgen: %s\n", cause);
            return 1;
        }
    }
    if (!history_flush(&cause)) {
        fprintf(stderr, "histgen: %s\n", cause);
        return 1;
    }
    history_deinit();
    g_string_free(body, TRUE);
    printf("DONE %ld %.1f\n", count,
           (double)(g_get_monotonic_time() - start) / 1e6);
    return 0;
}
