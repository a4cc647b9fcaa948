// partial_blob.h — blobs/<etag>.incomplete: the file a download appends to, kept across dropped connections and
// restarts (its size is where the next Range request starts). Written with POSIX calls so a failed write says
// whether the disk was full (ENOSPC, EDQUOT, EFBIG), which Qt's file classes do not tell.
#pragma once

#include <QString>
#include <tl/expected.hpp>

namespace hub {

struct WriteFailure {
    bool diskFull = false;
    QString detail;  // strerror's text
};

class PartialBlob {
  public:
    PartialBlob() = default;
    PartialBlob(PartialBlob&& other) noexcept;
    PartialBlob& operator=(PartialBlob&& other) noexcept;
    PartialBlob(const PartialBlob&) = delete;
    PartialBlob& operator=(const PartialBlob&) = delete;
    ~PartialBlob();

    // Opens (creating it and its folder if needed) `path` for appending.
    static tl::expected<PartialBlob, WriteFailure> open(const QString& path);

    const QString& path() const { return m_path; }
    qint64 size() const { return m_size; }
    bool isOpen() const { return m_fd >= 0; }

    tl::expected<void, WriteFailure> append(const char* data, qint64 length);
    // Back to zero bytes: the server restarted the file (200 to a Range request, 416).
    tl::expected<void, WriteFailure> truncate();
    // fsync()s and closes, then renames the file to `target` (in the same folder) and syncs that folder: after a
    // crash the blob is there whole or not at all.
    tl::expected<void, WriteFailure> moveTo(const QString& target);
    // Closes and deletes the file (a corrupt download, a cancelled one).
    void remove();
    void close();

  private:
    QString m_path;
    int m_fd = -1;
    qint64 m_size = 0;
};

}  // namespace hub
