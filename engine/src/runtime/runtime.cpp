// runtime.cpp — Runtime: owns the oneTBB arena sized by the thread preference, and the scratch workspace.
#include "rgemma/runtime.h"

#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>

#include <cassert>

#include "runtime/runtime_impl.h"

namespace rgemma {

namespace {
int resolveThreads(int requested) {
    const int available = tbb::info::default_concurrency();
    if (requested <= 0) return available;
    return requested;
}
}  // namespace

Runtime::Runtime(int threads) : m_impl(std::make_unique<Impl>(resolveThreads(threads))) {}
Runtime::~Runtime() = default;

int Runtime::threads() const { return m_impl->threads; }

PrefillPrecision Runtime::prefillPrecision() const { return m_impl->prefillPrecision; }
void Runtime::setPrefillPrecision(PrefillPrecision precision) { m_impl->prefillPrecision = precision; }

Int8Activations Runtime::int8Activations() const { return m_impl->int8Activations; }
void Runtime::setInt8Activations(Int8Activations activations) { m_impl->int8Activations = activations; }

std::size_t Runtime::Impl::threadSlot() const {
    const int index = tbb::this_task_arena::current_thread_index();
    assert(index >= 0 && index < threads);
    return static_cast<std::size_t>(index);
}

}  // namespace rgemma
