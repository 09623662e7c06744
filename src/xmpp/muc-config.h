/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_MUC_CONFIG_H
#define NATTER_XMPP_MUC_CONFIG_H

#include <stdbool.h>

struct account;

/*
 * Room configuration (XEP-0045 10.2) through a data form: the owner get
 * opens the room's form in a form window (core/form.h); /form submit and
 * /form cancel send it back through the ops set here.
 */

/*
 * Ask room (a bare JID we are in) for its configuration form; it opens
 * in the form window muc_config_window() names, errors go to the room
 * window. False with *cause when we are not in the room or offline.
 */
bool muc_config(struct account *acct, const char *room, char **cause);
/* The name of room's configuration form window. Note: result must be
 * freed. */
char *muc_config_window(const char *room);

#endif
