/* SPDX-License-Identifier: MIT */
/*
 * Group chat requests beyond talking (XEP-0045): roles and affiliations,
 * affiliation lists, invitations (mediated, and direct per XEP-0249), the
 * list of a service's rooms, instant rooms and destruction.
 */
#include <glib.h>
#include <string.h>

#include "core/account.h"
#include "core/event.h"
#include "core/room.h"
#include "xmpp/disco.h"
#include "xmpp/muc-internal.h"
#include "xmpp/muc-stanza.h"
#include "xmpp/muc.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"

/* The admin and owner requests that on_admin_reply reports on. */
enum admin_kind {
    ADMIN_ROLE,        /* what: nick, extra: role */
    ADMIN_AFFILIATION, /* what: JID, extra: affiliation */
    ADMIN_DEFAULTS,    /* accept the default configuration */
    ADMIN_DESTROY,
};

/* For each kind: the sentence of a refusal, of one for want of
 * privileges and of one for a missing occupant or room. */
static const struct {
    enum format_id refused, denied, missing;
} admin_words[] = {
    [ADMIN_ROLE] = {FMT_ROOM_SET_ROLE_REFUSED, FMT_ROOM_SET_ROLE_DENIED,
                    FMT_ROOM_SET_ROLE_MISSING},
    [ADMIN_AFFILIATION] = {FMT_ROOM_SET_AFFILIATION_REFUSED,
                           FMT_ROOM_SET_AFFILIATION_DENIED,
                           FMT_ROOM_SET_AFFILIATION_MISSING},
    [ADMIN_DEFAULTS] = {FMT_ROOM_DEFAULTS_REFUSED, FMT_ROOM_DEFAULTS_DENIED,
                        FMT_ROOM_DEFAULTS_MISSING},
    [ADMIN_DESTROY] = {FMT_ROOM_DESTROY_REFUSED, FMT_ROOM_DESTROY_DENIED,
                       FMT_ROOM_DESTROY_MISSING},
};

/* The room answered an admin or owner request: report how it went. */
static void
on_admin_reply(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct room_req *req = data;

    if (reply != NULL) {
        if (g_strcmp0(xmpp_stanza_get_type(reply), "result") == 0) {
            /* Role changes show as the occupant's presence; an
             * affiliation may concern someone absent, so say it went
             * through. */
            if (req->kind == ADMIN_AFFILIATION)
                muc_say_fmt(acct, req->room, false, FMT_ROOM_AFFILIATION_SET,
                            req->what, req->extra, req->room, NULL);
            else if (req->kind == ADMIN_DEFAULTS)
                muc_say_fmt(acct, req->room, false, FMT_ROOM_DEFAULTS_DONE,
                            NULL);
        } else {
            char *err = stanza_error_text(reply);
            enum format_id id = strstr(err, "not-allowed") != NULL ||
                                        strstr(err, "forbidden") != NULL
                                    ? admin_words[req->kind].denied
                                : strstr(err, "item-not-found") != NULL
                                    ? admin_words[req->kind].missing
                                    : admin_words[req->kind].refused;
            if (req->kind == ADMIN_ROLE || req->kind == ADMIN_AFFILIATION)
                muc_say_fmt(acct, req->room, true, id, req->room, req->what,
                            req->extra, err, NULL);
            else
                muc_say_fmt(acct, req->room, true, id, req->room, err, NULL);
            g_free(err);
        }
    }
    muc_req_free(req);
}

/* Send iq to room, a request of kind about target (may be NULL) and
 * value (may be NULL); on_admin_reply reports. */
static bool
room_request(struct account *acct, const char *room_jid, xmpp_stanza_t *iq,
             enum admin_kind kind, const char *target, const char *value,
             char **cause)
{
    struct room_req *req = muc_req_new(acct, room_jid, target);

    req->kind = kind;
    req->extra = g_strdup(value);
    return muc_req_send(acct, iq, on_admin_reply, req, cause);
}

/* Set a role (by nick) or affiliation (by jid) in room. */
bool
muc_admin(struct account *acct, const char *room_jid, const char *nick,
          const char *jid, const char *attr, const char *value,
          const char *reason, char **cause)
{
    struct room *room = muc_room_in(acct, room_jid, cause);
    xmpp_stanza_t *iq;
    char *id;
    bool ok;

    if (room == NULL)
        return false;
    id = xmpp_uuid_gen(session_ctx());
    iq = muc_admin_set_build(session_ctx(), id, room->jid, nick, jid, attr,
                             value, reason);
    xmpp_free(session_ctx(), id);
    ok = room_request(acct, room->jid, iq,
                      strcmp(attr, "role") == 0 ? ADMIN_ROLE
                                                : ADMIN_AFFILIATION,
                      nick != NULL ? nick : jid, value, cause);
    xmpp_stanza_release(iq);
    return ok;
}

