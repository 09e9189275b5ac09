/* Errors for the user: one line saying what was wrong and what would be
 * right. Functions that can fail take a `struct err *` and return -1 after
 * filling it (err_set returns -1 for that purpose), 0 on success. */
#ifndef STACKLAB_CORE_ERR_H
#define STACKLAB_CORE_ERR_H

struct err {
	char msg[512];
};

int err_set(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
