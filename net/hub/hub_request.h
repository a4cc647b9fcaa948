// hub_request.h — HubRequest: one small request to the Hub (a page of the file list, the HEAD of a file) with what
// every request needs: a stall timer (no byte for stallTimeoutMs aborts it), bounded retries with backoff on network
// errors and transient statuses, redirects followed by hand so the token never leaves the endpoint's origin, and a
// cap on the answer's size. Lives on the download's thread.
#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

#include "hub_context.h"

namespace hub {

class HubRequest : public QObject {
    Q_OBJECT
  public:
    enum class Redirects {
        Follow,             // any redirect, up to a few hops (the token stays with the endpoint's origin)
        StopAtOtherOrigin,  // same-origin redirects only (a renamed repo); one to another host is the answer itself
    };

    // `verb`: "GET" or "HEAD".
    HubRequest(const HubContext& context, QByteArray verb, QUrl url, Redirects redirects, QObject* parent = nullptr);
    ~HubRequest() override;

    void start();
    // Stops without any further signal.
    void abort();

  signals:
    // An HTTP answer that is not a redirect to follow and not transient: 2xx, a redirect to another origin
    // (StopAtOtherOrigin), or a 4xx for the caller to turn into an error (statusError).
    void answered(const hub::HttpAnswer& answer);
    // The retries are spent, or the failure is not worth retrying (TLS, too many redirects, an answer too large).
    void failed(const hub::HubError& error);
    // A retry is coming (translated, for the user).
    void notice(const QString& text);

  private:
    void send();
    void onFinished();
    void retryOrFail(const HubError& finalError, const QString& reason);

    const HubContext& m_context;
    QByteArray m_verb;
    QUrl m_firstUrl;
    QUrl m_url;
    Redirects m_redirects;
    QPointer<QNetworkReply> m_reply;
    QTimer m_stallTimer;
    QTimer m_retryTimer;
    bool m_stalled = false;
    bool m_tooLarge = false;
    int m_failures = 0;
    int m_hops = 0;
};

}  // namespace hub

Q_DECLARE_METATYPE(hub::HttpAnswer)
