// net/server/completion_exchange.cpp — response writing for one completion. A stream's status is sent at once (the
// job may wait in the queue): a failure after that is an error event, which OpenAI's SDKs raise as an APIError.
#include "completion_exchange.h"

#include "api_error.h"

namespace rcserver {

CompletionExchange::CompletionExchange(HttpConnection* connection, const CompletionRequest& request, ResponseMeta meta,
                                       RequestLogEntry log, QObject* parent)
    : QObject(parent),
      m_connection(connection),
      m_meta(std::move(meta)),
      m_choices(request.n),
      m_stream(request.stream),
      m_includeUsage(request.stream && request.includeUsage),
      m_log(std::move(log)) {
    m_elapsed.start();
    connect(connection, &HttpConnection::closed, this, [this] {
        m_log.clientLeft = true;
        emit clientLeft();
    });
    if (m_stream) {
        connection->beginStream(200, "text/event-stream; charset=utf-8",
                                {{"Cache-Control", "no-cache"}, {"X-Accel-Buffering", "no"}});
    }
}

void CompletionExchange::onStarted(qint64 promptTokens, qint64 cachedTokens) {
    m_log.promptTokens = promptTokens;
    m_log.cachedTokens = cachedTokens;
    if (!m_stream || clientGone() || m_meta.endpoint != Endpoint::ChatCompletions) return;
    for (int choice = 0; choice < m_choices; ++choice) {
        m_connection->writeStream(roleChunkEvent(m_meta, choice, m_includeUsage));
    }
}

void CompletionExchange::onText(int choice, const QByteArray& utf8) {
    if (m_stream && !clientGone()) m_connection->writeStream(textChunkEvent(m_meta, choice, utf8, m_includeUsage));
}

void CompletionExchange::onFinished(const CompletionOutcome& outcome, bool shuttingDown) {
    m_log.milliseconds = m_elapsed.elapsed();
    m_log.promptTokens = outcome.promptTokens;
    m_log.cachedTokens = outcome.cachedTokens;
    m_log.sampledAtStop = outcome.sampledAtStop;
    m_log.sampledTotal = outcome.sampledTotal;
    for (const ChoiceResult& choice : outcome.choices) m_log.completionTokens += choice.completionTokens;

    ApiError error;
    if (!outcome.error.empty()) {
        error = ApiError{500, "generation failed: " + outcome.error, {}, "engine_error"};
    } else if (shuttingDown) {
        error = ApiError{503, "the server is shutting down", {}, "shutting_down"};
    }
    const bool failed = !outcome.error.empty() || shuttingDown;
    m_log.status = failed ? error.status : 200;
    if (failed) m_log.note = QString::fromStdString(error.message);
    if (clientGone()) {
        m_log.status = 499;  // as nginx logs it: the client closed the request
        return;
    }
    if (m_stream) {
        finishStream(outcome, failed ? errorJson(error) : QByteArray());
    } else if (failed) {
        m_connection->respond(error.status, "application/json", errorJson(error));
    } else {
        m_connection->respond(200, "application/json", completionJson(m_meta, outcome));
    }
}

void CompletionExchange::finishStream(const CompletionOutcome& outcome, const QByteArray& errorBody) {
    if (!errorBody.isEmpty()) {
        m_connection->writeStream(errorEvent(errorBody));
    } else {
        for (const ChoiceResult& choice : outcome.choices) {
            m_connection->writeStream(finishChunkEvent(m_meta, choice.index, choice.finish, m_includeUsage));
        }
        if (m_includeUsage) m_connection->writeStream(usageChunkEvent(m_meta, outcome));
        m_connection->writeStream(doneEvent());
    }
    m_connection->endStream();
}

}  // namespace rcserver
