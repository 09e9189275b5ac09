/* pcap files through libpcap: link type Ethernet, microsecond timestamps
 * taken from the virtual clock. */
#ifndef STACKLAB_VIEW_PCAP_H
#define STACKLAB_VIEW_PCAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct pcap_out;
struct pcap_in;

/* Creates (or truncates) path; NULL and e on failure. */
struct pcap_out *pcap_out_open(const char *path, struct err *e);
void pcap_out_frame(struct pcap_out *w, int64_t time_us, const uint8_t *frame, size_t len);
/* Flushes and closes; -1 and e when the data could not all be written. */
int pcap_out_close(struct pcap_out *w, struct err *e);

/* Opens a capture for reading; refuses anything but Ethernet. */
struct pcap_in *pcap_in_open(const char *path, struct err *e);
/* 1 and the next frame (valid until the next call), 0 at the end, -1 and
 * e when the file is damaged. */
int pcap_in_next(struct pcap_in *r, int64_t *time_us, const uint8_t **frame, size_t *len, struct err *e);
void pcap_in_close(struct pcap_in *r);

#endif
