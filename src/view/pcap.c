/* libpcap's headers use the BSD type names (u_int, u_char). */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif

#include "view/pcap.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SNAPLEN = 65535 };

struct pcap_out {
	pcap_t *dead;
	pcap_dumper_t *dump;
	char path[256];
};

struct pcap_in {
	pcap_t *p;
	char path[256];
};

struct pcap_out *pcap_out_open(const char *path, struct err *e)
{
	struct pcap_out *w = calloc(1, sizeof *w);
	if (!w) {
		err_set(e, "out of memory");
		return NULL;
	}
	snprintf(w->path, sizeof w->path, "%s", path);
	w->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, SNAPLEN, PCAP_TSTAMP_PRECISION_MICRO);
	if (w->dead)
		w->dump = pcap_dump_open(w->dead, path);
	if (!w->dump) {
		err_set(e, "cannot write '%s': %s (give a path in a folder you can write to)", path,
			errno ? strerror(errno) : "libpcap refused it");
		if (w->dead)
			pcap_close(w->dead);
		free(w);
		return NULL;
	}
	return w;
}

void pcap_out_frame(struct pcap_out *w, int64_t time_us, const uint8_t *frame, size_t len)
{
	struct pcap_pkthdr h;
	memset(&h, 0, sizeof h);
	if (time_us < 0)
		time_us = 0;
	h.ts.tv_sec = (time_t)(time_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(time_us % 1000000);
	h.caplen = (bpf_u_int32)(len > SNAPLEN ? SNAPLEN : len);
	h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)w->dump, &h, frame);
}

int pcap_out_close(struct pcap_out *w, struct err *e)
{
	int rc = 0;
	if (pcap_dump_flush(w->dump) != 0)
		rc = err_set(e, "could not write all of '%s' (is the disk full?)", w->path);
	pcap_dump_close(w->dump);
	pcap_close(w->dead);
	free(w);
	return rc;
}

struct pcap_in *pcap_in_open(const char *path, struct err *e)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	if (!p) {
		err_set(e, "cannot read '%s' as a pcap file: %s", path, ebuf);
		return NULL;
	}
	int dlt = pcap_datalink(p);
	if (dlt != DLT_EN10MB) {
		const char *name = pcap_datalink_val_to_name(dlt);
		err_set(e, "'%s' holds link type %d (%s), not Ethernet: stacklab reads Ethernet captures only",
			path, dlt, name ? name : "unknown");
		pcap_close(p);
		return NULL;
	}
	struct pcap_in *r = calloc(1, sizeof *r);
	if (!r) {
		pcap_close(p);
		err_set(e, "out of memory");
		return NULL;
	}
	r->p = p;
	snprintf(r->path, sizeof r->path, "%s", path);
	return r;
}

int pcap_in_next(struct pcap_in *r, int64_t *time_us, const uint8_t **frame, size_t *len, struct err *e)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = pcap_next_ex(r->p, &h, &data);
	if (rc == 1) {
		*time_us = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
		*frame = data;
		*len = h->caplen;
		return 1;
	}
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	return err_set(e, "'%s' is damaged: %s", r->path, pcap_geterr(r->p));
}

void pcap_in_close(struct pcap_in *r)
{
	if (r) {
		pcap_close(r->p);
		free(r);
	}
}
