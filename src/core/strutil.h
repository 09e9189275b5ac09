/* Small string helpers shared by the parsers and the REPL. */
#ifndef STACKLAB_CORE_STRUTIL_H
#define STACKLAB_CORE_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Levenshtein distance, case-insensitive, capped at 100. */
size_t edit_distance(const char *a, const char *b);
/* The candidate nearest to word when it is a likely misspelling (distance
 * at most 2, and less than half the word), or NULL. */
const char *closest_word(const char *word, const char *const *cands, size_t n);
bool str_ieq(const char *a, const char *b);
/* Parses a hex string ("0a0b", "0a 0b", "0a:0b"; an optional "hex:" or
 * "0x" prefix) into out; returns the byte count, or -1 when malformed or
 * longer than cap. */
long hex_decode(const char *s, unsigned char *out, size_t cap);

#endif
