/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_DRIVER_H
#define NATTER_XMPP_DRIVER_H

#include <stdbool.h>
#include <strophe.h>

/*
 * Driving libstrophe from the GLib main loop, for every connection of
 * every context (each account's own, and the one raw sessions share): each
 * socket is watched for what libstrophe waits for, a readable socket drains
 * whole TLS records, queued stanzas are written before the loop sleeps, and
 * libstrophe's own timers run from a tick that exists only while some
 * connection is being set up or closed. Nothing wakes an idle client.
 *
 * libstrophe performs TLS handshakes (and a few other steps) blocking. A
 * watchdog thread, awake only while a connection is being set up, cuts
 * the sockets of connections in setup when one pass through libstrophe
 * takes longer than DRIVER_STUCK_SECONDS, so a server that goes silent
 * mid-handshake cannot freeze natter.
 */
#define DRIVER_STUCK_SECONDS 15

/*
 * The factor the watchdog's limit is multiplied by: NATTER_TIMEOUT_SCALE
 * from the environment, 1 to 100, default 1. For natter under valgrind,
 * which runs it 20-50 times slower.
 */
unsigned int driver_timeout_scale(void);
/* DRIVER_STUCK_SECONDS times driver_timeout_scale(). */
unsigned int driver_stuck_seconds(void);

/* Whether the owner of a connection is setting it up or closing it. */
typedef bool (*driver_setup_fn)(xmpp_conn_t *conn, void *owner);

/* Start driving connections (of any context). */
void driver_init(void);
/* Stop: no connection may be attached any more. */
void driver_deinit(void);
/*
 * Drive conn (before connecting it): its sockets are captured through the
 * sockopt callback. in_setup tells whether the owner needs timers now.
 */
void driver_attach(xmpp_conn_t *conn, driver_setup_fn in_setup, void *owner);
/* Stop driving conn (before releasing it). */
void driver_detach(xmpp_conn_t *conn);
/* The socket of conn, -1 when it has none. */
int driver_fd(xmpp_conn_t *conn);
/* Whether the watchdog cut conn's socket because libstrophe was stuck. */
bool driver_was_cut(xmpp_conn_t *conn);
/* Run libstrophe before the loop sleeps again (after queuing stanzas). */
void driver_kick(void);
/* libstrophe's log says its XML parser failed (called by the logger). */
void driver_note_parse_error(void);
/*
 * Call fn (after the pass) with each connection whose input may have
 * broken the parser: libstrophe sends a stream error but keeps such a
 * connection open, deaf, so its owner must close it.
 */
void driver_on_parse_error(void (*fn)(xmpp_conn_t *conn));
/* Call fn after every pass through libstrophe (to reap closed ones). */
void driver_on_pumped(void (*fn)(void));

#endif
