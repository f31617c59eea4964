// Vectorized logistic sigmoid for CustosML. Swift cannot call glibc's vector math ABI (_ZGVdN4v_exp takes and
// returns a __m256d), so the loops live here. The AVX2 path is chosen at run time: the library builds for baseline
// x86-64 and stays correct on a CPU without AVX2.
#include "CVectorMath.h"
#include <math.h>

static double scalar_sigmoid(double m) { return 1.0 / (1.0 + exp(-m)); }

#if defined(__linux__) && defined(__x86_64__)
#include <immintrin.h>

// glibc's libmvec: exp of four doubles with AVX2 (GLIBC_2.22).
__attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_exp(__m256d);

__attribute__((target("avx2,fma"))) static inline __m256d sigmoid4(__m256d m) {
    const __m256d one = _mm256_set1_pd(1.0);
    __m256d e = _ZGVdN4v_exp(_mm256_sub_pd(_mm256_setzero_pd(), m));
    return _mm256_div_pd(one, _mm256_add_pd(one, e));
}

__attribute__((target("avx2,fma"))) static double mean_sigmoid_avx2(const double *m, size_t n) {
    __m256d a0 = _mm256_setzero_pd(), a1 = _mm256_setzero_pd();
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        a0 = _mm256_add_pd(a0, sigmoid4(_mm256_loadu_pd(m + i)));
        a1 = _mm256_add_pd(a1, sigmoid4(_mm256_loadu_pd(m + i + 4)));
    }
    for (; i + 4 <= n; i += 4) a0 = _mm256_add_pd(a0, sigmoid4(_mm256_loadu_pd(m + i)));
    double lanes[4];
    _mm256_storeu_pd(lanes, _mm256_add_pd(a0, a1));
    double sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
    for (; i < n; i++) sum += scalar_sigmoid(m[i]);
    return sum / (double)n;
}

static int has_avx2(void) {
    static int cached = -1;
    int value = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (value < 0) {
        __builtin_cpu_init();
        value = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        __atomic_store_n(&cached, value, __ATOMIC_RELAXED);
    }
    return value;
}
#endif

double custos_mean_sigmoid(const double *margins, size_t count) {
#if defined(__linux__) && defined(__x86_64__)
    if (has_avx2()) return mean_sigmoid_avx2(margins, count);
#endif
    double sum = 0;
    for (size_t i = 0; i < count; i++) sum += scalar_sigmoid(margins[i]);
    return sum / (double)count;
}
