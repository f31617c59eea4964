#ifndef CUSTOS_VECTOR_MATH_H
#define CUSTOS_VECTOR_MATH_H

#include <stddef.h>

/// The mean of 1 / (1 + exp(-m[i])) over `count` margins (count > 0). On x86-64 Linux with AVX2 the exponentials
/// come four at a time from glibc's vector math library (libmvec, at most 4 ulp); elsewhere from libm's exp.
double custos_mean_sigmoid(const double *margins, size_t count);

#endif
