/* SPDX-License-Identifier: MIT */
#include "ui/nickcolor.h"

#include <glib.h>
#include <math.h>
#include <string.h>

/* The XEP-0392 hue angle of nick: the first two bytes of SHA-1 of its
 * UTF-8, read little-endian, as a fraction of a full turn. */
double
nickcolor_angle(const char *nick)
{
    guint8 digest[20];
    gsize n = sizeof digest;
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA1);

    g_checksum_update(sum, (const guchar *)nick, (gssize)strlen(nick));
    g_checksum_get_digest(sum, digest, &n);
    g_checksum_free(sum);
    return (double)(digest[0] | (digest[1] << 8)) / 65536.0 * 360.0;
}

/* Which bucket angle falls in: NICKCOLOR_HUES with 256 colours, else 6. */
int
nickcolor_bucket(double angle, int colors)
{
    int buckets = colors >= 256 ? NICKCOLOR_HUES : 6;
    int b = (int)lround(angle / (360.0 / buckets));

    return b % buckets;
}

/* One RGB channel (0..1) of the HSL colour (h, 1, 0.5) for offset k. */
static double
hsl_channel(double h, double k)
{
    double t = fmod(k + h / 30.0, 12.0);

    return 0.5 - 0.5 * fmax(-1.0, fmin(fmin(t - 3.0, 9.0 - t), 1.0));
}

/* The terminal colour for hue angle (see the header). */
int
nickcolor_terminal(double angle, int colors)
{
    static const int basic[6] = {1, 3, 2, 6, 4, 5}; /* by hue: R Y G C B M */
    int b = nickcolor_bucket(angle, colors);

    if (colors >= 256) {
        double h = b * (360.0 / NICKCOLOR_HUES);
        int r = (int)lround(hsl_channel(h, 0) * 5);
        int g = (int)lround(hsl_channel(h, 8) * 5);
        int bl = (int)lround(hsl_channel(h, 4) * 5);
        return 16 + 36 * r + 6 * g + bl;
    }
    return basic[b];
}
