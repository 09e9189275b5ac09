/* Views of one packet: the field tree, the one-line summary, the hex dump
 * grouped by layer, and the OSI seven / TCP-IP four layers. Each encodes
 * the packet first when its frame is stale. */
#ifndef STACKLAB_VIEW_DISSECT_H
#define STACKLAB_VIEW_DISSECT_H

#include <stddef.h>
#include <stdint.h>

#include "core/sbuf.h"
#include "proto/pkt.h"
#include "view/style.h"

/* Each field on its own line with its name, label, value and how it got
 * it (given, default, computed); checksums said correct or not. */
void view_tree(struct pkt *p, const struct view_opts *o, struct sbuf *sb);
/* "10.0.0.1 > 10.0.0.2 TCP 58 49152 > 80 [SYN] Seq=0 Win=65535 Len=0 MSS=1460" */
void view_summary(struct pkt *p, struct sbuf *sb);
/* Offsets and bytes, each layer on its own rows, with the ASCII beside. */
void view_hexdump(struct pkt *p, const struct view_opts *o, struct sbuf *sb);
/* Which bytes belong to which OSI layer and which TCP/IP layer, from the
 * preamble to the FCS. */
void view_osi(struct pkt *p, const struct view_opts *o, struct sbuf *sb);

/* Up to max bytes as a quoted string, with escapes for what is not printable. */
void put_quoted(struct sbuf *sb, const uint8_t *d, size_t n, size_t max);
/* The layer that best describes the packet: the last one not quoted. */
int view_main_layer(const struct pkt *p);

#endif
