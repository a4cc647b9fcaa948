// download_worker.cpp — one download run: listing, planning, the free-space check, then file after file.
#include "download_worker.h"

#include <QDir>
#include <QFileInfo>
#include <QNetworkProxyFactory>
#include <QStorageInfo>
#include <algorithm>

#include "checkpoint_files.h"

namespace hub {

namespace {

using namespace checkpoint;
constexpr int kMaxTreePages = 1000;  // the Hub pages 1000 entries at a time: a million files is not a checkpoint
constexpr int kLockPollMs = 500;
constexpr qint64 kProgressIntervalMs = 250;

// The system's proxy settings (libproxy on Debian: the desktop's settings, else http_proxy / https_proxy /
// no_proxy), for this download's requests only.
class SystemProxyFactory : public QNetworkProxyFactory {
  public:
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery& query) override { return systemProxyForQuery(query); }
};

QString encoded(const QString& text) { return QString::fromLatin1(QUrl::toPercentEncoding(text)); }

// "docs/a b.md" -> "docs/a%20b.md": each segment encoded, the slashes kept.
QString encodedPath(const QString& path) {
    QStringList segments = path.split(u'/');
    for (QString& segment : segments) segment = encoded(segment);
    return segments.join(u'/');
}

template <class T>
void discard(QPointer<T>& operation, QObject* owner) {
    if (!operation) return;
    operation->disconnect(owner);
    operation->deleteLater();
    operation = nullptr;
}

}  // namespace

DownloadWorker::DownloadWorker(const DownloadOptions& options, QObject* parent)
    : QObject(parent), m_context{nullptr, options}, m_cache(options.cacheDir, options.repo) {
    m_lockRetry.setSingleShot(true);
    connect(&m_lockRetry, &QTimer::timeout, this, &DownloadWorker::tryLock);
}

DownloadWorker::~DownloadWorker() { stopWork(false); }

void DownloadWorker::start(int run, bool planOnly) {
    stopWork(false);
    if (!m_context.network) {
        // Created here, on the download's thread, which it must live in.
        m_context.network = new QNetworkAccessManager(this);
        m_context.network->setProxyFactory(new SystemProxyFactory);
    }
    m_run = run;
    m_planOnly = planOnly;
    m_tree.clear();
    m_pagesSeen.clear();
    m_plan = CheckpointPlan{m_context.options.repo, m_context.options.revision, {}, 0, 0};
    m_fileIndex = 0;
    m_commit.clear();
    m_bytesDone = m_fileBytes = m_received = 0;
    m_lastProgressMs = -1;
    m_rate.reset();
    m_clock.start();
    const DownloadOptions& o = m_context.options;
    if (!o.endpoint.isValid() || (o.endpoint.scheme() != u"https" && o.endpoint.scheme() != u"http")) {
        return fail(HubMessages::badEndpoint(o.endpoint.toString()));
    }
    fetchTreePage(QUrl(o.endpoint.toString() + QStringLiteral("/api/models/") + o.repo + QStringLiteral("/tree/") +
                       encoded(o.revision) + QStringLiteral("?recursive=true")));
}

void DownloadWorker::pause() { stopWork(false); }

void DownloadWorker::cancel() {
    stopWork(true);
    // Partial files left by earlier runs of this download go too, each under its lock (never one another program
    // is writing).
    for (const PlannedFile& file : std::as_const(m_plan.files)) {
        if (!QFileInfo::exists(m_cache.incompletePath(file.etag))) continue;
        QString error;
        if (m_lock.tryLock(m_cache.lockPath(file.etag), &error) == BlobLock::Outcome::Acquired) {
            QFile::remove(m_cache.incompletePath(file.etag));
        }
        m_lock.unlock();
    }
}

void DownloadWorker::fetchTreePage(const QUrl& url) {
    if (m_pagesSeen.size() >= kMaxTreePages || m_pagesSeen.contains(url)) {
        return fail(HubMessages::badAnswer(url.host(), HubMessages::tr("the file list never ends")));
    }
    m_pagesSeen.insert(url);
    discard(m_request, this);
    m_request = new HubRequest(m_context, "GET", url, HubRequest::Redirects::Follow, this);
    connect(m_request, &HubRequest::answered, this, &DownloadWorker::onTreePage);
    connect(m_request, &HubRequest::failed, this, &DownloadWorker::fail);
    connect(m_request, &HubRequest::notice, this, [this](const QString& text) { emit notice(m_run, text); });
    m_request->start();
}

