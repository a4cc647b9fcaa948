// net/server/api_server.cpp — routing and the hand-over of completions to the backend.
#include "api_server.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <nlohmann/json.hpp>

#include "prompt_render.h"
#include "token_prefix_hash.h"

namespace rcserver {

namespace {

constexpr QByteArrayView kChatPath = "/v1/chat/completions";
constexpr QByteArrayView kCompletionsPath = "/v1/completions";
constexpr QByteArrayView kModelsPath = "/v1/models";

// Comparison in time independent of where the strings differ.
bool equalConstantTime(const QByteArray& a, const QByteArray& b) {
    if (a.size() != b.size()) return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i) difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

std::string responseId(Endpoint endpoint) {
    const quint64 random = QRandomGenerator::global()->generate64();
    return (endpoint == Endpoint::ChatCompletions ? "chatcmpl-" : "cmpl-") +
           QByteArray::number(random, 36).toStdString();
}

}  // namespace

QString RequestLogEntry::toText() const {
    QString text = QStringLiteral("%1 %2 %3 %4 ms")
                       .arg(QString::fromLatin1(method), QString::fromLatin1(path))
                       .arg(status)
                       .arg(milliseconds);
    if (promptTokens > 0) {
        text += QStringLiteral(" prompt %1 (cached %2) completion %3")
                    .arg(promptTokens)
                    .arg(cachedTokens)
                    .arg(completionTokens);
    }
    if (clientLeft) text += QStringLiteral(" (client left)");
    if (!note.isEmpty()) text += QStringLiteral(": ") + note;
    return text;
}

ApiServer::ApiServer(CompletionBackend* backend, ApiServerOptions options, QObject* parent)
    : QObject(parent), m_backend(backend), m_options(std::move(options)), m_http(m_options.limits, httpErrorJson) {
    qRegisterMetaType<rcserver::RequestLogEntry>();
    connect(&m_http, &HttpServer::requestReady, this, &ApiServer::handle);
    connect(&m_http, &HttpServer::connectionsClosed, this, [this] {
        if (m_closingConnections) emit drained();
    });
    connect(m_backend, &CompletionBackend::started, this, [this](quint64 id, qint64 prompt, qint64 cached) {
        if (CompletionExchange* exchange = m_exchanges.value(id)) exchange->onStarted(prompt, cached);
    });
    connect(m_backend, &CompletionBackend::textReady, this, [this](quint64 id, int choice, const QByteArray& text) {
        if (CompletionExchange* exchange = m_exchanges.value(id)) exchange->onText(choice, text);
    });
    connect(m_backend, &CompletionBackend::finished, this, &ApiServer::onFinished);
}

QString ApiServer::listen(const QHostAddress& address, quint16 port) { return m_http.listen(address, port); }

void ApiServer::answer(HttpConnection* connection, const HttpRequest& request, int status, const QByteArray& body,
                       const HttpHeaders& extra) {
    connection->respond(status, "application/json", body, extra);
    RequestLogEntry entry = RequestLogEntry::of(request.method, request.path, status);
    emit requestLogged(entry);
}

void ApiServer::answerError(HttpConnection* connection, const HttpRequest& request, const ApiError& error,
                            const HttpHeaders& extra) {
    connection->respond(error.status, "application/json", errorJson(error), extra);
    RequestLogEntry entry = RequestLogEntry::of(request.method, request.path, error.status);
    entry.note = QString::fromStdString(error.message);
    emit requestLogged(entry);
}

bool ApiServer::authorized(const HttpRequest& request) const {
    if (m_options.apiKey.isEmpty()) return true;
    const QByteArray header = request.header("authorization");
    if (!header.left(7).toLower().startsWith("bearer ")) return false;
    return equalConstantTime(header.mid(7).trimmed(), m_options.apiKey.toUtf8());
}

bool ApiServer::refuseUnlessReady(HttpConnection* connection, const HttpRequest& request) {
    switch (m_backend->status()) {
        case BackendStatus::Ready:
            return false;
        case BackendStatus::Loading:
            answerError(connection, request,
                        {503, "the model is still loading; try again shortly", {}, "model_loading"},
                        {{"Retry-After", "1"}});
            return true;
        case BackendStatus::Failed:
            answerError(
                connection, request,
                {503, "the model could not be loaded: " + m_backend->failure().toStdString(), {}, "model_unavailable"});
            return true;
    }
    return true;
}

void ApiServer::handle(HttpConnection* connection, const HttpRequest& request) {
    const QByteArray& path = request.path;
    const QByteArray& method = request.method;
    auto wrongMethod = [&](const char* allowed) {
        answerError(connection, request, {405, "use " + std::string(allowed) + " for " + path.toStdString(), {}, {}},
                    {{"Allow", allowed}});
    };
    if (m_shuttingDown) {
        answerError(connection, request, {503, "the server is shutting down", {}, "shutting_down"});
        return;
    }
    if (path == "/health") {
        if (method != "GET") return wrongMethod("GET");
        if (!refuseUnlessReady(connection, request)) answer(connection, request, 200, R"({"status":"ok"})");
        return;
    }
    if (!authorized(request)) {
        answerError(connection, request,
                    {401, "a valid API key is required: send the header 'Authorization: Bearer KEY'", {}, {}},
                    {{"WWW-Authenticate", "Bearer"}});
        return;
    }
    if (path == kModelsPath || path.startsWith(kModelsPath.toByteArray() + '/')) {
        if (method != "GET") return wrongMethod("GET");
        if (refuseUnlessReady(connection, request)) return;
        const ModelDescription model = m_backend->model();
        if (path == kModelsPath) return answer(connection, request, 200, modelListJson(model));
        const QByteArray id = QByteArray::fromPercentEncoding(path.mid(kModelsPath.size() + 1));
        if (id != model.name.toUtf8()) {
            return answerError(
                connection, request,
                {404, "no model '" + id.toStdString() + "'; this server has '" + model.name.toStdString() + "'",
                 "model", "model_not_found"});
        }
        return answer(connection, request, 200, modelJson(model));
    }
    if (path == kChatPath || path == kCompletionsPath) {
        if (method != "POST") return wrongMethod("POST");
        if (refuseUnlessReady(connection, request)) return;
        startCompletion(connection, request, path == kChatPath ? Endpoint::ChatCompletions : Endpoint::Completions);
        return;
    }
    answerError(connection, request,
                {404, "no such endpoint: " + method.toStdString() + " " + path.toStdString(), {}, {}});
}

void ApiServer::startCompletion(HttpConnection* connection, const HttpRequest& request, Endpoint endpoint) {
    auto parsed = parseCompletionRequest(endpoint, request.body);
    if (!parsed) return answerError(connection, request, parsed.error());
    const rgemma::Tokenizer* tokenizer = m_backend->tokenizer();
    auto prompt = renderPrompt(*tokenizer, *parsed, m_replies, m_turnEncodings);
    if (!prompt) return answerError(connection, request, prompt.error());

    CompletionJob job;
    job.id = m_nextJob++;
    job.prompt = std::move(*prompt);
    job.sampling = parsed->sampling;
    job.maxTokens = parsed->maxTokens;
    job.choices = parsed->n;
    job.stops = parsed->stops;
    job.stopAtEndOfTurn = !parsed->ignoreEos;

    const ModelDescription model = m_backend->model();
    ResponseMeta meta{endpoint, responseId(endpoint), QDateTime::currentSecsSinceEpoch(), model.name.toStdString(),
                      "rgemma-" + model.fingerprint.left(16).toStdString()};
    auto* exchange = new CompletionExchange(connection, *parsed, std::move(meta),
                                            RequestLogEntry::of(request.method, request.path), this);
    const quint64 id = job.id;
    connect(exchange, &CompletionExchange::clientLeft, this, [this, id] { m_backend->stop(id); });
    m_exchanges.insert(id, exchange);
    m_promptHashes.insert(id, idsHash(job.prompt));
    m_backend->start(job);
}

void ApiServer::onFinished(const CompletionOutcome& outcome) {
    CompletionExchange* exchange = m_exchanges.take(outcome.id);
    const uint64_t promptHash = m_promptHashes.take(outcome.id);
    if (!exchange) return;
    if (outcome.error.empty()) {
        for (const ChoiceResult& choice : outcome.choices) {
            if (choice.finish != FinishReason::Cancelled) m_replies.remember(promptHash, choice.text, choice.ids);
        }
    }
    exchange->onFinished(outcome, m_shuttingDown);
    emit requestLogged(exchange->log());
    exchange->deleteLater();
    drainCheck();
}

void ApiServer::shutDown() {
    m_shuttingDown = true;
    m_http.stopListening();
    for (auto it = m_exchanges.cbegin(); it != m_exchanges.cend(); ++it) m_backend->stop(it.key());
    drainCheck();
}

void ApiServer::drainCheck() {
    if (!m_shuttingDown || !m_exchanges.isEmpty() || m_closingConnections) return;
    m_closingConnections = true;  // every completion has ended: the last bytes go out, then the connections close
    m_http.closeAll();
}

}  // namespace rcserver
