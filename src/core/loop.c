/* SPDX-License-Identifier: MIT */
#include "core/loop.h"

#include <glib.h>
#include <stdbool.h>

static GMainLoop *loop;
static int exit_status;
static bool quit_requested;

/* Run the main loop until loop_quit(); returns the exit status. */
int
loop_run(void)
{
    if (quit_requested)
        return exit_status;
    loop = g_main_loop_new(NULL, FALSE);
    g_main_loop_run(loop);
    g_main_loop_unref(loop);
    loop = NULL;
    return exit_status;
}

/* Make loop_run() return with status once the current turn is done. */
void
loop_quit(int status)
{
    exit_status = status;
    quit_requested = true;
    if (loop != NULL)
        g_main_loop_quit(loop);
}
