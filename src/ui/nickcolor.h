/* SPDX-License-Identifier: MIT */
#ifndef NATTER_UI_NICKCOLOR_H
#define NATTER_UI_NICKCOLOR_H

/*
 * Consistent nick colours (XEP-0392): every client derives the same hue
 * from a nick, so a person looks the same everywhere.
 */

/* How many hues nick colours are quantised to on 256-colour terminals. */
#define NICKCOLOR_HUES 36

/* The XEP-0392 hue angle of nick in degrees, [0, 360). */
double nickcolor_angle(const char *nick);
/*
 * The terminal colour for hue angle: with 256 colours or more, an entry
 * of the xterm 6x6x6 colour cube at full saturation and medium lightness;
 * with fewer, the nearest of the six basic hues (COLOR_RED .. COLOR_CYAN
 * numbering: 1 red, 2 green, 3 yellow, 4 blue, 5 magenta, 6 cyan).
 */
int nickcolor_terminal(double angle, int colors);
/* Which of NICKCOLOR_HUES (or, with few colours, of 6) buckets angle falls
 * in: an index for a colour pair. */
int nickcolor_bucket(double angle, int colors);

#endif
