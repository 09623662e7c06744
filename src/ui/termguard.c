/* SPDX-License-Identifier: MIT */
/* Give the terminal back when natter dies of a signal. */
#define NCURSES_WIDECHAR 1
#include "ui/termguard.h"

#include <curses.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

/* Signals that end a process with the screen still in curses mode. */
static const int crash_signals[] = {SIGSEGV, SIGBUS,  SIGFPE,
                                    SIGILL,  SIGABRT, SIGQUIT};

#define NSIG_GUARDED (sizeof crash_signals / sizeof crash_signals[0])

/* Everything the handler needs is prepared here beforehand: it may only
 * use write(), tcsetattr(), sigaction() and raise(). */
static struct termios saved_tty;
static bool have_tty;
static char reset_seq[256];
static size_t reset_len;
static struct sigaction old_actions[NSIG_GUARDED];
static volatile sig_atomic_t armed;
/* A stack for the handler: a stack overflow is a crash signal too. */
static char alt_stack[64 * 1024];

/* Save the tty modes of stdin, before curses changes them. */
void
termguard_save_tty(void)
{
    have_tty = tcgetattr(STDIN_FILENO, &saved_tty) == 0;
}

/* Append terminfo capability cap to reset_seq without its padding
 * ($<5> and the like: delays a dying process cannot honour). */
static void
append_cap(const char *cap)
{
    const char *s = tigetstr((char *)cap); /* old curses want char * */

    if (s == NULL || s == (char *)-1)
        return;
    while (*s != '\0' && reset_len < sizeof reset_seq - 1) {
        if (s[0] == '$' && s[1] == '<') {
            const char *end = strchr(s, '>');
            if (end != NULL) {
                s = end + 1;
                continue;
            }
        }
        reset_seq[reset_len++] = *s++;
    }
}

/* A crash signal: reset the terminal, then let the signal go on. */
static void
on_crash(int sig, siginfo_t *info, void *uctx)
{
    size_t off = 0;
    size_t i;

    (void)uctx;
    if (armed) {
        armed = 0; /* once, even if resetting faults again */
        while (off < reset_len) {
            ssize_t n = write(STDOUT_FILENO, reset_seq + off, reset_len - off);
            if (n <= 0)
                break;
            off += (size_t)n;
        }
        if (have_tty)
            tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
    }
    for (i = 0; i < NSIG_GUARDED; i++)
        if (crash_signals[i] == sig)
            sigaction(sig, &old_actions[i], NULL);
    /* A fault (si_code > 0) happens again when the handler returns and
     * then meets the previous action; a sent signal must be raised. */
    if (info == NULL || info->si_code <= 0)
        raise(sig);
}

/* Learn the reset sequences and install the crash handlers. */
void
termguard_arm(void)
{
    struct sigaction sa;
    stack_t ss;

    /* Keep an alternate stack someone (ASan) set up already. */
    if (sigaltstack(NULL, &ss) == 0 && (ss.ss_flags & SS_DISABLE)) {
        ss.ss_sp = alt_stack;
        ss.ss_size = sizeof alt_stack;
        ss.ss_flags = 0;
        sigaltstack(&ss, NULL);
    }
    reset_len = 0;
    append_cap("sgr0");  /* colours and attributes off */
    append_cap("cnorm"); /* cursor visible */
    append_cap("rmkx");  /* keypad back to normal mode */
    append_cap("rmcup"); /* leave the alternate screen */
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_crash;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NSIG_GUARDED; i++)
        sigaction(crash_signals[i], &sa, &old_actions[i]);
    armed = 1;
}

/* Put the handlers that were there before back. */
void
termguard_disarm(void)
{
    if (!armed)
        return;
    armed = 0;
    for (size_t i = 0; i < NSIG_GUARDED; i++)
        sigaction(crash_signals[i], &old_actions[i], NULL);
}
