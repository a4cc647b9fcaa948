// hub_context.cpp — request headers, origins, backoff, and turning answers and failures into HubErrors.
#include "hub_context.h"

#include <algorithm>

namespace hub {

namespace {

const QByteArray kUserAgent = QByteArrayLiteral("recurrent-chat/" RGEMMA_VERSION " (hub; huggingface_hub-compatible)");

QByteArray errorCode(const HttpAnswer& answer) {
    return headerValue(answer.headers, "X-Error-Code").value_or(QByteArray()).trimmed();
}

}  // namespace

void dropReply(QPointer<QNetworkReply>& reply, QObject* owner) {
    if (reply) {
        reply->disconnect(owner);
        reply->abort();
        reply->deleteLater();
    }
    reply = nullptr;
}

bool sameOrigin(const QUrl& a, const QUrl& b) {
    const auto defaultPort = [](const QUrl& url) { return url.port(url.scheme() == u"https" ? 443 : 80); };
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 &&
           defaultPort(a) == defaultPort(b);
}

QNetworkRequest HubContext::request(const QUrl& url) const {
    QNetworkRequest request(url);
    request.setRawHeader("User-Agent", kUserAgent);
    request.setRawHeader("Accept-Encoding", "identity");
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    if (hasToken() && sameOrigin(url, options.endpoint)) {
        request.setRawHeader("Authorization", "Bearer " + options.token.toLatin1());
    }
    return request;
}

QUrl HubContext::repoPage() const {
    QUrl page = options.endpoint;
    page.setPath(page.path() + u'/' + options.repo);
    return page;
}

int HubContext::backoffDelayMs(int failures) const {
    qint64 delay = std::max(options.backoffMs, 0);
    for (int i = 1; i < failures && delay < options.backoffMaxMs; ++i) delay *= 2;
    return static_cast<int>(std::min<qint64>(delay, std::max(options.backoffMaxMs, 0)));
}

HubError statusError(const HubContext& context, const HttpAnswer& answer, const QString& file) {
    const QByteArray code = errorCode(answer);
    const QString& repo = context.options.repo;
    switch (answer.status) {
        case 401:
            // The Hub answers 401 RepoNotFound for a repo that does not exist or is private, unless a token shows
            // the caller may see it.
            if (code == "RepoNotFound") return HubMessages::repoNotFound(repo, context.options.endpoint);
            return HubMessages::gated(context.repoPage(), context.hasToken());
        case 403:
            return HubMessages::noAccess(context.repoPage());
        case 404:
            if (code == "RevisionNotFound") return HubMessages::revisionNotFound(repo, context.options.revision);
            if (code == "RepoNotFound" || file.isEmpty())
                return HubMessages::repoNotFound(repo, context.options.endpoint);
            return HubMessages::fileNotFound(repo, file);
        default:
            return HubMessages::badAnswer(answer.url.host(), QStringLiteral("HTTP %1").arg(answer.status));
    }
}

bool isTransientStatus(int status) {
    return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

NetworkFailure networkFailure(const HubContext& context, QNetworkReply* reply, bool stalled, int attempts) {
    const QString host = reply->url().host();
    if (stalled) {
        return {true, HubMessages::stalled(host, context.options.stallTimeoutMs, attempts),
                HubMessages::noDataFor(host, context.options.stallTimeoutMs)};
    }
    if (reply->error() == QNetworkReply::SslHandshakeFailedError) {
        return {false, HubMessages::tls(host, reply->errorString()), {}};
    }
    return {true, HubMessages::network(host, reply->errorString(), attempts),
            HubMessages::connectionDropped(host, reply->errorString())};
}

}  // namespace hub
