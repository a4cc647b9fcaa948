// engine/src/io/mapped_file.cpp — read-only POSIX mapping of a whole file; every failure names the path and errno text.
#include "io/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <utility>

namespace rgemma {

namespace {

tl::unexpected<Error> ioError(const std::filesystem::path& path, const char* what, int errnoValue) {
    return makeError(ErrorCode::Io,
                     "cannot " + std::string(what) + " '" + path.string() + "': " + std::strerror(errnoValue));
}

// Closes the descriptor on every path out of open(): the mapping keeps the file alive without it.
struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
};

}  // namespace

Result<MappedFile> MappedFile::open(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ioError(path, "open", errno);
    const FdCloser closer{fd};

    struct stat info {};
    if (::fstat(fd, &info) != 0) return ioError(path, "stat", errno);
    if (!S_ISREG(info.st_mode)) {
        return makeError(ErrorCode::Io, "cannot map '" + path.string() + "': not a regular file");
    }
    if (info.st_size < 0 || static_cast<uint64_t>(info.st_size) > std::numeric_limits<std::size_t>::max()) {
        return makeError(ErrorCode::Io, "cannot map '" + path.string() + "': unsupported file size");
    }

    MappedFile mapped;
    mapped.m_path = path;
    mapped.m_size = static_cast<std::size_t>(info.st_size);
    if (mapped.m_size == 0) return mapped;  // mmap rejects a zero length; an empty file is simply no bytes

    // MAP_PRIVATE + PROT_READ: the weights are used in place and never written back.
    void* address = ::mmap(nullptr, mapped.m_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (address == MAP_FAILED) return ioError(path, "map", errno);
    mapped.m_data = static_cast<const std::byte*>(address);
    return mapped;
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr)),
      m_size(std::exchange(other.m_size, 0)),
      m_path(std::move(other.m_path)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
    if (this != &other) {
        MappedFile old(std::move(*this));  // unmapped when `old` goes out of scope
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
        m_path = std::move(other.m_path);
    }
    return *this;
}

MappedFile::~MappedFile() {
    if (m_data != nullptr) ::munmap(const_cast<std::byte*>(m_data), m_size);
}

}  // namespace rgemma
