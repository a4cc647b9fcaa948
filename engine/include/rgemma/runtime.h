// rgemma/runtime.h — the execution resources a forward pass runs on: a oneTBB arena of a chosen number of
// threads and the scratch buffers (allocated once, grown to the largest chunk, never in the token loop).
// Not thread-safe: one forward at a time per Runtime; each engine thread owns its own.
#pragma once

#include <memory>

namespace rgemma {

struct Workspace;

// How prefill multiplies activations by bf16 weights on CPUs with bf16 dot-product instructions (decode always
// keeps activations in f32: it is bound by memory bandwidth, not arithmetic).
enum class PrefillPrecision {
    Exact,  // activations as two bf16 parts (~16 mantissa bits): logits within 1e-4 of f32 compute
    Fast,   // activations rounded to bf16, as PyTorch's bf16 path: twice the throughput, logits off by ~1e-2
};

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

    // Internal: used by the engine's kernels.
    struct Impl;
    Impl& impl() { return *m_impl; }

  private:
    std::unique_ptr<Impl> m_impl;
};

}  // namespace rgemma
