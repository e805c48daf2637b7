/*
 * model_internal.h - helpers shared by the files of src/model.
 */
#ifndef IL_MODEL_INTERNAL_H
#define IL_MODEL_INTERNAL_H

#include <innolink/model.h>

/* ASCII case-insensitive equality of two NUL-terminated strings. */
bool il__ascii_caseeq(const char *a, const char *b);
/* Length of a valid UTF-8 prefix; equals len when all of it is valid. */
size_t il__utf8_valid_prefix(const char *s, size_t len);

#endif
