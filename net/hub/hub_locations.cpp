// hub_locations.cpp — the environment variables and files huggingface_hub reads for its endpoint, cache and token.
#include "hub_locations.h"

#include <QDir>
#include <QFile>
#include <QtGlobal>

namespace hub {

namespace {

QString env(const char* name) { return qEnvironmentVariable(name).trimmed(); }

}  // namespace

QUrl parseEndpoint(const QString& text) {
    QString trimmed = text.trimmed();
    while (trimmed.endsWith(u'/')) trimmed.chop(1);
    QUrl url(trimmed, QUrl::StrictMode);
    const bool usable = url.isValid() && (url.scheme() == u"https" || url.scheme() == u"http") &&
                        !url.host().isEmpty() && !url.hasQuery() && !url.hasFragment() && url.userInfo().isEmpty();
    return usable ? url : QUrl();
}

QUrl defaultEndpoint() {
    const QString fromEnv = env("HF_ENDPOINT");
    return parseEndpoint(fromEnv.isEmpty() ? QStringLiteral("https://huggingface.co") : fromEnv);
}

QString hfHome() {
    const QString home = env("HF_HOME");
    if (!home.isEmpty()) return QDir::cleanPath(home);
    QString cache = env("XDG_CACHE_HOME");
    if (cache.isEmpty()) cache = QDir::homePath() + QStringLiteral("/.cache");
    return QDir::cleanPath(cache + QStringLiteral("/huggingface"));
}

QString defaultCacheDir() {
    const QString hubCache = env("HF_HUB_CACHE");
    return hubCache.isEmpty() ? hfHome() + QStringLiteral("/hub") : QDir::cleanPath(hubCache);
}

Token findToken(const QString& given) {
    if (!given.trimmed().isEmpty()) return {given.trimmed(), TokenSource::Given};
    const QString fromEnv = env("HF_TOKEN");
    if (!fromEnv.isEmpty()) return {fromEnv, TokenSource::Environment};
    QString path = env("HF_TOKEN_PATH");
    if (path.isEmpty()) path = hfHome() + QStringLiteral("/token");
    QFile file(path);
    if (file.open(QIODevice::ReadOnly)) {
        const QString token = QString::fromUtf8(file.read(4096)).section(u'\n', 0, 0).trimmed();
        if (!token.isEmpty()) return {token, TokenSource::TokenFile};
    }
    return {};
}

}  // namespace hub
