// checkpoint_files.h — the names of a Hugging Face RecurrentGemma checkpoint's files: what a download fetches and
// what the cache listing looks for (the engine opens the same folder: rgemma/checkpoint.h).
#pragma once

#include <QString>

namespace hub::checkpoint {

inline const QString kConfig = QStringLiteral("config.json");
inline const QString kTokenizer = QStringLiteral("tokenizer.model");
inline const QString kIndex = QStringLiteral("model.safetensors.index.json");  // names the shards, when sharded
inline const QString kWeights = QStringLiteral("model.safetensors");           // when not
inline const QString kWeightsSuffix = QStringLiteral(".safetensors");

}  // namespace hub::checkpoint
