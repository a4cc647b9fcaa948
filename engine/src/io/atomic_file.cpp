// atomic_file.cpp — write-to-temporary, fsync, rename, fsync-the-folder (POSIX).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "rgemma/file_io.h"

namespace rgemma {

namespace {

tl::unexpected<Error> ioError(const std::filesystem::path& path, const std::string& what, int errnoValue) {
    return makeError(ErrorCode::Io, "cannot " + what + " '" + path.string() + "': " + std::strerror(errnoValue));
}

// Writes everything, retrying short writes and EINTR; returns 0 or the errno of the failure.
int writeAll(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        if (written == 0) return EIO;  // no progress and no error: do not loop forever
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    return 0;
}

// The folder's entry for the rename is only durable once the folder itself is synced.
int syncFolder(const std::filesystem::path& folder) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return errno;
    const int result = ::fsync(fd) == 0 ? 0 : errno;
    ::close(fd);
    return result;
}

}  // namespace

Result<void> writeFileAtomically(const std::filesystem::path& path, std::string_view bytes) {
    const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::string templateName = path.string() + ".tmp-XXXXXX";
    std::vector<char> name(templateName.begin(), templateName.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0) return ioError(path, "create a temporary file next to", errno);
    const std::filesystem::path temporary(name.data());

    auto fail = [&](const std::string& what, int errnoValue) {
        ::unlink(temporary.c_str());
        return ioError(path, what, errnoValue);
    };
    if (const int error = writeAll(fd, bytes); error != 0) {
        ::close(fd);
        return fail("write", error);  // ENOSPC reads "No space left on device"
    }
    if (::fsync(fd) != 0) {
        const int error = errno;
        ::close(fd);
        return fail("flush to disk", error);
    }
    // close() can report a deferred write error (NFS); after a successful fsync that is rare but still an error.
    if (::close(fd) != 0) return fail("close", errno);
    if (::rename(temporary.c_str(), path.c_str()) != 0) return fail("replace", errno);
    if (const int error = syncFolder(folder); error != 0) {
        // The new content is in place; only its durability across a power cut is in doubt.
        return ioError(path, "flush the folder holding", error);
    }
    return {};
}

}  // namespace rgemma
