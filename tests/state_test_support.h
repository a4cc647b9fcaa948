// state_test_support.h — what the state file tests share: the golden models, a fixed prompt, a saved state.
#pragma once

#include <QDir>
#include <QString>
#include <QStringList>
#include <QtGlobal>
#include <memory>
#include <string>
#include <vector>

#include "rgemma/model.h"
#include "rgemma/state_file.h"

namespace rctest {

inline const QStringList kStateTestModels{"tiny-f32", "tiny-bf16", "2b-shape-bf16"};

// A golden model by name, or any folder by absolute path.
inline std::unique_ptr<rgemma::Model> loadModel(const QString& name) {
    const QString dir = QDir::isAbsolutePath(name) ? name : QStringLiteral(RC_TEST_DATA_DIR "/%1").arg(name);
    auto model = rgemma::Model::load(dir.toStdString());
    if (!model) qFatal("loading %s: %s", qPrintable(name), model.error().message.c_str());
    return std::move(*model);
}

// A fixed prompt: BOS, then ids spread over the vocabulary.
inline std::vector<rgemma::TokenId> promptOf(std::size_t length) {
    std::vector<rgemma::TokenId> ids{2};
    for (std::size_t i = 1; i < length; ++i) ids.push_back(static_cast<rgemma::TokenId>(5 + (i * 37 + 11) % 990));
    return ids;
}

// The bytes of a valid state file of `model` after `tokens` prompt tokens.
inline std::string stateBytes(const rgemma::Model& model, std::size_t tokens) {
    rgemma::Runtime runtime(2);
    rgemma::State state = model.newState();
    std::vector<float> logits;
    if (!model.forward(runtime, state, promptOf(tokens), rgemma::LogitsMode::None, logits)) qFatal("prefill failed");
    return rgemma::serializeState(state, model);
}

}  // namespace rctest
