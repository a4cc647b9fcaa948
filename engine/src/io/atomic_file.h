// atomic_file.h — replacing a file so that a crash at any moment leaves either the old content or the new one.
#pragma once

#include <filesystem>
#include <string_view>

#include "rgemma/error.h"

namespace rgemma {

// Writes `bytes` to a new temporary file "<path>.tmp-XXXXXX" in the same folder (mode 0600), fsyncs it, renames
// it over `path` and fsyncs the folder, so the rename itself survives a power cut. On any failure (disk full,
// no permission, missing folder) the temporary file is removed, `path` is untouched, and the Io error names the
// path and the system's reason. A process killed mid-write can leave a temporary file behind, never a torn `path`.
Result<void> writeFileAtomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace rgemma
