// demo_model.cpp — locating the demo model: next to an installed binary first, then the source tree.
#include "demo_model.h"

#include <system_error>

namespace rgemma {

namespace {
bool isModelFolder(const std::filesystem::path& dir) {
    std::error_code ec;
    return std::filesystem::is_regular_file(dir / "config.json", ec);
}
}  // namespace

std::optional<std::filesystem::path> findDemoModel() {
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        // <prefix>/bin/recurrent-chat -> <prefix>/share/recurrent-chat/demo-model
        const auto installed = exe.parent_path().parent_path() / "share" / "recurrent-chat" / "demo-model";
        if (isModelFolder(installed)) return installed;
    }
    const std::filesystem::path source(RGEMMA_DEMO_MODEL_SOURCE_DIR);
    if (isModelFolder(source)) return source;
    return std::nullopt;
}

}  // namespace rgemma
