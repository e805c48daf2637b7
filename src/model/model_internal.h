/*
 * model_internal.h - helpers shared by the files of src/model.
 */
#ifndef IL_MODEL_INTERNAL_H
#define IL_MODEL_INTERNAL_H

#include <innolink/model.h>

/* ASCII case-insensitive equality of two NUL-terminated strings. */
bool il__ascii_caseeq(const char *a, const char *b);

#endif
