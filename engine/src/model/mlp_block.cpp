// mlp_block.cpp — the gated GELU MLP of every residual layer. ref: torch/modules.py MLPBlock
#include <oneapi/tbb/parallel_for.h>

#include "layers/linear.h"
#include "layers/ops.h"
#include "model/blocks.h"

namespace rgemma {

void mlpBlockForward(Runtime::Impl& runtime, const MlpWeights& weights, const float* input, int64_t tokens,
                     float* output) {
    Workspace& ws = runtime.workspace;
    const int64_t width = weights.gate.outFeatures();  // F
    const auto count = static_cast<std::size_t>(tokens * width);
    float* gate = ensure(ws.a, count);  // [T, F]
    float* up = ensure(ws.b, count);    // [T, F]
    linearForward(runtime, {{weights.gate, gate}, {weights.up, up}}, input, tokens);
    tbb::parallel_for(std::size_t{0}, count, std::size_t{4096}, [&](std::size_t begin) {
        const std::size_t end = std::min(count, begin + 4096);
        geluTanhRows(*runtime.kernels, gate + begin, up + begin, static_cast<int64_t>(end - begin));
    });
    linearForward(runtime, weights.down, gate, tokens, output);
}

}  // namespace rgemma
