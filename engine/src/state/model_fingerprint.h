// model_fingerprint.h — the identity of a model, for binding a saved State to the model that made it.
#pragma once

#include <string>

#include "io/weight_store.h"
#include "rgemma/config.h"

namespace rgemma {

// 32 lowercase hex digits: a 128-bit hash (two XXH64 streams with different seeds) over a canonical serialization
// of every config field, every tensor's name, dtype and shape, and sampled bytes of every tensor's content (its
// first and last 4 KiB and 16 evenly spaced 256-byte pieces; small tensors whole). Two checkpoints of the same
// shape differ in essentially every sample, so they get different fingerprints; resharding the same weights
// does not change it. Touches about 20 pages per tensor, so it costs milliseconds even for a 17 GB checkpoint.
std::string computeModelFingerprint(const ModelConfig& config, const WeightStore& store);

}  // namespace rgemma
