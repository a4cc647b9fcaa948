// hub_error.h — what went wrong with a Hub request or download: a kind the UI can act on (ask for a token, offer
// a retry, free some space) and one translated sentence that says what failed and where.
#pragma once

#include <QCoreApplication>
#include <QMetaType>
#include <QString>
#include <QUrl>

namespace hub {

enum class ErrorKind {
    Gated,           // 401: the repo is gated and no token was given, or the Hub refused the token
    NoAccess,        // 403: the token is valid but the licence is not accepted (or not yet approved)
    NotFound,        // 404 (or the Hub's RepoNotFound): no such repo, revision or file
    Network,         // refused, reset, dropped, stalled, DNS, proxy, HTTP 5xx: after the bounded retries
    Tls,             // the certificate could not be verified; nothing is fetched over an unverified connection
    DiskFull,        // a write failed for lack of space (ENOSPC, EDQUOT, EFBIG); the partial file is kept
    NotEnoughSpace,  // the free-space check before the download: nothing was started
    Corrupt,         // a file's size or SHA-256 differs from the Hub's; its partial file was deleted
    BadAnswer,       // the Hub answered something unusable (malformed JSON, missing headers, hostile paths)
    NotACheckpoint,  // the repo lacks config.json, tokenizer.model or safetensors weights
    Io,              // any other local file error (permissions, a read-only cache)
};

struct HubError {
    ErrorKind kind = ErrorKind::BadAnswer;
    QString message;  // translated, one line
};

// The sentences of every error, translated (context "HubMessages" in translations/*.ts). `repoPage` is the repo's
// page on the Hub (https://huggingface.co/google/recurrentgemma-2b), where the licence is accepted.
class HubMessages {
    Q_DECLARE_TR_FUNCTIONS(HubMessages)
  public:
    static HubError gated(const QUrl& repoPage, bool tokenGiven);
    static HubError noAccess(const QUrl& repoPage);
    static HubError repoNotFound(const QString& repo, const QUrl& endpoint);
    static HubError revisionNotFound(const QString& repo, const QString& revision);
    static HubError fileNotFound(const QString& repo, const QString& file);
    static HubError network(const QString& host, const QString& detail, int attempts);
    static HubError stalled(const QString& host, int stallMs, int attempts);
    static HubError serverError(const QString& host, int status, int attempts);
    static HubError tls(const QString& host, const QString& detail);
    static HubError diskFull(const QString& path, const QString& detail);
    static HubError notEnoughSpace(const QString& folder, qint64 needed, qint64 available);
    static HubError wrongSize(const QString& file, qint64 actual, qint64 expected);
    static HubError wrongChecksum(const QString& file);
    static HubError badAnswer(const QString& host, const QString& detail);
    static HubError changedDuringDownload(const QString& repo, const QString& file);
    static HubError notACheckpoint(const QString& repo, const QString& missing);
    static HubError io(const QString& path, const QString& detail);
    static HubError badEndpoint(const QString& endpoint);
    // "1.5 GB", "806 bytes": sizes in the messages (decimal units, like the Hub's pages).
    static QString size(qint64 bytes);
    // Transient notes while a download goes on (shown, not failures).
    static QString retrying(const QString& reason, int attempt, int maxAttempts, int delayMs);
    static QString rangeIgnored(const QString& file);
    static QString waitingForLock(const QString& file);
    static QString connectionDropped(const QString& host, const QString& detail);
    static QString noDataFor(const QString& host, int stallMs);
    static QString serverStatus(const QString& host, int status);
};

}  // namespace hub

Q_DECLARE_METATYPE(hub::HubError)
