// runtime.cpp — Runtime: owns the oneTBB arena sized by the thread preference, and the scratch workspace.
#include "rgemma/runtime.h"

#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>

#include <cassert>

#include "layers/weight_plan.h"
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

std::string_view Runtime::isa() const { return isaName(m_impl->kernels->isa); }

PrefillArithmetic Runtime::prefillArithmetic(PrefillPrecision precision, DType weights) const {
    return rgemma::prefillArithmetic(*m_impl->kernels, precision, weights);
}

std::string_view prefillArithmeticName(PrefillArithmetic arithmetic) {
    switch (arithmetic) {
        case PrefillArithmetic::Exact:
            return "exact";
        case PrefillArithmetic::Bf16:
            return "bf16";
        case PrefillArithmetic::Int8:
            return "int8";
    }
    return "exact";
}

std::size_t Runtime::Impl::threadSlot() const {
    const int index = tbb::this_task_arena::current_thread_index();
    assert(index >= 0 && index < threads);
    return static_cast<std::size_t>(index);
}

}  // namespace rgemma
