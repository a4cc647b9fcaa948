// rgemma/runtime.h — the execution resources a forward pass runs on: a oneTBB arena of a chosen number of
// threads and the scratch buffers (allocated once, grown to the largest chunk, never in the token loop).
// Not thread-safe: one forward at a time per Runtime; each engine thread owns its own.
#pragma once

#include <memory>

namespace rgemma {

struct Workspace;

class Runtime {
  public:
    // threads <= 0: every hardware thread.
    explicit Runtime(int threads = 0);
    ~Runtime();
    Runtime(const Runtime&) = delete;
    Runtime& operator=(const Runtime&) = delete;

    int threads() const;

    // Internal: used by the engine's kernels.
    struct Impl;
    Impl& impl() { return *m_impl; }

  private:
    std::unique_ptr<Impl> m_impl;
};

}  // namespace rgemma