void DownloadWorker::onTreePage(const HttpAnswer& answer) {
    if (answer.status != 200) return fail(statusError(m_context, answer, {}));
    auto entries = parseTreePage(answer.body);
    if (!entries) return fail(HubMessages::badAnswer(answer.url.host(), entries.error()));
    m_tree += *entries;
    const QUrl next = nextPageUrl(headerValue(answer.headers, "Link").value_or(QByteArray()), answer.url);
    if (next.isValid()) return fetchTreePage(next);
    discard(m_request, this);
    makePlan();
}

void DownloadWorker::makePlan() {
    QHash<QString, TreeEntry> topLevel;
    for (const TreeEntry& entry : std::as_const(m_tree)) {
        if (entry.isFile && !entry.path.contains(u'/')) topLevel.insert(entry.path, entry);
    }
    QStringList wanted{kConfig, kTokenizer};
    if (topLevel.contains(kIndex)) {
        QStringList shards;
        for (const QString& path : topLevel.keys()) {
            if (path.endsWith(kWeightsSuffix)) shards << path;
        }
        shards.sort();
        if (shards.isEmpty()) return fail(HubMessages::notACheckpoint(m_context.options.repo, kWeightsSuffix));
        wanted << kIndex << shards;
    } else {
        wanted << kWeights;
    }
    for (const QString& path : std::as_const(wanted)) {
        if (!topLevel.contains(path)) return fail(HubMessages::notACheckpoint(m_context.options.repo, path));
        const TreeEntry& entry = topLevel[path];
        PlannedFile file{path, entry.size, entry.etag(), !entry.lfsSha256.isEmpty(), 0};
        file.cachedBytes = m_cache.hasBlob(file.etag)
                               ? file.size
                               : std::min(file.size, QFileInfo(m_cache.incompletePath(file.etag)).size());
        m_plan.totalBytes += file.size;
        m_plan.bytesToFetch += file.size - file.cachedBytes;
        m_plan.files << file;
    }
    // Free space where the cache is (or will be: its nearest existing parent).
    QString existing = m_cache.cacheDir();
    while (!QFileInfo::exists(existing) && QFileInfo(existing).path() != existing)
        existing = QFileInfo(existing).path();
    const QStorageInfo storage(existing);
    if (storage.isValid() && storage.isReady() && m_plan.bytesToFetch > storage.bytesAvailable()) {
        return fail(HubMessages::notEnoughSpace(QDir::toNativeSeparators(m_cache.cacheDir()), m_plan.bytesToFetch,
                                                storage.bytesAvailable()));
    }
    emit planned(m_run, m_plan);
    if (m_planOnly) {
        emit stateChanged(m_run, ModelDownload::State::Idle);
        return;
    }
    emit stateChanged(m_run, ModelDownload::State::Downloading);
    emitProgress(true);
    nextFile();
}

QUrl DownloadWorker::resolveUrl(const QString& file) const {
    const DownloadOptions& o = m_context.options;
    // Once the first file named the commit, the others are asked for at that commit: one consistent snapshot even
    // if the branch moves meanwhile.
    const QString revision = m_commit.isEmpty() ? o.revision : m_commit;
    return QUrl(o.endpoint.toString() + u'/' + o.repo + QStringLiteral("/resolve/") + encoded(revision) + u'/' +
                encodedPath(file));
}

void DownloadWorker::nextFile() {
    if (m_fileIndex == m_plan.files.size()) return finishRun();
    discard(m_request, this);
    m_request = new HubRequest(m_context, "HEAD", resolveUrl(currentFile().path),
                               HubRequest::Redirects::StopAtOtherOrigin, this);
    connect(m_request, &HubRequest::answered, this, &DownloadWorker::onMetadata);
    connect(m_request, &HubRequest::failed, this, &DownloadWorker::fail);
    connect(m_request, &HubRequest::notice, this, [this](const QString& text) { emit notice(m_run, text); });
    m_request->start();
}

void DownloadWorker::onMetadata(const HttpAnswer& answer) {
    const PlannedFile& file = currentFile();
    if (answer.status >= 400) return fail(statusError(m_context, answer, file.path));
    auto metadata = parseFileMetadata(answer.headers, answer.url);
    if (!metadata) return fail(HubMessages::badAnswer(answer.url.host(), metadata.error()));
    const bool sameCommit = m_commit.isEmpty() || metadata->commit == m_commit;
    if (!sameCommit || metadata->etag != file.etag || metadata->size != file.size) {
        return fail(HubMessages::changedDuringDownload(m_context.options.repo, file.path));
    }
    m_commit = metadata->commit;
    m_metadata = *metadata;
    discard(m_request, this);
    placeFile();
}