/* The room listed the JIDs with an affiliation. */
static void
on_affiliation_list(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct room_req *req = data;

    if (reply == NULL) {
        muc_req_free(req);
        return;
    }
    if (g_strcmp0(xmpp_stanza_get_type(reply), "result") != 0) {
        char *err = stanza_error_text(reply);
        muc_say_fmt(acct, req->room, true, FMT_ROOM_AFFILIATES_FAILED,
                    req->what, req->room, err, NULL);
        g_free(err);
    } else {
        GPtrArray *items = disco_items_parse(reply, NS_MUC_ADMIN);
        char num[16];
        g_snprintf(num, sizeof num, "%u", items->len);
        muc_say_fmt(acct, req->room, false,
                    items->len == 0   ? FMT_ROOM_AFFILIATES_NONE
                    : items->len == 1 ? FMT_ROOM_AFFILIATES_ONE
                                      : FMT_ROOM_AFFILIATES,
                    num, req->what, req->room, NULL);
        for (guint i = 0; i < items->len; i++) {
            struct disco_item *it = items->pdata[i];
            if (it->extra != NULL)
                muc_say_fmt(acct, req->room, false, FMT_ROOM_AFFILIATE_NOTE,
                            it->jid, it->extra, NULL);
            else
                muc_say_fmt(acct, req->room, false, FMT_ROOM_AFFILIATE,
                            it->jid, NULL);
        }
        g_ptr_array_unref(items);
    }
    muc_req_free(req);
}

/* List the JIDs with affiliation in room. */
bool
muc_list_affiliation(struct account *acct, const char *room_jid,
                     const char *affiliation, char **cause)
{
    struct room *room = muc_room_in(acct, room_jid, cause);
    struct room_req *req;
    xmpp_stanza_t *iq;
    char *id;
    bool ok;

    if (room == NULL)
        return false;
    id = xmpp_uuid_gen(session_ctx());
    iq = muc_affiliation_list_build(session_ctx(), id, room->jid, affiliation);
    xmpp_free(session_ctx(), id);
    req = muc_req_new(acct, room->jid, affiliation);
    ok = muc_req_send(acct, iq, on_affiliation_list, req, cause);
    xmpp_stanza_release(iq);
    return ok;
}

/* Send the invitation req describes, direct or through the room. */
static void
send_invite(struct room_req *req, bool direct)
{
    struct room *room = room_find(req->acct, req->room);
    xmpp_stanza_t *m;
    char *cause = NULL;

    if (direct)
        m = muc_direct_invite_build(session_ctx(), req->room, req->extra,
                                    req->what,
                                    room != NULL ? room->password : NULL);
    else
        m = muc_invite_build(session_ctx(), req->room, req->extra, req->what);
    if (session_send(req->acct, m, &cause))
        muc_say_fmt(req->acct, req->room, false,
                    direct ? FMT_ROOM_INVITED : FMT_ROOM_INVITED_MEDIATED,
                    req->extra, req->room, NULL);
    else
        muc_say_fmt(req->acct, req->room, true, FMT_ROOM_INVITE_FAILED,
                    req->extra, cause, NULL);
    g_free(cause);
    xmpp_stanza_release(m);
    session_kick();
}

/* The invitee's client said what it supports: invite it accordingly. */
static void
on_invitee_info(struct account *acct, const struct disco_result *r, void *data)
{
    struct room_req *req = data;

    (void)acct;
    if (!r->lost)
        send_invite(req, r->ok && disco_result_has_feature(r, NS_CONFERENCE));
    muc_req_free(req);
}

/* Invite jid to room, directly when its client supports that. */
bool
muc_invite(struct account *acct, const char *room_jid, const char *jid,
           const char *reason, char **cause)
{
    struct room *room = muc_room_in(acct, room_jid, cause);
    struct contact *c;
    struct resource *best;
    struct room_req *req;

    if (room == NULL)
        return false;
    /* 'what' carries the reason and 'extra' the invitee. */
    req = muc_req_new(acct, room->jid, reason);
    req->extra = g_strdup(jid);
    c = contact_find(acct, jid);
    best = c != NULL ? contact_best(c) : NULL;
    if (best != NULL && strchr(jid, '/') == NULL) {
        char *full = g_strdup_printf("%s/%s", jid, best->name);
        bool ok = disco_info(acct, full, NULL, on_invitee_info, req, cause);
        g_free(full);
        if (!ok)
            muc_req_free(req);
        return ok;
    }
    send_invite(req, false);
    muc_req_free(req);
    return true;
}

