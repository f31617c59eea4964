#define _GNU_SOURCE
#include "CBFloat16.h"

#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__) && defined(__linux__)
#include <immintrin.h>
#define CUSTOS_HAS_AMX_PATH 1
#endif

static inline uint16_t to_bf16(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    uint32_t rounded = bits + 0x7fffu + ((bits >> 16) & 1u);
    uint32_t quiet_nan = bits | 0x400000u;
    return (uint16_t)((((bits & 0x7fffffffu) > 0x7f800000u) ? quiet_nan : rounded) >> 16);
}

static inline float from_bf16(uint16_t half) {
    uint32_t bits = (uint32_t)half << 16;
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

void custos_bf16_round(const float *in, float *out, size_t count) {
    for (size_t i = 0; i < count; i++) out[i] = from_bf16(to_bf16(in[i]));
}

int custos_bf16_pack(const float *w, size_t n, size_t k, uint16_t *packed) {
    if (n % 32 != 0 || k % 32 != 0) return 0;
    size_t k_blocks = k / 32;
    for (size_t nb = 0; nb < n / 16; nb++) {
        for (size_t kb = 0; kb < k_blocks; kb++) {
            uint16_t *block = packed + (nb * k_blocks + kb) * 512;
            // Tile row r holds input pair (2r, 2r + 1) of the block for each of its 16 outputs.
            for (size_t r = 0; r < 16; r++) {
                for (size_t o = 0; o < 16; o++) {
                    const float *row = w + (nb * 16 + o) * k + kb * 32 + 2 * r;
                    block[r * 32 + 2 * o] = to_bf16(row[0]);
                    block[r * 32 + 2 * o + 1] = to_bf16(row[1]);
                }
            }
        }
    }
    return 1;
}

#ifdef CUSTOS_HAS_AMX_PATH

#define ARCH_REQ_XCOMP_PERM 0x1023
#define XFEATURE_XTILEDATA 18

static int amx_available = 0;
static pthread_once_t amx_once = PTHREAD_ONCE_INIT;

static void ask_for_amx(void) {
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("amx-tile") || !__builtin_cpu_supports("amx-bf16")) return;
    amx_available = syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA) == 0;
}

int custos_bf16_amx_available(void) {
    pthread_once(&amx_once, ask_for_amx);
    return amx_available;
}

/// `to_bf16` sixteen at a time (every CPU with AMX has AVX-512 F/BW/VL).
__attribute__((target("avx512f,avx512bw,avx512vl"))) static void convert_rows_avx512(
    const float *in, uint16_t *out, size_t count) {
    const __m512i bias = _mm512_set1_epi32(0x7fff), one = _mm512_set1_epi32(1);
    const __m512i magnitude = _mm512_set1_epi32(0x7fffffff), infinity = _mm512_set1_epi32(0x7f800000);
    const __m512i quiet = _mm512_set1_epi32(0x400000);
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m512i bits = _mm512_loadu_si512((const void *)(in + i));
        __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(bits, 16), one);
        __m512i rounded = _mm512_add_epi32(bits, _mm512_add_epi32(bias, lsb));
        __mmask16 nan = _mm512_cmpgt_epi32_mask(_mm512_and_si512(bits, magnitude), infinity);
        rounded = _mm512_mask_mov_epi32(rounded, nan, _mm512_or_si512(bits, quiet));
        _mm256_storeu_si256((__m256i *)(void *)(out + i), _mm512_cvtepi32_epi16(_mm512_srli_epi32(rounded, 16)));
    }
    for (; i < count; i++) out[i] = to_bf16(in[i]);
}

/// 1 when the CPU has AVX-512 F/BW/VL and AVX512_BF16 (`vdpbf16ps`): Cooper Lake, Zen 4 and later.
int custos_bf16_dot_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bf16");
}

/// `c[rows][16 * blocks] += a · b` for up to 6 rows and 4 blocks of 16 outputs. `a` holds bf16 input pairs
/// (row stride `a_stride` pairs); `b` the packed weight of the first block (next block `b_stride` values on),
/// whose pair row `p` of a block is at `p * 32`. Accumulators stay in registers: 24 + 4 + 1 of the 32.
__attribute__((always_inline, target("avx512f,avx512bw,avx512vl,avx512bf16"))) static inline void dot_block(
    const uint32_t *a, size_t a_stride, const int rows, const uint16_t *b, size_t b_stride, const int blocks,
    size_t pairs, float *c, size_t ldc) {
    __m512 acc[6][4];
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < blocks; j++) acc[i][j] = _mm512_loadu_ps(c + i * ldc + j * 16);
    for (size_t p = 0; p < pairs; p++) {
        __m512bh w[4];
        for (int j = 0; j < blocks; j++) w[j] = (__m512bh)_mm512_loadu_si512((const void *)(b + j * b_stride + p * 32));
        for (int i = 0; i < rows; i++) {
            __m512bh x = (__m512bh)_mm512_set1_epi32((int)a[i * a_stride + p]);
            for (int j = 0; j < blocks; j++) acc[i][j] = _mm512_dpbf16_ps(acc[i][j], x, w[j]);
        }
    }
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < blocks; j++) _mm512_storeu_ps(c + i * ldc + j * 16, acc[i][j]);
}

