// blob_transfer.h — BlobTransfer: brings one file into blobs/<etag>. It appends to blobs/<etag>.incomplete and
// resumes from its size with a Range request (after a dropped or stalled connection in the same run, with backoff,
// or after a restart); a 206 continues, a 200 to a Range request or a 416 starts the file again. The content is
// hashed as it arrives (the part already on disk first) and checked against the etag — the SHA-256 of an LFS file,
// the git blob id of any other — and the size, before the file is renamed into blobs/; a mismatch deletes the
// partial file. Retries are bounded: maxAttempts failures in a row without a byte of progress, and a hard cap on
// all attempts. The caller holds the blob's lock. Lives on the download's thread.
#pragma once

#include <QCryptographicHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include "hub_cache.h"
#include "hub_context.h"
#include "partial_blob.h"

namespace hub {

struct BlobTask {
    QString file;  // its path in the repo, for messages
    QUrl url;      // where to GET it: the resolve URL, or where the Hub redirected it (the storage host)
    QString etag;  // the SHA-256 (lfs) or the git blob id
    qint64 size = 0;
    bool lfs = false;
};

class BlobTransfer : public QObject {
    Q_OBJECT
  public:
    BlobTransfer(const HubContext& context, const RepoCache& cache, BlobTask task, QObject* parent = nullptr);
    ~BlobTransfer() override;

    void start();
    // Stops without any further signal; keeps the partial file for a later resume unless `deletePartial`.
    void stop(bool deletePartial);

  signals:
    void progress(qint64 fileBytes);  // bytes of this file on disk now
    void finished();                  // blobs/<etag> is in place, complete and verified
    void failed(const hub::HubError& error);
    void notice(const QString& text);

  private:
    void restartContent();
    void hashExistingSlice(qint64 offset);
    void request();
    void send(const QUrl& url);
    void onHeaders();
    // Appends what `reply` has to the partial file (if its body is the content); false if that failed the transfer.
    bool consume(QNetworkReply* reply);
    void onFinished();
    void retryAfterFailure(const HubError& finalError, const QString& reason);
    void verifyAndMoveIn();
    void fail(const HubError& error, bool deletePartial);
    void failWrite(const WriteFailure& failure);

    const HubContext& m_context;
    const RepoCache& m_cache;
    BlobTask m_task;
    PartialBlob m_partial;
    QCryptographicHash m_hash;
    QPointer<QNetworkReply> m_reply;
    QUrl m_url;  // this attempt's URL (after redirects)
    QTimer m_stallTimer;
    QTimer m_retryTimer;
    qint64 m_requestedFrom = 0;  // the Range start of this attempt (0: no Range)
    bool m_accepting = false;    // this answer's body is the file's content
    bool m_stalled = false;
    bool m_restartNow = false;      // a 416 or a wrong Content-Range: start again from zero at once
    bool m_resumedPartial = false;  // the content began with bytes from an earlier attempt or run
    bool m_freshRetryDone = false;  // a checksum mismatch after a resume gets one fresh download
    bool m_stopped = false;
    int m_failures = 0;  // in a row, without progress
    int m_attempts = 0;  // all of them
    int m_hops = 0;
};

}  // namespace hub
