// rgemma/demo_model.h — where the built-in demo model is: the small RecurrentGemma-architecture model trained by
// this project (resources/demo-model), used by the app and rgemma when no other model is chosen.
#pragma once

#include <filesystem>
#include <optional>

namespace rgemma {

// The installed copy (<prefix>/share/recurrent-chat/demo-model, found relative to the running executable), else
// the copy in the source tree this binary was built from; nullopt if neither has a config.json.
std::optional<std::filesystem::path> findDemoModel();

}  // namespace rgemma
