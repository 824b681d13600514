// The indexer's kernels for CPUs with AVX2 and FMA, compiled for those instructions alone (the
// binary stays generic x86-64) and chosen at run time; Swift keeps the generic SIMD8 kernels.
#include "jina_vector.h"

#if defined(__x86_64__)
#include <immintrin.h>

int jina_vector_has_avx2_fma(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

__attribute__((target("avx2,fma"))) static float sum8(__m256 v) {
    __m128 low = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    low = _mm_add_ps(low, _mm_movehl_ps(low, low));
    low = _mm_add_ss(low, _mm_shuffle_ps(low, low, 1));
    return _mm_cvtss_f32(low);
}

// Four independent accumulators: an FMA's latency is hidden behind the next three.
__attribute__((target("avx2,fma"))) float jina_dot_avx2(const float *a, const float *b, long n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    long i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
    }
    for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    float total = sum8(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < n; i++) total += a[i] * b[i];
    return total;
}

__attribute__((target("avx2,fma"))) float jina_squared_distance_avx2(const float *a, const float *b, long n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
        __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
        s0 = _mm256_fmadd_ps(d0, d0, s0);
        s1 = _mm256_fmadd_ps(d1, d1, s1);
    }
    for (; i + 8 <= n; i += 8) {
        __m256 d = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
        s0 = _mm256_fmadd_ps(d, d, s0);
    }
    float total = sum8(_mm256_add_ps(s0, s1));
    for (; i < n; i++) { float d = a[i] - b[i]; total += d * d; }
    return total;
}

// vpmaddubsw multiplies unsigned by signed bytes, so each pair is |row| × (query with the row's
// sign); codes stay within ±127, so two products (≤ 32,258) never saturate 16 bits.
__attribute__((target("avx2,fma"))) void jina_dot_i8_rows_avx2(const signed char *rows, long count, long dimension,
                                                                const signed char *query, int *out) {
    const __m256i ones = _mm256_set1_epi16(1);
    for (long r = 0; r < count; r++) {
        const signed char *row = rows + r * dimension;
        __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();
        long i = 0;
        for (; i + 64 <= dimension; i += 64) {
            __m256i x0 = _mm256_loadu_si256((const __m256i *)(row + i)), q0 = _mm256_loadu_si256((const __m256i *)(query + i));
            __m256i x1 = _mm256_loadu_si256((const __m256i *)(row + i + 32)), q1 = _mm256_loadu_si256((const __m256i *)(query + i + 32));
            s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_sign_epi8(x0, x0), _mm256_sign_epi8(q0, x0)), ones));
            s1 = _mm256_add_epi32(s1, _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_sign_epi8(x1, x1), _mm256_sign_epi8(q1, x1)), ones));
        }
        for (; i + 32 <= dimension; i += 32) {
            __m256i x = _mm256_loadu_si256((const __m256i *)(row + i)), q = _mm256_loadu_si256((const __m256i *)(query + i));
            s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_sign_epi8(x, x), _mm256_sign_epi8(q, x)), ones));
        }
        __m256i s = _mm256_add_epi32(s0, s1);
        __m128i h = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
        h = _mm_add_epi32(h, _mm_shuffle_epi32(h, _MM_SHUFFLE(1, 0, 3, 2)));
        h = _mm_add_epi32(h, _mm_shuffle_epi32(h, _MM_SHUFFLE(2, 3, 0, 1)));
        int total = _mm_cvtsi128_si32(h);
        for (; i < dimension; i++) total += (int)row[i] * (int)query[i];
        out[r] = total;
    }
}

#else
int jina_vector_has_avx2_fma(void) { return 0; }
float jina_dot_avx2(const float *a, const float *b, long n) { (void)a; (void)b; (void)n; return 0; }
float jina_squared_distance_avx2(const float *a, const float *b, long n) { (void)a; (void)b; (void)n; return 0; }
void jina_dot_i8_rows_avx2(const signed char *rows, long count, long dimension, const signed char *query, int *out) {
    (void)rows; (void)count; (void)dimension; (void)query; (void)out;
}
#endif
