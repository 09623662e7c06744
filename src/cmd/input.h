/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CMD_INPUT_H
#define NATTER_CMD_INPUT_H

#include <stdbool.h>

/*
 * Where typed lines go. Front ends and command files hand every line to
 * input_line(); lines run in order. A pending prompt (a password) takes
 * the next line; a command that needs a connection waits while its account
 * is connecting, and fails with a clear error if the account goes offline.
 */

/* Answer to a prompt; text is borrowed; NULL when the prompt is cancelled. */
typedef void (*input_answer_fn)(const char *text, void *data);

/* Start listening for account changes. */
void input_init(void);
/* Drop queued lines and the pending prompt. */
void input_deinit(void);
/* Queue one line as typed; source names it in errors (NULL if typed). */
void input_line(const char *line, const char *source);
/*
 * Run every line of the file at path as typed, in order after what is
 * queued; blank lines and lines starting with '#' are skipped. Returns
 * false with *cause set if the file cannot be read.
 */
bool input_file(const char *path, char **cause);
/* Ask the user for one line; a secret one is neither shown nor kept. */
void input_ask(const char *prompt, bool secret, input_answer_fn fn,
               void *data);
/* The pending prompt's text, NULL if none. */
const char *input_prompt(void);
/* Whether the pending prompt's answer must stay hidden. */
bool input_prompt_secret(void);
/* Whether lines are queued waiting for a connection. */
bool input_waiting(void);
/* No more input will come (headless stdin closed): quit when idle. */
void input_eof(void);
/* Called when the queue has drained after input_eof(). */
void input_set_drained_fn(void (*fn)(void));

#endif