#define CUSTOS_DOT_CASE(R, B) \
    case (R) * 8 + (B): dot_block(a, a_stride, R, b, b_stride, B, pairs, c, ldc); break;

/// `dot_block` with `rows` and `blocks` fixed at compile time, so that its loops unroll into registers.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16"))) static void dot_dispatch(
    const uint32_t *a, size_t a_stride, int rows, const uint16_t *b, size_t b_stride, int blocks, size_t pairs,
    float *c, size_t ldc) {
    switch (rows * 8 + blocks) {
        CUSTOS_DOT_CASE(1, 1) CUSTOS_DOT_CASE(2, 1) CUSTOS_DOT_CASE(3, 1)
        CUSTOS_DOT_CASE(4, 1) CUSTOS_DOT_CASE(5, 1) CUSTOS_DOT_CASE(6, 1)
        CUSTOS_DOT_CASE(1, 2) CUSTOS_DOT_CASE(2, 2) CUSTOS_DOT_CASE(3, 2)
        CUSTOS_DOT_CASE(4, 2) CUSTOS_DOT_CASE(5, 2) CUSTOS_DOT_CASE(6, 2)
        CUSTOS_DOT_CASE(1, 4) CUSTOS_DOT_CASE(2, 4) CUSTOS_DOT_CASE(3, 4)
        CUSTOS_DOT_CASE(4, 4) CUSTOS_DOT_CASE(5, 4) CUSTOS_DOT_CASE(6, 4)
        default: break;
    }
}

__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16"))) void custos_bf16_gemm_dot(
    const float *x, size_t m, size_t k, const uint16_t *packed, size_t n, float *c, uint16_t *x_scratch) {
    if (m == 0 || n % 32 != 0 || k % 32 != 0) return;
    convert_rows_avx512(x, x_scratch, m * k);
    const uint32_t *pairs_of_x = (const uint32_t *)(const void *)x_scratch;
    size_t pairs = k / 2;
    size_t block_stride = 16 * k; // packed values per block of 16 outputs
    // Rows in chunks whose bf16 inputs stay in L2 while every 64-output panel of the weight streams past them.
    const size_t chunk = 96;
    for (size_t m0 = 0; m0 < m; m0 += chunk) {
        size_t m1 = m0 + chunk < m ? m0 + chunk : m;
        for (size_t n0 = 0; n0 < n; n0 += 64) {
            int blocks = n - n0 >= 64 ? 4 : 2;
            const uint16_t *b = packed + (n0 / 16) * block_stride;
            for (size_t i = m0; i < m1; i += 6) {
                int rows = m1 - i >= 6 ? 6 : (int)(m1 - i);
                dot_dispatch(pairs_of_x + i * pairs, pairs, rows, b, block_stride, blocks, pairs, c + i * n + n0, n);
            }
        }
    }
}

typedef struct {
    uint8_t palette;
    uint8_t start_row;
    uint8_t reserved[14];
    uint16_t bytes_per_row[16];
    uint8_t rows[16];
} tile_config;

/// Tiles 0–3: float32 sums (16 × 16); 4–5: x (16 rows × 32 bf16); 6–7: packed w (16 pair rows × 16 outputs).
__attribute__((target("amx-tile,amx-bf16"))) static void configure_tiles(void) {
    tile_config config;
    memset(&config, 0, sizeof config);
    config.palette = 1;
    for (int t = 0; t < 8; t++) {
        config.bytes_per_row[t] = 64;
        config.rows[t] = 16;
    }
    _tile_loadconfig(&config);
}

