// hub_request.cpp — one small Hub request with its stall timer, retries and hand-followed redirects.
#include "hub_request.h"

namespace hub {

namespace {

constexpr int kMaxRedirects = 5;
constexpr qint64 kMaxAnswerBytes = 16 << 20;  // a page of the file list is a few KB; a hostile server gets 16 MiB

bool isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

HubRequest::HubRequest(const HubContext& context, QByteArray verb, QUrl url, Redirects redirects, QObject* parent)
    : QObject(parent),
      m_context(context),
      m_verb(std::move(verb)),
      m_firstUrl(url),
      m_url(std::move(url)),
      m_redirects(redirects) {
    m_stallTimer.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    connect(&m_stallTimer, &QTimer::timeout, this, [this] {
        m_stalled = true;
        if (m_reply) m_reply->abort();
    });
    connect(&m_retryTimer, &QTimer::timeout, this, &HubRequest::send);
}

HubRequest::~HubRequest() { abort(); }

void HubRequest::start() {
    m_failures = 0;
    send();
}

void HubRequest::abort() {
    m_stallTimer.stop();
    m_retryTimer.stop();
    dropReply(m_reply, this);
}

void HubRequest::send() {
    m_stalled = false;
    m_tooLarge = false;
    // head() rather than a custom "HEAD": only then does Qt know no body follows the Content-Length.
    const QNetworkRequest request = m_context.request(m_url);
    m_reply = m_verb == "HEAD" ? m_context.network->head(request) : m_context.network->get(request);
    m_stallTimer.start(m_context.options.stallTimeoutMs);
    connect(m_reply, &QNetworkReply::downloadProgress, this, [this](qint64 received) {
        m_stallTimer.start(m_context.options.stallTimeoutMs);
        if (received > kMaxAnswerBytes && m_reply) {
            m_tooLarge = true;
            m_reply->abort();
        }
    });
    connect(m_reply, &QNetworkReply::metaDataChanged, this,
            [this] { m_stallTimer.start(m_context.options.stallTimeoutMs); });
    connect(m_reply, &QNetworkReply::finished, this, &HubRequest::onFinished);
}

void HubRequest::onFinished() {
    m_stallTimer.stop();
    QNetworkReply* reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    if (m_tooLarge) {
        emit failed(HubMessages::badAnswer(m_url.host(), HubMessages::tr("an answer larger than 16 MiB")));
        return;
    }
    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    // Errors below 201 are the connection's (refused, reset, closed halfway, timed out), even after a status line.
    const bool connectionFailed =
        reply->error() != QNetworkReply::NoError && reply->error() < QNetworkReply::ContentAccessDenied;
    if (!statusAttribute.isValid() || connectionFailed || m_stalled) {
        const NetworkFailure failure = networkFailure(m_context, reply, m_stalled, m_failures + 1);
        if (!failure.retryable) {
            emit failed(failure.error);
            return;
        }
        retryOrFail(failure.error, failure.reason);
        return;
    }
    HttpAnswer answer{m_url, statusAttribute.toInt(), reply->rawHeaderPairs(), reply->readAll()};
    if (isTransientStatus(answer.status)) {
        retryOrFail(HubMessages::serverError(m_url.host(), answer.status, m_failures + 1),
                    HubMessages::serverStatus(m_url.host(), answer.status));
        return;
    }
    if (isRedirect(answer.status)) {
        const QUrl target =
            m_url.resolved(QUrl(QString::fromLatin1(headerValue(answer.headers, "Location").value_or(""))));
        const bool http = target.scheme() == u"http" || target.scheme() == u"https";
        const bool follow = m_redirects == Redirects::Follow || sameOrigin(target, m_url);
        if (follow && http && target != m_url) {
            if (++m_hops > kMaxRedirects) {
                emit failed(HubMessages::badAnswer(m_firstUrl.host(), HubMessages::tr("too many redirects")));
                return;
            }
            m_url = target;
            send();
            return;
        }
    }
    emit answered(answer);
}

void HubRequest::retryOrFail(const HubError& finalError, const QString& reason) {
    ++m_failures;
    if (m_failures >= m_context.options.maxAttempts) {
        emit failed(finalError);
        return;
    }
    const int delay = m_context.backoffDelayMs(m_failures);
    emit notice(HubMessages::retrying(reason, m_failures + 1, m_context.options.maxAttempts, delay));
    m_url = m_firstUrl;
    m_hops = 0;
    m_retryTimer.start(delay);
}

}  // namespace hub
