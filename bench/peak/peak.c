/* Measured FP64 peak of one core, for docs/performance.md "Fraction of
 * peak": how many double-precision flops per second the core retires when
 * it does nothing else, with 256-bit (AVX2 + FMA) and 512-bit (AVX-512)
 * registers, with fused multiply-adds (2 flops each) and with separate
 * multiplies and adds (what the ensemble kernel issues: Rust never fuses
 * them, which keeps its bits equal to the scalar solver's).
 *
 * Each loop keeps ACC256 or ACC512 independent accumulators in flight, more than an
 * FMA's latency times the number of FMA pipes, so the loop is bound by
 * throughput, not by latency. A virtual machine does not report how many
 * 512-bit FMA pipes its cores have; this measures it.
 *
 * Build and run: bench/peak/run.sh
 */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* 256-bit code has 16 registers: 12 accumulators and the two constants fit
 * (an FMA's latency of 4 cycles times 2 pipes needs 8 in flight). 512-bit
 * code has 32. */
#define ACC256 12
#define ACC512 16

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The accumulators' sum is printed so the compiler keeps the work. */
static double sink;

__attribute__((target("avx2,fma"))) static double fma256(long iters) {
    __m256d acc[ACC256];
    __m256d a = _mm256_set1_pd(0.9999999), b = _mm256_set1_pd(1e-7);
    for (int i = 0; i < ACC256; i++) acc[i] = _mm256_set1_pd(1.0 + i * 1e-3);
    for (long n = 0; n < iters; n++)
#pragma GCC unroll 12
        for (int i = 0; i < ACC256; i++) acc[i] = _mm256_fmadd_pd(acc[i], a, b);
    __m256d s = acc[0];
    for (int i = 1; i < ACC256; i++) s = _mm256_add_pd(s, acc[i]);
    double out[4];
    _mm256_storeu_pd(out, s);
    sink += out[0];
    return (double)iters * ACC256 * 4 * 2;
}

/* Half the accumulators multiply, half add: the two kinds of instruction
 * the kernel issues, in equal numbers. */
__attribute__((target("avx2"))) static double muladd256(long iters) {
    __m256d acc[ACC256];
    __m256d a = _mm256_set1_pd(0.9999999), b = _mm256_set1_pd(1e-7);
    for (int i = 0; i < ACC256; i++) acc[i] = _mm256_set1_pd(1.0 + i * 1e-3);
    for (long n = 0; n < iters; n++)
#pragma GCC unroll 6
        for (int i = 0; i < ACC256; i += 2) {
            acc[i] = _mm256_mul_pd(acc[i], a);
            acc[i + 1] = _mm256_add_pd(acc[i + 1], b);
        }
    __m256d s = acc[0];
    for (int i = 1; i < ACC256; i++) s = _mm256_add_pd(s, acc[i]);
    double out[4];
    _mm256_storeu_pd(out, s);
    sink += out[0];
    return (double)iters * ACC256 * 4;
}

__attribute__((target("avx512f"))) static double fma512(long iters) {
    __m512d acc[ACC512];
    __m512d a = _mm512_set1_pd(0.9999999), b = _mm512_set1_pd(1e-7);
    for (int i = 0; i < ACC512; i++) acc[i] = _mm512_set1_pd(1.0 + i * 1e-3);
    for (long n = 0; n < iters; n++)
#pragma GCC unroll 16
        for (int i = 0; i < ACC512; i++) acc[i] = _mm512_fmadd_pd(acc[i], a, b);
    __m512d s = acc[0];
    for (int i = 1; i < ACC512; i++) s = _mm512_add_pd(s, acc[i]);
    sink += _mm512_reduce_add_pd(s);
    return (double)iters * ACC512 * 8 * 2;
}

__attribute__((target("avx512f"))) static double muladd512(long iters) {
    __m512d acc[ACC512];
    __m512d a = _mm512_set1_pd(0.9999999), b = _mm512_set1_pd(1e-7);
    for (int i = 0; i < ACC512; i++) acc[i] = _mm512_set1_pd(1.0 + i * 1e-3);
    for (long n = 0; n < iters; n++)
#pragma GCC unroll 8
        for (int i = 0; i < ACC512; i += 2) {
            acc[i] = _mm512_mul_pd(acc[i], a);
            acc[i + 1] = _mm512_add_pd(acc[i + 1], b);
        }
    __m512d s = acc[0];
    for (int i = 1; i < ACC512; i++) s = _mm512_add_pd(s, acc[i]);
    sink += _mm512_reduce_add_pd(s);
    return (double)iters * ACC512 * 8;
}

typedef double (*probe)(long);

/* Best of `rounds` timings: the peak is what the core can do, so the
 * fastest round (least disturbed) is the estimate. */
static void run(const char *name, probe f, long iters, int rounds) {
    f(iters / 10); /* warm up: frequency and caches */
    double best = 0.0;
    for (int r = 0; r < rounds; r++) {
        double t0 = now();
        double flops = f(iters);
        double t = now() - t0;
        if (flops / t > best) best = flops / t;
    }
    printf("%-22s %7.1f Gflop/s\n", name, best * 1e-9);
}

int main(int argc, char **argv) {
    long iters = argc > 1 ? atol(argv[1]) : 50000000L;
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        run("256-bit FMA", fma256, iters, rounds);
        run("256-bit mul + add", muladd256, iters, rounds);
    }
    if (__builtin_cpu_supports("avx512f")) {
        run("512-bit FMA", fma512, iters, rounds);
        run("512-bit mul + add", muladd512, iters, rounds);
    }
    fprintf(stderr, "(checksum %g)\n", sink);
    return 0;
}
