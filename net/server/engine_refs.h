// net/server/engine_refs.h — what the engine-side code of the server borrows from the thread that owns the model.
#pragma once

#include "prefix_state_cache.h"
#include "rgemma/model.h"
#include "rgemma/runtime.h"
#include "rgemma/tokenizer.h"

namespace rcserver {

struct EngineRefs {
    const rgemma::Model& model;
    const rgemma::Tokenizer& tokenizer;
    rgemma::Runtime& runtime;
    PrefixStateCache& cache;
};

}  // namespace rcserver
