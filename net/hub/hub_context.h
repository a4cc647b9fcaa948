// hub_context.h — what every request of one download shares (the network manager, the resolved options) and the
// rules they all follow: which headers go out (the token only to the endpoint's own origin, so a redirect to a
// storage host never carries it), how long to wait before a retry, and how an answer or a failure becomes a
// HubError or a retry.
#pragma once

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QString>
#include <QUrl>

#include "download_types.h"
#include "hub_error.h"
#include "hub_protocol.h"

namespace hub {

struct HubContext {
    QNetworkAccessManager* network = nullptr;  // lives on the download's thread
    DownloadOptions options;                   // endpoint, token and cacheDir resolved (never empty but the token)

    // Headers for `url`: our User-Agent, no compression (byte offsets are the file's), manual redirects (so the
    // token is dropped across origins), and `Authorization: Bearer` only when `url` is on the endpoint's origin.
    QNetworkRequest request(const QUrl& url) const;
    // The repo's page on the Hub, where its licence is accepted.
    QUrl repoPage() const;
    // The wait before try number `failures + 1`: backoffMs doubled per failure, at most backoffMaxMs.
    int backoffDelayMs(int failures) const;
    bool hasToken() const { return isSendableToken(options.token); }
};

// Aborts `reply` (if any) without another signal to `owner`, deletes it later (it may be inside one of its own
// signals) and forgets it.
void dropReply(QPointer<QNetworkReply>& reply, QObject* owner);

// Same scheme, host and port: the test a browser (and Python's requests) applies before sending credentials on.
bool sameOrigin(const QUrl& a, const QUrl& b);

// One finished HTTP answer.
struct HttpAnswer {
    QUrl url;  // what answered (after the redirects that were followed)
    int status = 0;
    RawHeaders headers;
    QByteArray body;  // small requests only
};

// An HTTP status that ends the download: 401/403 (gated), 404 (RepoNotFound, RevisionNotFound, EntryNotFound by the
// Hub's X-Error-Code), anything else unexpected. `file` is the file asked for, empty for the file list.
HubError statusError(const HubContext& context, const HttpAnswer& answer, const QString& file);
// Whether an HTTP status is worth another try: 408, 429 and the 5xx gateway and availability errors.
bool isTransientStatus(int status);

// A reply that failed below HTTP (no status): TLS, or a network error worth retrying (stalled = our stall timer
// aborted it). `reason` is the short translated text for the retry notice.
struct NetworkFailure {
    bool retryable = true;
    HubError error;  // the final error if not retryable, or once the retries are spent
    QString reason;  // "The connection to host failed (…)"
};
NetworkFailure networkFailure(const HubContext& context, QNetworkReply* reply, bool stalled, int attempts);

}  // namespace hub
