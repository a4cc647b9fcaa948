// demo_model.h — where the built-in demo model is: the small RecurrentGemma-architecture model trained by this project
// (resources/demo-model), which the app installs and uses, like rgemma, when no other model is chosen. Where the app
// installs its files is the app's business, not the engine's: this library is shared by the GUI (ui/) and rgemma.
#pragma once

#include <filesystem>
#include <optional>

namespace rgemma {

// The installed copy (<prefix>/share/recurrent-chat/demo-model, found relative to the running executable), else
// the copy in the source tree this binary was built from; nullopt if neither has a config.json.
std::optional<std::filesystem::path> findDemoModel();

}  // namespace rgemma
