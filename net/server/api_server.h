// net/server/api_server.h — the local OpenAI-compatible API: routes, the API key, model and health endpoints, and
// completions handed to a CompletionBackend. Runs on the thread it lives on (the CLI's main thread; the app may
// move it to a thread of its own); the model runs wherever the backend puts it.
#pragma once

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QString>

#include "completion_backend.h"
#include "completion_exchange.h"
#include "http_server.h"
#include "reply_memory.h"
#include "request_log.h"
#include "turn_encodings.h"

namespace rcserver {

struct ApiServerOptions {
    QString apiKey;  // empty: no key asked for
    HttpLimits limits;
};

class ApiServer : public QObject {
    Q_OBJECT

  public:
    // `backend` must outlive the server.
    ApiServer(CompletionBackend* backend, ApiServerOptions options, QObject* parent = nullptr);

    // Returns an error message, or "" once listening. Port 0 picks a free port.
    QString listen(const QHostAddress& address, quint16 port);
    quint16 port() const { return m_http.port(); }

    // Stops accepting, asks every running job to stop (each finishes its current token), answers new requests on
    // open connections with 503; `drained` follows once every completion has ended and its connection is closed.
    void shutDown();
    int runningCompletions() const { return static_cast<int>(m_exchanges.size()); }

  signals:
    void requestLogged(const rcserver::RequestLogEntry& entry);
    void drained();

  private:
    void handle(HttpConnection* connection, const HttpRequest& request);
    void answer(HttpConnection* connection, const HttpRequest& request, int status, const QByteArray& body,
                const HttpHeaders& extra = {});
    void answerError(HttpConnection* connection, const HttpRequest& request, const ApiError& error,
                     const HttpHeaders& extra = {});
    bool authorized(const HttpRequest& request) const;
    // 503 while the model loads (or failed to); true if it answered.
    bool refuseUnlessReady(HttpConnection* connection, const HttpRequest& request);
    void startCompletion(HttpConnection* connection, const HttpRequest& request, Endpoint endpoint);
    void onFinished(const CompletionOutcome& outcome);
    void drainCheck();

    CompletionBackend* m_backend;
    ApiServerOptions m_options;
    HttpServer m_http;
    ReplyMemory m_replies;
    TurnEncodings m_turnEncodings;
    QHash<quint64, CompletionExchange*> m_exchanges;
    QHash<quint64, uint64_t> m_promptHashes;  // per running job: idsHash of its prompt, for ReplyMemory
    quint64 m_nextJob = 1;
    bool m_shuttingDown = false;
    bool m_closingConnections = false;
};

}  // namespace rcserver