/* One room of a /rooms listing answered disco#info. */
static void
on_listed_room(struct account *acct, const struct disco_result *r, void *data)
{
    struct room_req *req = data;

    if (!r->lost) {
        const char *count =
            r->ok ? disco_result_form_value(r, "muc#roominfo_occupants")
                  : NULL;
        if (req->what != NULL && count != NULL)
            notice_fmt(acct, NOTICE_INFO, FMT_ROOMS_ITEM_NAMED_COUNT,
                       req->room, req->what, count, NULL);
        else if (req->what != NULL)
            notice_fmt(acct, NOTICE_INFO, FMT_ROOMS_ITEM_NAMED, req->room,
                       req->what, NULL);
        else if (count != NULL)
            notice_fmt(acct, NOTICE_INFO, FMT_ROOMS_ITEM_COUNT, req->room,
                       count, NULL);
        else
            notice_fmt(acct, NOTICE_INFO, FMT_ROOMS_ITEM, req->room, NULL);
    }
    muc_req_free(req);
}

/* The service listed its rooms: ask each for its occupant count. */
static void
on_room_list(struct account *acct, const struct disco_result *r, void *data)
{
    struct room_req *req = data;
    GPtrArray *items = r->items;

    if (r->lost) {
        muc_req_free(req);
        return;
    }
    if (!r->ok) {
        notice_fmt(acct, NOTICE_ERROR, FMT_ROOMS_FAILED, req->room,
                   r->error != NULL ? r->error : "", NULL);
        muc_req_free(req);
        return;
    }
    if (items->len == 0) {
        notice_fmt(acct, NOTICE_INFO, FMT_ROOMS_NONE, req->room, NULL);
    } else {
        char num[16];
        g_snprintf(num, sizeof num, "%u", items->len);
        notice_fmt(acct, NOTICE_INFO,
                   items->len == 1 ? FMT_ROOMS_LISTED_ONE : FMT_ROOMS_LISTED,
                   num, req->room, NULL);
    }
    for (guint i = 0; i < items->len; i++) {
        const struct disco_link *it = items->pdata[i];
        struct room_req *one = muc_req_new(acct, it->jid, it->name);
        char *cause = NULL;
        if (!disco_info(acct, it->jid, NULL, on_listed_room, one, &cause)) {
            g_free(cause);
            muc_req_free(one);
        }
    }
    muc_req_free(req);
}

/* List the public rooms of service. */
bool
muc_list_rooms(struct account *acct, const char *service, char **cause)
{
    const char *svc = service != NULL ? service : acct->muc_service;
    struct room_req *req;
    bool ok;

    if (svc == NULL) {
        *cause = g_strdup_printf("No group chat service known for %s: "
                                 "/rooms SERVICE",
                                 acct->jid);
        return false;
    }
    req = muc_req_new(acct, svc, NULL);
    ok = disco_items(acct, svc, NULL, on_room_list, req, cause);
    if (!ok)
        muc_req_free(req);
    return ok;
}

/* Send an owner request to room: destroy it, or else accept the default
 * configuration. */
static bool
owner_request(struct account *acct, const char *room_jid, bool destroy,
              const char *reason, char **cause)
{
    struct room *room = muc_room_in(acct, room_jid, cause);
    xmpp_stanza_t *iq;
    char *id;
    bool ok;

    if (room == NULL)
        return false;
    id = xmpp_uuid_gen(session_ctx());
    iq = muc_owner_build(session_ctx(), id, room->jid, "set", destroy, reason,
                         !destroy);
    xmpp_free(session_ctx(), id);
    ok = room_request(acct, room->jid, iq,
                      destroy ? ADMIN_DESTROY : ADMIN_DEFAULTS, NULL, NULL,
                      cause);
    xmpp_stanza_release(iq);
    return ok;
}

/* Accept the default configuration of a new, locked room. */
bool
muc_instant(struct account *acct, const char *room_jid, char **cause)
{
    struct room *room = room_find(acct, room_jid);

    if (room != NULL)
        room->locked = false; /* configured: a later cancel keeps it */
    return owner_request(acct, room_jid, false, NULL, cause);
}

/* Destroy room with an optional reason. */
bool
muc_destroy(struct account *acct, const char *room_jid, const char *reason,
            char **cause)
{
    return owner_request(acct, room_jid, true, reason, cause);
}
