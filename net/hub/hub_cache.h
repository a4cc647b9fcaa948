// hub_cache.h — one model repo in the Hugging Face cache, laid out exactly as huggingface_hub lays it out, so both
// share every download:
//   <cache>/models--{org}--{name}/blobs/<etag>               the files' contents, named by etag
//                                 blobs/<etag>.incomplete    a download in progress (resumed from its size)
//                                 snapshots/<commit>/<file>  relative symlinks into blobs/
//                                 refs/<revision>            the commit a branch or tag pointed to
//   <cache>/.locks/models--{org}--{name}/<etag>.lock          held (flock) while a blob is written
// Names reaching these functions are checked first (hub_protocol.h): nothing from the network picks a path.
#pragma once

#include <QString>
#include <optional>
#include <tl/expected.hpp>

namespace hub {

// "google/recurrentgemma-2b" -> "models--google--recurrentgemma-2b".
QString repoFolderName(const QString& repo);
// The reverse, for listing a cache; nullopt for a folder that is not a model repo's.
std::optional<QString> repoFromFolderName(const QString& folder);

class RepoCache {
  public:
    RepoCache(const QString& cacheDir, const QString& repo);

    const QString& cacheDir() const { return m_cacheDir; }
    const QString& repoDir() const { return m_repoDir; }
    QString blobPath(const QString& etag) const;
    QString incompletePath(const QString& etag) const;
    QString lockPath(const QString& etag) const;
    QString snapshotDir(const QString& commit) const;
    QString snapshotPath(const QString& commit, const QString& file) const;
    QString refPath(const QString& revision) const;

    // Whether blobs/<etag> is a complete file (downloads are renamed in only when verified).
    bool hasBlob(const QString& etag) const;
    // snapshots/<commit>/<file> as a relative symlink to blobs/<etag>, replacing whatever was there atomically.
    // The error says what failed, for HubMessages::io.
    tl::expected<void, QString> link(const QString& commit, const QString& file, const QString& etag) const;
    // Whether snapshots/<commit>/<file> holds the file: a link to blobs/<etag> that exists, or (a cache made where
    // symlinks are off) a regular file of `size` bytes.
    bool snapshotHas(const QString& commit, const QString& file, const QString& etag, qint64 size) const;
    // refs/<revision> = commit (no newline, like huggingface_hub), written atomically.
    tl::expected<void, QString> writeRef(const QString& revision, const QString& commit) const;
    // The commit refs/<revision> holds, if it holds one.
    std::optional<QString> readRef(const QString& revision) const;

  private:
    QString m_cacheDir;
    QString m_repoDir;
    QString m_lockDir;
};

// An exclusive flock(2) on a lock file, taken without waiting: the lock huggingface_hub's FileLock takes on the
// same path, so two programs (or two downloads in this one) never write the same blob. Released when destroyed.
class BlobLock {
  public:
    enum class Outcome { Acquired, Busy, Failed };
    BlobLock() = default;
    BlobLock(BlobLock&& other) noexcept;
    BlobLock& operator=(BlobLock&& other) noexcept;
    BlobLock(const BlobLock&) = delete;
    BlobLock& operator=(const BlobLock&) = delete;
    ~BlobLock();

    // Creates the lock file (and its folder) if needed and tries to lock it; `error` says why on Failed.
    Outcome tryLock(const QString& path, QString* error);
    bool isLocked() const { return m_fd >= 0; }
    void unlock();

  private:
    int m_fd = -1;
};

}  // namespace hub
