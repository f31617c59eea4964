#ifndef CUSTOS_OPENBLAS_CORE_H
#define CUSTOS_OPENBLAS_CORE_H

/// Makes a DYNAMIC_ARCH OpenBLAS use this CPU's vector units when its build does not know the CPU.
///
/// OpenBLAS picks its kernels once, when the library loads, from a table of CPU models. A build older than the CPU
/// (Debian's 0.3.21 on Sapphire Rapids, for one) falls back to its "Prescott" SSE3 kernels, several times slower
/// than the AVX-512 or AVX2 ones the CPU runs. When the loaded OpenBLAS reports Prescott (or an unknown core), the
/// CPU has AVX-512 F/CD/BW/DQ/VL (or AVX2 and FMA), and OPENBLAS_CORETYPE is not set, this re-runs OpenBLAS' own
/// kernel selection forced to Cooperlake (AVX-512 with BF16), SkylakeX or Haswell: the same path OPENBLAS_CORETYPE
/// takes at load time. The variable is removed again so child processes choose for themselves.
///
/// Call it once, before any other OpenBLAS call (it is not safe while another thread is inside OpenBLAS).
/// Returns the name of the core OpenBLAS uses afterwards, or "" when the library has no kernel selection.
const char *custos_openblas_select_core(void);

#endif
