// download_worker.h — DownloadWorker: the download itself, on ModelDownload's thread. One run: list the repo's
// files (tree API, page by page), plan the checkpoint's files against the cache, check the free space, then for
// each file ask the Hub where it is (HEAD resolve: commit, etag, size, redirect), and link it into
// snapshots/<commit>/ from a blob already there or one BlobTransfer fetches under the blob's lock; last, refs/<rev>.
// Every signal carries the run it belongs to, so ModelDownload can drop what a paused or cancelled run still sent.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include "blob_transfer.h"
#include "hub_cache.h"
#include "hub_context.h"
#include "hub_request.h"
#include "model_download.h"
#include "transfer_rate.h"

namespace hub {

class DownloadWorker : public QObject {
    Q_OBJECT
  public:
    // `options` resolved: endpoint, cacheDir set.
    explicit DownloadWorker(const DownloadOptions& options, QObject* parent = nullptr);
    ~DownloadWorker() override;

  public slots:
    void start(int run, bool planOnly);
    void pause();
    void cancel();

  signals:
    void stateChanged(int run, hub::ModelDownload::State state);
    void planned(int run, const hub::CheckpointPlan& plan);
    void progress(int run, const hub::DownloadProgress& progress);
    void notice(int run, const QString& text);
    void finished(int run, const QString& snapshotDir);
    void failed(int run, const hub::HubError& error);

  private:
    void fetchTreePage(const QUrl& url);
    void onTreePage(const HttpAnswer& answer);
    void makePlan();
    void nextFile();
    void onMetadata(const HttpAnswer& answer);
    void placeFile();
    void tryLock();
    void startTransfer();
    void onFileProgress(qint64 fileBytes);
    void fileDone();
    void finishRun();
    void fail(const HubError& error);
    void stopWork(bool deletePartial);
    void emitProgress(bool force);
    QUrl resolveUrl(const QString& file) const;
    const PlannedFile& currentFile() const { return m_plan.files.at(m_fileIndex); }

    HubContext m_context;
    RepoCache m_cache;
    int m_run = 0;
    bool m_planOnly = false;
    // The run's work in progress: at most one request or transfer at a time.
    // Children of this worker, stopped and deleted later when done with (they may be inside one of their signals).
    QPointer<HubRequest> m_request;
    QPointer<BlobTransfer> m_transfer;
    BlobLock m_lock;
    QTimer m_lockRetry{this};  // a child, so it moves to the download's thread with the worker
    bool m_toldAboutLock = false;
    // The listing.
    QList<TreeEntry> m_tree;
    QSet<QUrl> m_pagesSeen;
    // The plan and where the run is in it.
    CheckpointPlan m_plan;
    qsizetype m_fileIndex = 0;
    QString m_commit;
    FileMetadata m_metadata;
    // Progress.
    qint64 m_bytesDone = 0;  // files in place
    qint64 m_fileBytes = 0;  // the current file's bytes on disk
    qint64 m_received = 0;   // bytes received this run, for the rate
    QElapsedTimer m_clock;
    qint64 m_lastProgressMs = -1;
    TransferRate m_rate;
};

}  // namespace hub