void DownloadWorker::placeFile() {
    const PlannedFile& file = currentFile();
    if (m_cache.snapshotHas(m_commit, file.path, file.etag, file.size)) return fileDone();
    if (m_cache.hasBlob(file.etag)) {
        if (auto linked = m_cache.link(m_commit, file.path, file.etag); !linked) {
            return fail(HubMessages::io(m_cache.snapshotPath(m_commit, file.path), linked.error()));
        }
        return fileDone();
    }
    m_toldAboutLock = false;
    tryLock();
}

void DownloadWorker::tryLock() {
    const PlannedFile& file = currentFile();
    QString error;
    switch (m_lock.tryLock(m_cache.lockPath(file.etag), &error)) {
        case BlobLock::Outcome::Acquired:
            // Another program may have finished this blob while we waited for its lock.
            if (m_cache.hasBlob(file.etag)) {
                m_lock.unlock();
                return placeFile();
            }
            return startTransfer();
        case BlobLock::Outcome::Busy:
            if (!m_toldAboutLock) emit notice(m_run, HubMessages::waitingForLock(file.path));
            m_toldAboutLock = true;
            m_lockRetry.start(kLockPollMs);
            return;
        case BlobLock::Outcome::Failed:
            return fail(HubMessages::io(m_cache.lockPath(file.etag), error));
    }
}

void DownloadWorker::startTransfer() {
    const PlannedFile& file = currentFile();
    m_fileBytes = std::max<qint64>(0, QFileInfo(m_cache.incompletePath(file.etag)).size());
    m_transfer = new BlobTransfer(m_context, m_cache,
                                  BlobTask{file.path, m_metadata.location, file.etag, file.size, file.lfs}, this);
    connect(m_transfer, &BlobTransfer::progress, this, &DownloadWorker::onFileProgress);
    connect(m_transfer, &BlobTransfer::failed, this, &DownloadWorker::fail);
    connect(m_transfer, &BlobTransfer::notice, this, [this](const QString& text) { emit notice(m_run, text); });
    connect(m_transfer, &BlobTransfer::finished, this, [this] {
        discard(m_transfer, this);
        m_lock.unlock();
        placeFile();  // links the blob now in place
    });
    m_transfer->start();
}

void DownloadWorker::onFileProgress(qint64 fileBytes) {
    if (fileBytes > m_fileBytes) m_received += fileBytes - m_fileBytes;
    m_fileBytes = fileBytes;
    emitProgress(false);
}

void DownloadWorker::fileDone() {
    m_bytesDone += currentFile().size;
    m_fileBytes = 0;
    ++m_fileIndex;
    emitProgress(true);
    nextFile();
}

void DownloadWorker::finishRun() {
    discard(m_request, this);
    const QString& revision = m_context.options.revision;
    if (revision != m_commit) {
        if (auto written = m_cache.writeRef(revision, m_commit); !written) {
            return fail(HubMessages::io(m_cache.refPath(revision), written.error()));
        }
    }
    emit stateChanged(m_run, ModelDownload::State::Finished);
    emit finished(m_run, m_cache.snapshotDir(m_commit));
}

void DownloadWorker::fail(const HubError& error) {
    stopWork(false);
    emit stateChanged(m_run, ModelDownload::State::Failed);
    emit failed(m_run, error);
}

void DownloadWorker::stopWork(bool deletePartial) {
    discard(m_request, this);
    if (m_transfer) m_transfer->stop(deletePartial);
    discard(m_transfer, this);
    m_lockRetry.stop();
    m_lock.unlock();
}

void DownloadWorker::emitProgress(bool force) {
    const qint64 now = m_clock.elapsed();
    m_rate.add(m_received, now);
    if (!force && m_lastProgressMs >= 0 && now - m_lastProgressMs < kProgressIntervalMs) return;
    m_lastProgressMs = now;
    DownloadProgress report;
    report.file = m_fileIndex < m_plan.files.size() ? currentFile().path : QString();
    report.bytesDone = m_bytesDone + m_fileBytes;
    report.bytesTotal = m_plan.totalBytes;
    report.bytesPerSecond = m_rate.bytesPerSecond();
    report.secondsLeft = m_rate.secondsLeft(report.bytesTotal - report.bytesDone);
    report.filesDone = static_cast<int>(m_fileIndex);
    report.filesTotal = static_cast<int>(m_plan.files.size());
    emit progress(m_run, report);
}

}  // namespace hub
