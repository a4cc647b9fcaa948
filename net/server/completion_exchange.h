// net/server/completion_exchange.h — one completion request between its connection and its job: streams the job's
// events as SSE chunks (or collects them into one JSON response), and says when the client has gone so the job
// can stop.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include "completion_backend.h"
#include "http_connection.h"
#include "openai_json.h"
#include "request_log.h"

namespace rcserver {

class CompletionExchange : public QObject {
    Q_OBJECT

  public:
    CompletionExchange(HttpConnection* connection, const CompletionRequest& request, ResponseMeta meta,
                       RequestLogEntry log, QObject* parent = nullptr);

    void onStarted(qint64 promptTokens, qint64 cachedTokens);
    void onText(int choice, const QByteArray& utf8);
    // Writes the end of the response; `shuttingDown`: cancelled choices are the server's doing, not the client's.
    void onFinished(const CompletionOutcome& outcome, bool shuttingDown);

    bool clientGone() const { return m_connection.isNull() || !m_connection->isOpen(); }
    const RequestLogEntry& log() const { return m_log; }

  signals:
    void clientLeft();

  private:
    void finishStream(const CompletionOutcome& outcome, const QByteArray& errorBody);

    QPointer<HttpConnection> m_connection;
    ResponseMeta m_meta;
    int m_choices = 1;
    bool m_stream = false;
    bool m_includeUsage = false;
    RequestLogEntry m_log;
    QElapsedTimer m_elapsed;
};

}  // namespace rcserver
