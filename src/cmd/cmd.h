/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CMD_CMD_H
#define NATTER_CMD_CMD_H

#include <glib.h>
#include <stdbool.h>

struct account;
struct window;

/* What a command handler gets: its words and where it was typed. */
struct cmd_args {
    const struct cmd *cmd;
    int argc;
    char **argv;          /* argv[0] is the first argument, not the name */
    struct window *win;   /* current window when the command ran */
    struct account *acct; /* the window's account, or the default one */
};

/*
 * Candidate completions for argument argi (0-based) starting with prefix;
 * args holds the argi arguments before it, so choices can follow them.
 */
typedef void (*cmd_complete_fn)(int argi, char **args, const char *prefix,
                                GPtrArray *out);

/* Run a command; on failure return false with *cause set (freed by caller). */
typedef bool (*cmd_exec_fn)(struct cmd_args *args, char **cause);

/* The command needs its account online; from a command file it waits. */
#define CMD_NEEDS_ONLINE 0x1

/* One command: everything /help, completion and the man page need. */
struct cmd {
    const char *name;
    const char *const *aliases; /* NULL-terminated, or NULL */
    const char *synopsis;       /* arguments after the name */
    const char *description;
    const char *const *args;     /* "WORD: meaning" lines, NULL-terminated */
    const char *const *examples; /* NULL-terminated */
    int min_args;
    int max_args; /* -1 for no limit */
    bool rest;    /* the last argument takes the rest of the line as is */
    int flags;
    cmd_complete_fn complete;
    cmd_exec_fn exec;
};

/* Every command, NULL-terminated, in the order /help lists them. */
const struct cmd *const *cmd_table(void);
/* A command by name or alias (without '/'); NULL if unknown. */
const struct cmd *cmd_find(const char *name);

/*
 * Split the arguments of a command line (after the name) into words:
 * whitespace separates, "double quotes" group, backslash escapes inside
 * quotes. With rest, word number max is the unparsed rest of the line.
 * Returns NULL with *cause set on unbalanced quotes. Note: free the
 * result with g_strfreev().
 */
char **cmd_split(const char *s, int max, bool rest, char **cause);

/*
 * Parse a whole "/name args" line into a command and its words, checking
 * the argument count. On failure returns NULL and sets *cause to a
 * one-line error with the synopsis. Note: free *argv with g_strfreev().
 */
const struct cmd *cmd_parse(const char *line, char ***argv, char **cause);

/* Run a parsed command in the context of window win. */
bool cmd_run(const struct cmd *c, char **argv, struct window *win,
             char **cause);
/* Run a parsed command in window win on behalf of account acct. */
bool cmd_run_as(const struct cmd *c, char **argv, struct window *win,
                struct account *acct, char **cause);
/*
 * "/cmd -a NAME args" names the account a command acts on: returns the
 * line without "-a NAME" and sets *name (both freed by the caller), or
 * returns NULL with *name NULL when the line has no such prefix.
 */
char *cmd_strip_account(const char *line, char **name);

/* The account a command typed in win acts on; NULL if there is none. */
struct account *cmd_account_for(struct window *win);

/*
 * Completions for the word that starts at byte start of line (the word
 * being the text from start to the end). Note: free with
 * g_ptr_array_unref(); strings are freed with it.
 */
GPtrArray *cmd_complete(const char *line, size_t start);

/* "Usage: /name synopsis". Note: result must be freed with g_free(). */
char *cmd_usage(const struct cmd *c);

/* Disconnect every account, then leave the main loop (/quit). */
void cmd_quit_all(void);
/*
 * Connect acct with its stored password, its password_eval command or a
 * password prompt, in that order of preference (/connect and -a).
 */
void cmd_connect_account(struct account *acct);

/*
 * Send body to the conversation of window w (chat, room or private chat
 * through a room) through the message pipeline, correcting our message
 * replace_id when that is not NULL; false with *cause set (caller frees).
 */
bool cmd_send_to_window(struct window *w, const char *body,
                        const char *replace_id, char **cause);
/* Add each of the NULL-terminated words that starts with prefix to out. */
void complete_words(const char *const *words, const char *prefix,
                    GPtrArray *out);
/* Add the JIDs of contacts, accounts and chat windows to out. */
void complete_jid(const char *prefix, GPtrArray *out);
/* Add command names to out (with a slash if prefix has one). */
void complete_command(const char *prefix, GPtrArray *out);
/*
 * Add the nicks of the current room's occupants starting with prefix to
 * out; at the start of a line each gets the muc.nick_suffix setting.
 */
void complete_nick(const char *prefix, bool line_start, GPtrArray *out);
/* Add the bookmarked rooms of every account starting with prefix to out. */
void complete_bookmarks(const char *prefix, GPtrArray *out);

/* Command entries defined in the cmd-*.c files. */
extern const struct cmd cmd_entry_account;
extern const struct cmd cmd_entry_affiliation;
extern const struct cmd cmd_entry_ban;
extern const struct cmd cmd_entry_devoice;
extern const struct cmd cmd_entry_invite;
extern const struct cmd cmd_entry_join;
extern const struct cmd cmd_entry_kick;
extern const struct cmd cmd_entry_leave;
extern const struct cmd cmd_entry_nick;
extern const struct cmd cmd_entry_occupants;
extern const struct cmd cmd_entry_role;
extern const struct cmd cmd_entry_room;
extern const struct cmd cmd_entry_form;
extern const struct cmd cmd_entry_bookmark;
extern const struct cmd cmd_entry_rooms;
extern const struct cmd cmd_entry_topic;
extern const struct cmd cmd_entry_voice;
extern const struct cmd cmd_entry_block;
extern const struct cmd cmd_entry_blocked;
extern const struct cmd cmd_entry_otr;
extern const struct cmd cmd_entry_changepassword;
extern const struct cmd cmd_entry_clear;
extern const struct cmd cmd_entry_close;
extern const struct cmd cmd_entry_connect;
extern const struct cmd cmd_entry_correct;
extern const struct cmd cmd_entry_disconnect;
extern const struct cmd cmd_entry_help;
extern const struct cmd cmd_entry_info;
extern const struct cmd cmd_entry_history;
extern const struct cmd cmd_entry_me;
extern const struct cmd cmd_entry_msg;
extern const struct cmd cmd_entry_priority;
extern const struct cmd cmd_entry_quit;
extern const struct cmd cmd_entry_reconnect;
extern const struct cmd cmd_entry_register;
extern const struct cmd cmd_entry_roster;
extern const struct cmd cmd_entry_search;
extern const struct cmd cmd_entry_set;
extern const struct cmd cmd_entry_status;
extern const struct cmd cmd_entry_sub;
extern const struct cmd cmd_entry_tls;
extern const struct cmd cmd_entry_unblock;
extern const struct cmd cmd_entry_win;

#endif
