// partial_blob.cpp — appending to, truncating and moving in a download's .incomplete file.
#include "partial_blob.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <cerrno>
#include <cstring>

namespace hub {

namespace {

WriteFailure failure() {
    const int error = errno;
    return WriteFailure{error == ENOSPC || error == EDQUOT || error == EFBIG,
                        QString::fromLocal8Bit(std::strerror(error))};
}

}  // namespace

PartialBlob::PartialBlob(PartialBlob&& other) noexcept
    : m_path(std::move(other.m_path)), m_fd(std::exchange(other.m_fd, -1)), m_size(other.m_size) {}

PartialBlob& PartialBlob::operator=(PartialBlob&& other) noexcept {
    if (this != &other) {
        close();
        m_path = std::move(other.m_path);
        m_fd = std::exchange(other.m_fd, -1);
        m_size = other.m_size;
    }
    return *this;
}

PartialBlob::~PartialBlob() { close(); }

tl::expected<PartialBlob, WriteFailure> PartialBlob::open(const QString& path) {
    const QString folder = QFileInfo(path).path();
    if (!QDir().mkpath(folder)) {
        errno = EACCES;
        return tl::unexpected(failure());
    }
    PartialBlob blob;
    blob.m_path = path;
    blob.m_fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (blob.m_fd < 0) return tl::unexpected(failure());
    struct stat status {};
    if (::fstat(blob.m_fd, &status) != 0) return tl::unexpected(failure());
    blob.m_size = status.st_size;
    return blob;
}

tl::expected<void, WriteFailure> PartialBlob::append(const char* data, qint64 length) {
    while (length > 0) {
        const ssize_t written = ::write(m_fd, data, static_cast<size_t>(length));
        if (written < 0) {
            if (errno == EINTR) continue;
            return tl::unexpected(failure());
        }
        data += written;
        length -= written;
        m_size += written;
    }
    return {};
}

tl::expected<void, WriteFailure> PartialBlob::truncate() {
    if (::ftruncate(m_fd, 0) != 0) return tl::unexpected(failure());
    m_size = 0;
    return {};
}

tl::expected<void, WriteFailure> PartialBlob::moveTo(const QString& target) {
    if (::fsync(m_fd) != 0) return tl::unexpected(failure());
    close();
    if (::rename(QFile::encodeName(m_path).constData(), QFile::encodeName(target).constData()) != 0) {
        return tl::unexpected(failure());
    }
    const int folder =
        ::open(QFile::encodeName(QFileInfo(target).path()).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder >= 0) {
        ::fsync(folder);
        ::close(folder);
    }
    return {};
}

void PartialBlob::remove() {
    close();
    if (!m_path.isEmpty()) ::unlink(QFile::encodeName(m_path).constData());
    m_size = 0;
}

void PartialBlob::close() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
}

}  // namespace hub
