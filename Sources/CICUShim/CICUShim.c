#include "CICUShim.h"
#include <pthread.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>

static USpoofChecker *checker = 0;
static const UNormalizer2 *nfkc = 0;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void open_icu(void) {
    UErrorCode status = U_ZERO_ERROR;
    checker = uspoof_open(&status);
    if (U_FAILURE(status)) checker = 0;
    status = U_ZERO_ERROR;
    nfkc = unorm2_getNFKCInstance(&status);
    if (U_FAILURE(status)) nfkc = 0;
}

int32_t custos_icu_nfkc(const uint16_t *source, int32_t length, uint16_t *dest, int32_t capacity) {
    pthread_once(&once, open_icu);
    if (!nfkc) return -1;
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = unorm2_normalize(nfkc, (const UChar *)source, length, (UChar *)dest, capacity, &status);
    return U_FAILURE(status) && status != U_BUFFER_OVERFLOW_ERROR ? -1 : n;
}

int32_t custos_icu_skeleton(const uint16_t *source, int32_t length, uint16_t *dest, int32_t capacity) {
    pthread_once(&once, open_icu);
    if (!checker) return -1;
    UErrorCode status = U_ZERO_ERROR;
    // uspoof_getSkeleton only reads the checker, so concurrent calls are safe.
    int32_t n = uspoof_getSkeleton(checker, 0, (const UChar *)source, length, (UChar *)dest, capacity, &status);
    return U_FAILURE(status) && status != U_BUFFER_OVERFLOW_ERROR ? -1 : n;
}