/// Two 16-row blocks of x (`a0`, `a1`, row stride `k`) against every output pair; `c0`, `c1` row stride `ldc`.
__attribute__((target("amx-tile,amx-bf16"))) static void rows32(
    const uint16_t *a0, const uint16_t *a1, size_t k, const uint16_t *packed, size_t n, float *c0, float *c1, size_t ldc) {
    size_t k_blocks = k / 32;
    size_t a_stride = k * sizeof(uint16_t), c_stride = ldc * sizeof(float);
    for (size_t nb = 0; nb < n / 16; nb += 2) {
        const uint16_t *b0 = packed + nb * k_blocks * 512;
        const uint16_t *b1 = b0 + k_blocks * 512;
        _tile_loadd(0, c0 + nb * 16, c_stride);
        _tile_loadd(1, c0 + nb * 16 + 16, c_stride);
        _tile_loadd(2, c1 + nb * 16, c_stride);
        _tile_loadd(3, c1 + nb * 16 + 16, c_stride);
        for (size_t kb = 0; kb < k_blocks; kb++) {
            _tile_loadd(4, a0 + kb * 32, a_stride);
            _tile_loadd(5, a1 + kb * 32, a_stride);
            _tile_loadd(6, b0 + kb * 512, 64);
            _tile_loadd(7, b1 + kb * 512, 64);
            _tile_dpbf16ps(0, 4, 6);
            _tile_dpbf16ps(1, 4, 7);
            _tile_dpbf16ps(2, 5, 6);
            _tile_dpbf16ps(3, 5, 7);
        }
        _tile_stored(0, c0 + nb * 16, c_stride);
        _tile_stored(1, c0 + nb * 16 + 16, c_stride);
        _tile_stored(2, c1 + nb * 16, c_stride);
        _tile_stored(3, c1 + nb * 16 + 16, c_stride);
    }
}

/// One 16-row block of x against every output pair.
__attribute__((target("amx-tile,amx-bf16"))) static void rows16(
    const uint16_t *a0, size_t k, const uint16_t *packed, size_t n, float *c0, size_t ldc) {
    size_t k_blocks = k / 32;
    size_t a_stride = k * sizeof(uint16_t), c_stride = ldc * sizeof(float);
    for (size_t nb = 0; nb < n / 16; nb += 2) {
        const uint16_t *b0 = packed + nb * k_blocks * 512;
        const uint16_t *b1 = b0 + k_blocks * 512;
        _tile_loadd(0, c0 + nb * 16, c_stride);
        _tile_loadd(1, c0 + nb * 16 + 16, c_stride);
        for (size_t kb = 0; kb < k_blocks; kb++) {
            _tile_loadd(4, a0 + kb * 32, a_stride);
            _tile_loadd(6, b0 + kb * 512, 64);
            _tile_loadd(7, b1 + kb * 512, 64);
            _tile_dpbf16ps(0, 4, 6);
            _tile_dpbf16ps(1, 4, 7);
        }
        _tile_stored(0, c0 + nb * 16, c_stride);
        _tile_stored(1, c0 + nb * 16 + 16, c_stride);
    }
}

__attribute__((target("amx-tile,amx-bf16"))) void custos_bf16_gemm_amx(
    const float *x, size_t m, size_t k, const uint16_t *packed, size_t n, float *c,
    uint16_t *x_scratch, float *c_scratch) {
    if (m == 0) return;
    size_t blocks = (m + 15) / 16;
    size_t tail = m % 16; // rows in a partial last block (0: none)
    convert_rows_avx512(x, x_scratch, m * k);
    memset(x_scratch + m * k, 0, (blocks * 16 - m) * k * sizeof(uint16_t));
    // A partial last block sums into c_scratch, so the tiles never touch memory past c.
    float *last = c + (blocks - 1) * 16 * n;
    if (tail != 0) {
        memcpy(c_scratch, last, tail * n * sizeof(float));
        memset(c_scratch + tail * n, 0, (16 - tail) * n * sizeof(float));
    }
    configure_tiles();
    for (size_t b = 0; b < blocks; b += 2) {
        float *c0 = (tail != 0 && b == blocks - 1) ? c_scratch : c + b * 16 * n;
        if (b + 1 < blocks) {
            float *c1 = (tail != 0 && b + 1 == blocks - 1) ? c_scratch : c + (b + 1) * 16 * n;
            rows32(x_scratch + b * 16 * k, x_scratch + (b + 1) * 16 * k, k, packed, n, c0, c1, n);
        } else {
            rows16(x_scratch + b * 16 * k, k, packed, n, c0, n);
        }
    }
    _tile_release();
    if (tail != 0) memcpy(last, c_scratch, tail * n * sizeof(float));
}

#else

int custos_bf16_amx_available(void) { return 0; }

int custos_bf16_dot_available(void) { return 0; }

void custos_bf16_gemm_dot(const float *x, size_t m, size_t k, const uint16_t *packed, size_t n, float *c,
                          uint16_t *x_scratch) {
    (void)x; (void)m; (void)k; (void)packed; (void)n; (void)c; (void)x_scratch;
}

void custos_bf16_gemm_amx(const float *x, size_t m, size_t k, const uint16_t *packed, size_t n, float *c,
                          uint16_t *x_scratch, float *c_scratch) {
    (void)x; (void)m; (void)k; (void)packed; (void)n; (void)c; (void)x_scratch; (void)c_scratch;
}

#endif
