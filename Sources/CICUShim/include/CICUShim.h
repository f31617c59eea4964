// A narrow C interface to Debian's libicu (libicu-dev): only stdint types cross it, because ICU's own headers
// clash with the ICU copy inside Swift's Foundation when both are imported into Swift.
#ifndef CICUSHIM_H
#define CICUSHIM_H
#include <stdint.h>

/// NFKC of `source` (UTF-16, `length` units) into `dest`; returns the length written or needed, or -1 on error.
int32_t custos_icu_nfkc(const uint16_t *source, int32_t length, uint16_t *dest, int32_t capacity);

/// UTS #39 confusable skeleton of `source` into `dest`; returns the length written or needed, or -1 on error.
int32_t custos_icu_skeleton(const uint16_t *source, int32_t length, uint16_t *dest, int32_t capacity);

#endif
