// mapped_file.h — a read-only memory mapping of a whole file (POSIX mmap), movable, unmapped on destruction.
#pragma once

#include <cstddef>
#include <filesystem>

#include "rgemma/error.h"

namespace rgemma {

class MappedFile {
  public:
    static Result<MappedFile> open(const std::filesystem::path& path);

    MappedFile() = default;
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile();

    const std::byte* data() const { return m_data; }
    std::size_t size() const { return m_size; }
    const std::filesystem::path& path() const { return m_path; }

  private:
    const std::byte* m_data = nullptr;
    std::size_t m_size = 0;
    std::filesystem::path m_path;
};

}  // namespace rgemma
