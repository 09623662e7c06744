/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_LOOP_H
#define NATTER_CORE_LOOP_H

/* The one GLib main loop: run it until loop_quit(); returns exit status. */
int loop_run(void);
/* Make loop_run() return with status once the current turn is done. */
void loop_quit(int status);

#endif
