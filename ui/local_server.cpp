// local_server.cpp — turning the server on and off from the preferences, and the request log the window shows.
#include "local_server.h"

#include <QHostAddress>
#include <QTime>

#include "api_server.h"
#include "window_engine_backend.h"

namespace {
// The server's own bounds for kept states, apart from the window's (which are per message, in states/): rgemma
// serve keeps more, but here the window's model and replies share the memory.
constexpr qint64 kStateMemoryBytes = qint64{256} << 20;
constexpr qint64 kStateDiskBytes = qint64{2048} << 20;

QHostAddress parseAddress(const QString& text) {
    return text == QLatin1String("localhost") ? QHostAddress(QHostAddress::LocalHost) : QHostAddress(text);
}
}  // namespace

LocalServer::LocalServer(Preferences& prefs, ChatEngine& engine, const QString& stateFolder, QObject* parent)
    : QObject(parent), m_prefs(prefs), m_engine(engine) {
    engine.setServerStates({stateFolder, kStateMemoryBytes, kStateDiskBytes});
    connect(&engine, &ChatEngine::modelLoading, this, [this] { m_loading = true; });
    connect(&engine, &ChatEngine::modelLoaded, this, [this](const LoadedModelInfo& info) {
        m_loading = false;
        m_model = info;
    });
    connect(&engine, &ChatEngine::modelLoadFailed, this, [this] { m_loading = false; });
    for (auto changed : {&Preferences::serverEnabledChanged, &Preferences::serverPortChanged,
                         &Preferences::serverAddressChanged, &Preferences::serverApiKeyChanged}) {
        connect(&prefs, changed, this, &LocalServer::apply);
    }
    connect(&prefs, &Preferences::serverAddressChanged, this, &LocalServer::warningChanged);
    connect(&prefs, &Preferences::serverApiKeyChanged, this, &LocalServer::warningChanged);
    apply();
}

LocalServer::~LocalServer() = default;  // the server and its backend are children

QString LocalServer::url() const {
    if (!m_server) return {};
    const QString address = m_prefs.serverAddress();
    const QString host = parseAddress(address).protocol() == QAbstractSocket::IPv6Protocol
                             ? QLatin1Char('[') + address + QLatin1Char(']')
                             : address;
    return QStringLiteral("http://%1:%2/v1").arg(host).arg(m_server->port());
}

quint16 LocalServer::port() const { return m_server ? m_server->port() : 0; }

QString LocalServer::warning() const {
    if (!m_prefs.serverApiKey().isEmpty() || parseAddress(m_prefs.serverAddress()).isLoopback()) return {};
    return tr("Serving on %1 without an API key: anyone who can reach this computer can use the model.")
        .arg(m_prefs.serverAddress());
}

void LocalServer::apply() {
    stopServer();
    if (!m_prefs.serverEnabled()) return setError({});
    const QString addressText = m_prefs.serverAddress();
    const QHostAddress address = parseAddress(addressText);
    if (address.isNull()) {
        return setError(tr("%1 is not an IP address (such as 127.0.0.1, ::1 or 0.0.0.0).").arg(addressText));
    }
    auto* backend = new WindowEngineBackend(m_engine, m_model, m_loading);
    auto* server = new rcserver::ApiServer(backend, {m_prefs.serverApiKey(), rcserver::HttpLimits{}}, this);
    backend->setParent(server);
    const QString failure = server->listen(address, static_cast<quint16>(m_prefs.serverPort()));
    if (!failure.isEmpty()) {
        delete server;
        //: %1: address, %2: port, %3: the system's reason (in English), e.g. "The bound address is already in use"
        return setError(tr("The server could not listen on %1, port %2: %3")
                            .arg(addressText)
                            .arg(m_prefs.serverPort())
                            .arg(failure));
    }
    connect(server, &rcserver::ApiServer::requestLogged, this, &LocalServer::log);
    m_server = server;
    setError({});
    emit listeningChanged();
}

void LocalServer::stopServer() {
    if (!m_server) return;
    rcserver::ApiServer* server = std::exchange(m_server, nullptr);
    // It stops listening at once; running completions end at their next token and their clients get what was
    // generated, then it goes.
    connect(server, &rcserver::ApiServer::drained, server, &QObject::deleteLater);
    server->shutDown();
    emit listeningChanged();
}

void LocalServer::setError(const QString& error) {
    if (error == m_error) return;
    m_error = error;
    emit errorChanged();
}

void LocalServer::log(const rcserver::RequestLogEntry& entry) {
    QString tokens;
    if (entry.promptTokens > 0) {
        //: a request's tokens: %1 prompt tokens, %2 of them resumed from a kept state, %3 generated
        tokens =
            tr("%1 in (%2 cached), %3 out").arg(entry.promptTokens).arg(entry.cachedTokens).arg(entry.completionTokens);
    }
    m_recent.prepend(QVariantMap{
        {QStringLiteral("time"), QTime::currentTime().toString(QStringLiteral("HH:mm:ss"))},
        {QStringLiteral("request"), QString::fromLatin1(entry.method + ' ' + entry.path)},
        {QStringLiteral("status"), entry.status},
        {QStringLiteral("tokens"), tokens},
        {QStringLiteral("note"), entry.clientLeft ? tr("client left") : entry.note},
    });
    while (m_recent.size() > kRecentRequests) m_recent.removeLast();
    emit recentRequestsChanged();
}
