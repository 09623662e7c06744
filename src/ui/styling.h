/* SPDX-License-Identifier: MIT */
#ifndef NATTER_UI_STYLING_H
#define NATTER_UI_STYLING_H

#include <glib.h>
#include <stddef.h>

/* Style bits of XEP-0393 message styling; a byte may carry several. */
#define STYLE_STRONG 0x01u   /* *strong* */
#define STYLE_EMPH 0x02u     /* _emphasis_ */
#define STYLE_PRE 0x04u      /* `preformatted span` */
#define STYLE_STRIKE 0x08u   /* ~strike through~ */
#define STYLE_PREBLOCK 0x10u /* lines of a ``` preformatted block */
#define STYLE_QUOTE 0x20u    /* lines of a > quotation */

/* A run of bytes that all carry the same (non-zero) style bits. */
struct style_span {
    size_t start;       /* byte offset into the parsed text */
    size_t len;         /* bytes, at least one */
    unsigned int style; /* STYLE_* bits */
};

/*
 * Parse text[0..len) (sanitised UTF-8, '\n' between lines) as an XEP-0393
 * styled message body. Directives stay part of the spans they open and
 * close, so a plain-text front end shows them, styled. Appends struct
 * style_span items to spans, sorted, not overlapping, each run as long as
 * possible; unstyled bytes get no span. Returns how many it added.
 */
int styling_parse(const char *text, size_t len, GArray *spans);

#endif
