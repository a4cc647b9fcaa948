// rgemma/file_io.h — the file helpers every file format of ours shares, public so that front ends writing their own
// formats (the app's .rgchat conversation files) use the same ones: an atomic replace and the XXH64 checksum.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

#include "rgemma/error.h"

namespace rgemma {

// Writes `bytes` to a new temporary file "<path>.tmp-XXXXXX" in the same folder (mode 0600), fsyncs it, renames
// it over `path` and fsyncs the folder, so the rename itself survives a power cut. On any failure (disk full,
// no permission, missing folder) the temporary file is removed, `path` is untouched, and the Io error names the
// path and the system's reason. A process killed mid-write can leave a temporary file behind, never a torn `path`.
Result<void> writeFileAtomically(const std::filesystem::path& path, std::string_view bytes);

// XXH64 of `size` bytes (engine/src/io/xxhash64.h has the streaming form): the model fingerprint's and every file's
// checksum. It catches corruption; it is not a defence against a forger.
uint64_t xxh64(const void* data, std::size_t size, uint64_t seed = 0);

}  // namespace rgemma
