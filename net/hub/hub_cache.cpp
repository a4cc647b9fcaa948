// hub_cache.cpp — paths, symlinks, refs and locks of the Hugging Face cache layout.
#include "hub_cache.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSaveFile>
#include <cerrno>
#include <cstring>

#include "hub_error.h"

namespace hub {

namespace {

const QString kModelsPrefix = QStringLiteral("models--");

QString systemError() { return QString::fromLocal8Bit(std::strerror(errno)); }

}  // namespace

QString repoFolderName(const QString& repo) { return kModelsPrefix + QString(repo).replace(u'/', QLatin1String("--")); }

std::optional<QString> repoFromFolderName(const QString& folder) {
    if (!folder.startsWith(kModelsPrefix) || folder.size() == kModelsPrefix.size()) return std::nullopt;
    // Repo names never contain "--", so the first one separates the owner from the name.
    QString repo = folder.mid(kModelsPrefix.size());
    const qsizetype separator = repo.indexOf(QLatin1String("--"));
    if (separator >= 0) repo.replace(separator, 2, u'/');
    if (repo.contains(QLatin1String("--"))) return std::nullopt;
    return repo;
}

RepoCache::RepoCache(const QString& cacheDir, const QString& repo)
    : m_cacheDir(QDir::cleanPath(cacheDir)),
      m_repoDir(m_cacheDir + u'/' + repoFolderName(repo)),
      m_lockDir(m_cacheDir + QStringLiteral("/.locks/") + repoFolderName(repo)) {}

QString RepoCache::blobPath(const QString& etag) const { return m_repoDir + QStringLiteral("/blobs/") + etag; }

QString RepoCache::incompletePath(const QString& etag) const { return blobPath(etag) + QStringLiteral(".incomplete"); }

QString RepoCache::lockPath(const QString& etag) const { return m_lockDir + u'/' + etag + QStringLiteral(".lock"); }

QString RepoCache::snapshotDir(const QString& commit) const {
    return m_repoDir + QStringLiteral("/snapshots/") + commit;
}

QString RepoCache::snapshotPath(const QString& commit, const QString& file) const {
    return snapshotDir(commit) + u'/' + file;
}

QString RepoCache::refPath(const QString& revision) const { return m_repoDir + QStringLiteral("/refs/") + revision; }

bool RepoCache::hasBlob(const QString& etag) const {
    const QFileInfo info(blobPath(etag));
    return info.isFile() && !info.isSymLink();
}

tl::expected<void, QString> RepoCache::link(const QString& commit, const QString& file, const QString& etag) const {
    const QString path = snapshotPath(commit, file);
    const QString folder = QFileInfo(path).path();
    if (!QDir().mkpath(folder)) return tl::unexpected(HubMessages::tr("cannot create %1").arg(folder));
    // snapshots/<commit>/a/b/file -> ../../../blobs/<etag>: one ".." per folder between the file and the repo.
    const QString target =
        QString(QStringLiteral("../")).repeated(2 + file.count(u'/')) + QStringLiteral("blobs/") + etag;
    if (QFileInfo(path).symLinkTarget() == QFileInfo(blobPath(etag)).absoluteFilePath()) return {};
    // A new link beside the old one, renamed over it: readers see the old file or the new one, never neither.
    const QString temporary =
        path + QStringLiteral(".link-%1").arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'));
    if (::symlink(QFile::encodeName(target).constData(), QFile::encodeName(temporary).constData()) != 0) {
        return tl::unexpected(systemError());
    }
    if (::rename(QFile::encodeName(temporary).constData(), QFile::encodeName(path).constData()) != 0) {
        const QString error = systemError();
        ::unlink(QFile::encodeName(temporary).constData());
        return tl::unexpected(error);
    }
    return {};
}

bool RepoCache::snapshotHas(const QString& commit, const QString& file, const QString& etag, qint64 size) const {
    const QFileInfo info(snapshotPath(commit, file));
    if (info.isSymLink()) return hasBlob(etag) && info.symLinkTarget() == QFileInfo(blobPath(etag)).absoluteFilePath();
    return info.isFile() && info.size() == size;
}

tl::expected<void, QString> RepoCache::writeRef(const QString& revision, const QString& commit) const {
    const QString path = refPath(revision);
    if (readRef(revision) == commit) return {};
    if (!QDir().mkpath(QFileInfo(path).path())) return tl::unexpected(HubMessages::tr("cannot create %1").arg(path));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(commit.toLatin1()) != commit.size() || !file.commit()) {
        return tl::unexpected(file.errorString());
    }
    return {};
}

std::optional<QString> RepoCache::readRef(const QString& revision) const {
    QFile file(refPath(revision));
    if (!file.open(QIODevice::ReadOnly)) return std::nullopt;
    const QString commit = QString::fromLatin1(file.read(64)).trimmed();
    if (commit.size() != 40) return std::nullopt;
    return commit;
}

BlobLock::BlobLock(BlobLock&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}

BlobLock& BlobLock::operator=(BlobLock&& other) noexcept {
    if (this != &other) {
        unlock();
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

BlobLock::~BlobLock() { unlock(); }

BlobLock::Outcome BlobLock::tryLock(const QString& path, QString* error) {
    unlock();
    if (!QDir().mkpath(QFileInfo(path).path())) {
        *error = HubMessages::tr("cannot create %1").arg(QFileInfo(path).path());
        return Outcome::Failed;
    }
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        *error = systemError();
        return Outcome::Failed;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const bool busy = errno == EWOULDBLOCK;
        if (!busy) *error = systemError();
        ::close(fd);
        return busy ? Outcome::Busy : Outcome::Failed;
    }
    m_fd = fd;
    return Outcome::Acquired;
}

void BlobLock::unlock() {
    if (m_fd < 0) return;
    ::flock(m_fd, LOCK_UN);
    ::close(m_fd);
    m_fd = -1;
}

}  // namespace hub
