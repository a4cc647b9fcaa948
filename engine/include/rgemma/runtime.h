// rgemma/runtime.h — the execution resources a forward pass runs on: a oneTBB arena of a chosen number of
// threads and the scratch buffers (allocated once, grown to the largest chunk, never in the token loop).
// Not thread-safe: one forward at a time per Runtime; each engine thread owns its own.
#pragma once

#include <memory>
#include <string_view>

#include "rgemma/dtype.h"

namespace rgemma {

struct Workspace;

// How prefill multiplies activations by bf16 weights on CPUs with bf16 dot-product instructions (decode always
// keeps activations in f32: it is bound by memory bandwidth, not arithmetic).
enum class PrefillPrecision {
    Exact,  // f32 activations × weights widened exactly (f32 FMA): logits within 1e-4 of f32 compute
    Fast,   // activations rounded to bf16, as PyTorch's bf16 path: twice the throughput (vdpbf16ps); on the golden
            // cases logits move by up to 0.28 from the f32 reference (greedy tokens unchanged); Exact elsewhere
    Int8,   // opt-in, AVX2 (vpmaddubsw) and AVX-VNNI CPUs: activations × weights of bf16 and I8 products both
            // quantized to int8 per block of 32 (as W8A8); Exact where the CPU has bf16 products or no AVX2. Not the
            // app's default: on the golden cases top-1 agreement with Exact is 0.91 and KL 0.015, where bf16 gives
            // 0.98-0.99 and 0.0005 (rgemma compare --prefill)
    EmulatedBf16,  // the bf16 path's products on any CPU, for bf16 weights (activations rounded to bf16, then the
                   // exact path; sums in another order): for measuring its quality where it cannot run (rgemma compare)
};

// What products with int8 weights (`rgemma quantize`) multiply the weights by.
enum class Int8Activations {
    Float,      // the f32 activations, weights dequantized in registers: decode equals prefill within 1e-5
    Quantized,  // the activations quantized per block of 32 like the weights (W8A8, as llama.cpp's q8_0), decode and
                // prefill alike, with int8 dot products (vpdpbusd) where the CPU has AVX512_VNNI: a quarter of the
                // arithmetic, for CPUs where int8 decode is compute-bound (on the 2-core Zen 5 it is not: no faster).
                // A rounding step flipped by f32 noise moves later logits by 0.1-1 on the golden cases, so decode no
                // longer equals prefill and greedy tokens can change
};

// The arithmetic a prefill product runs in (Runtime::prefillArithmetic): what `rgemma bench` reports as prefill_path.
enum class PrefillArithmetic {
    Exact,  // f32 activations × exactly widened weights: f32 multiply-adds (the panel GEMM's FMA, or Eigen)
    Bf16,   // activations rounded to bf16: bf16 dot products (vdpbf16ps)
    Int8,   // activations quantized to int8: int8 dot products
};
// "exact", "bf16" or "int8".
std::string_view prefillArithmeticName(PrefillArithmetic arithmetic);

class Runtime {
  public:
    // threads <= 0: every hardware thread.
    explicit Runtime(int threads = 0);
    ~Runtime();
    Runtime(const Runtime&) = delete;
    Runtime& operator=(const Runtime&) = delete;

    int threads() const;

    PrefillPrecision prefillPrecision() const;
    void setPrefillPrecision(PrefillPrecision precision);

    Int8Activations int8Activations() const;
    void setInt8Activations(Int8Activations activations);

    // The kernel level in use: "portable", "avx2", "avx512", "avx512vnni" or "avx512bf16" — the best this CPU runs,
    // or the lower one RGEMMA_ISA names (rgemma/machine.h says why when it did not follow it).
    std::string_view isa() const;
    // The arithmetic a prefill on weights stored as `weights` runs in with these kernels at `precision`.
    PrefillArithmetic prefillArithmetic(PrefillPrecision precision, DType weights) const;

    // Internal: used by the engine's kernels.
    struct Impl;
    Impl& impl() { return *m_impl; }

  private:
    std::unique_ptr<Impl> m_impl;
};

}  // namespace rgemma
