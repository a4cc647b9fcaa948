// local_server.h — LocalServer: the app's local OpenAI-compatible API server (net/server's ApiServer), turned on,
// off and re-bound as the preferences say, serving the window's model through WindowEngineBackend. Tells the window
// whether it listens and where, why it could not, and the last requests it answered.
#pragma once

#include <QtQml/qqmlregistration.h>

#include <QObject>
#include <QString>
#include <QVariantList>

#include "chat_engine.h"
#include "preferences.h"
#include "request_log.h"

namespace rcserver {
class ApiServer;
}
class WindowEngineBackend;

class LocalServer : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The local server belongs to the controller")

    Q_PROPERTY(bool listening READ listening NOTIFY listeningChanged)
    Q_PROPERTY(QString url READ url NOTIFY listeningChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(QString warning READ warning NOTIFY warningChanged)
    Q_PROPERTY(QVariantList recentRequests READ recentRequests NOTIFY recentRequestsChanged)

  public:
    // Requests the log keeps, newest first.
    static constexpr int kRecentRequests = 20;

    // `stateFolder`: where the server keeps its states (its own bounds; nothing else there). `prefs` and `engine`
    // must outlive it.
    LocalServer(Preferences& prefs, ChatEngine& engine, const QString& stateFolder, QObject* parent = nullptr);
    ~LocalServer() override;

    bool listening() const { return m_server != nullptr; }
    // The base URL clients are given, "http://127.0.0.1:8080/v1"; "" when off.
    QString url() const;
    // Why the server is not listening although turned on (the port is taken, a bad address); "" otherwise.
    QString error() const { return m_error; }
    // Serving beyond this computer without an API key; "" otherwise.
    QString warning() const;
    // Each: {time, request, status, tokens, note}, all strings but status.
    QVariantList recentRequests() const { return m_recent; }
    // The port it listens on (0 when off).
    quint16 port() const;

  signals:
    void listeningChanged();
    void errorChanged();
    void warningChanged();
    void recentRequestsChanged();

  private:
    // Stops the server running (it drains on its own), then starts one if the preferences say so.
    void apply();
    void stopServer();
    void setError(const QString& error);
    void log(const rcserver::RequestLogEntry& entry);

    Preferences& m_prefs;
    ChatEngine& m_engine;
    LoadedModelInfo m_model;  // the engine's, kept up to date for a server turned on later
    bool m_loading = false;
    rcserver::ApiServer* m_server = nullptr;  // its backend is its child
    QString m_error;
    QVariantList m_recent;
};
