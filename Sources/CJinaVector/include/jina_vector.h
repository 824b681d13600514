#ifndef JINA_VECTOR_H
#define JINA_VECTOR_H

/// Whether this CPU runs the AVX2 + FMA kernels (checked once, at run time).
int jina_vector_has_avx2_fma(void);

/// The dot product and the squared Euclidean distance of two float vectors of length n, with
/// AVX2 and FMA. Call only when jina_vector_has_avx2_fma() says so.
float jina_dot_avx2(const float *a, const float *b, long n);
float jina_squared_distance_avx2(const float *a, const float *b, long n);

/// The dot products of `query` with each of `count` rows of 8-bit codes (row-major, `dimension`
/// codes a row, each in [-127, 127]) into `out`, with AVX2. Call only when
/// jina_vector_has_avx2_fma() says so.
void jina_dot_i8_rows_avx2(const signed char *rows, long count, long dimension, const signed char *query, int *out);

#endif
