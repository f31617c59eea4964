#ifndef CUSTOS_BFLOAT16_H
#define CUSTOS_BFLOAT16_H

#include <stddef.h>
#include <stdint.h>

/// Matrix products with bfloat16 inputs and float32 sums: on Intel AMX tiles (Sapphire Rapids and later) or with
/// AVX512_BF16 dot products (`vdpbf16ps`: Cooper Lake, AMD Zen 4 and later).
///
/// Every function rounds float32 to bfloat16 the same way: to nearest, ties to even (NaN stays NaN). A product
/// computed here equals, up to float32 summation order, float32 `sgemm` over inputs rounded with
/// `custos_bf16_round`, which is what callers use where AMX is missing.

/// 1 when the calling process may use AMX BF16 tiles: the CPU has AMX-TILE and AMX-BF16 and Linux granted the
/// process the tile state (asked once, on the first call; thread-safe).
int custos_bf16_amx_available(void);

/// Rounds `count` floats to bfloat16 precision in place of `out` (as floats whose low 16 bits are zero).
void custos_bf16_round(const float *in, float *out, size_t count);

/// Packs a row-major weight `w[n][k]` (PyTorch's `[outputs, inputs]` layout), rounded to bfloat16, into the tile
/// layout `custos_bf16_gemm_amx` and `custos_bf16_gemm_dot` read: blocks of 16 outputs × 32 inputs, input pairs interleaved. `packed` holds
/// `n * k` values. Requires `n % 32 == 0` and `k % 32 == 0`; returns 0 (nothing written) otherwise, 1 on success.
int custos_bf16_pack(const float *w, size_t n, size_t k, uint16_t *packed);

/// `c[m][n] += Σ_k bf16(x[m][k]) · w[n][k]` with `w` from `custos_bf16_pack`, on AMX tiles; `c` has row stride `n`.
/// Requires `custos_bf16_amx_available()`, `n % 32 == 0` and `k % 32 == 0`.
/// `x_scratch` holds `((m + 15) / 16) * 16 * k` values and `c_scratch` `16 * n`.
void custos_bf16_gemm_amx(const float *x, size_t m, size_t k, const uint16_t *packed, size_t n, float *c,
                          uint16_t *x_scratch, float *c_scratch);

/// 1 when the CPU has AVX-512 F/BW/VL and AVX512_BF16, for `custos_bf16_gemm_dot`.
int custos_bf16_dot_available(void);

/// `c[m][n] += Σ_k bf16(x[m][k]) · w[n][k]` with `w` from `custos_bf16_pack`, with AVX512_BF16 dot products (pairs
/// of products summed into float32, flushing subnormals as the tiles do); `c` has row stride `n`. Requires
/// `custos_bf16_dot_available()`, `n % 32 == 0` and `k % 32 == 0` (does nothing otherwise); `x_scratch` holds
/// `m * k` values.
void custos_bf16_gemm_dot(const float *x, size_t m, size_t k, const uint16_t *packed, size_t n, float *c,
                          uint16_t *x_scratch);

#endif
