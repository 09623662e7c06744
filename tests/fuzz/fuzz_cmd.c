/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the command line parser (cmd/cmd.c): arbitrary
 * lines go through cmd_split(), cmd_parse(), cmd_strip_account() and
 * cmd_complete(); nothing is ever run. Input: byte 0 picks cmd_split()'s
 * word limit and rest flag and the byte where completion starts; the rest
 * is the typed line.
 */
#include "fuzz.h"

#include <locale.h>

#include "cmd/cmd.h"
#include "core/account.h"
#include "core/window.h"

/* cmd_split() with max words, the last taking the rest when rest is set. */
static void
check_split(const char *s, int max, gboolean rest)
{
    char *cause = NULL;
    char **words = cmd_split(s, max, rest, &cause);

    if (words == NULL) {
        FUZZ_CHECK(cause != NULL && cause[0] != '\0', "split failed quietly");
        g_free(cause);
        return;
    }
    FUZZ_CHECK(cause == NULL, "split succeeded with cause %s", cause);
    for (char **w = words; *w != NULL; w++)
        FUZZ_CHECK(g_utf8_validate(*w, -1, NULL) ||
                       !g_utf8_validate(s, -1, NULL),
                   "word \"%s\" of UTF-8 input is not UTF-8", *w);
    if (rest && max > 0)
        FUZZ_CHECK(g_strv_length(words) <= (guint)max, "%u words, max %d",
                   g_strv_length(words), max);
    g_strfreev(words);
}

/* cmd_parse() of line: a command with a fitting argument count, or why. */
static void
check_parse(const char *line)
{
    char **argv = (char **)&argv; /* must be set either way */
    char *cause = NULL;
    const struct cmd *c = cmd_parse(line, &argv, &cause);

    if (c == NULL) {
        FUZZ_CHECK(argv == NULL, "refused line left argv");
        FUZZ_CHECK(cause != NULL && cause[0] != '\0', "refused, no cause");
        g_free(cause);
        return;
    }
    FUZZ_CHECK(cause == NULL, "parsed with cause %s", cause);
    FUZZ_CHECK(argv != NULL, "parsed without argv");
    {
        int argc = (int)g_strv_length(argv);
        FUZZ_CHECK(argc >= c->min_args &&
                       (c->max_args < 0 || argc <= c->max_args),
                   "/%s with %d arguments", c->name, argc);
    }
    FUZZ_CHECK(cmd_find(c->name) == c, "/%s is not in the table", c->name);
    g_strfreev(argv);
}

/* cmd_strip_account(): "-a NAME" comes out whole, the rest stays. */
static void
check_strip(const char *line)
{
    char *name = (char *)line; /* must be set either way */
    char *rest = cmd_strip_account(line, &name);
    size_t head = strcspn(line, " \t");

    if (rest == NULL) {
        FUZZ_CHECK(name == NULL, "no -a, but name \"%s\"", name);
        return;
    }
    FUZZ_CHECK(name != NULL && name[0] != '\0' && strpbrk(name, " \t") == NULL,
               "account name \"%s\"", name != NULL ? name : "(null)");
    FUZZ_CHECK(strlen(rest) + strlen(name) + 3 <= strlen(line),
               "\"%s\" stripped to \"%s\"", line, rest);
    FUZZ_CHECK(
        strncmp(rest, line, head) == 0 &&
            (rest[head] == '\0' || rest[head] == ' ' || rest[head] == '\t'),
        "command word of \"%s\" lost in \"%s\"", line, rest);
    check_parse(rest);
    g_free(name);
    g_free(rest);
}

/* cmd_complete() of line from byte start: candidates extend the word. */
static void
check_complete(const char *line, size_t start)
{
    GPtrArray *out = cmd_complete(line, start);
    const char *word = line + start;

    FUZZ_CHECK(out != NULL, "no candidate list");
    for (guint i = 0; i < out->len; i++) {
        const char *cand = out->pdata[i];
        FUZZ_CHECK(cand != NULL, "NULL candidate");
        FUZZ_CHECK(g_str_has_prefix(cand, word),
                   "candidate \"%s\" does not start with \"%s\"", cand, word);
    }
    g_ptr_array_unref(out);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct account *acct;

    setlocale(LC_CTYPE, "C.UTF-8");
    window_init();
    /* Something for completion to offer: an account, a contact, a chat. */
    acct = account_new("alice@example.com", "alice@example.com");
    contact_get(acct, "bob@example.com");
    window_get_chat(acct, "carol@example.net");
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned int ctl = size > 0 ? data[0] : 0;
    char *line =
        fuzz_strndup(size > 0 ? data + 1 : data, size > 0 ? size - 1 : 0);
    size_t len = strlen(line);
    const char *sp;

    check_split(line, (int)(ctl & 7) - 1, (ctl & 8) != 0);
    check_split(line, -1, FALSE);
    check_parse(line);
    check_strip(line);

    /* Complete at the end, at the last word, at 0, and at a chosen byte. */
    check_complete(line, len);
    sp = strrchr(line, ' ');
    check_complete(line, sp != NULL ? (size_t)(sp + 1 - line) : 0);
    check_complete(line, 0);
    check_complete(line, (ctl >> 4) * (len + 1) / 16);

    g_free(line);
    return 0;
}
