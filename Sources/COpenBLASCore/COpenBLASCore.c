#define _GNU_SOURCE
#include "COpenBLASCore.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

typedef char *(*corename_function)(void);
typedef void (*void_function)(void);

/// The core OpenBLAS should use on this CPU, or NULL when its own choice stands.
static const char *wanted_core(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl")) {
        return __builtin_cpu_supports("avx512bf16") ? "Cooperlake" : "SkylakeX";
    }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
    return NULL;
}

const char *custos_openblas_select_core(void) {
    corename_function corename = (corename_function)dlsym(RTLD_DEFAULT, "openblas_get_corename");
    void_function init = (void_function)dlsym(RTLD_DEFAULT, "gotoblas_dynamic_init");
    void_function quit = (void_function)dlsym(RTLD_DEFAULT, "gotoblas_dynamic_quit");
    if (corename == NULL) return "";
    const char *current = corename();
    if (init == NULL || quit == NULL || current == NULL) return current ? current : "";
    if (strcmp(current, "Prescott") != 0 && strcmp(current, "Unknown") != 0) return current;
    if (getenv("OPENBLAS_CORETYPE") != NULL) return current;
    const char *wanted = wanted_core();
    if (wanted == NULL) return current;
    setenv("OPENBLAS_CORETYPE", wanted, 1);
    quit();
    init();
    unsetenv("OPENBLAS_CORETYPE");
    return corename();
}
