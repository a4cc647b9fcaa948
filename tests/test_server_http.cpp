// test_server_http.cpp — the local API over a real loopback socket, as curl would use it: every error status and its
// JSON shape, the completion objects, SSE framing with include_usage, n, stop strings, the completions endpoint,
// and a conversation resent whole that resumes from the kept state (and answers what a server without reuse does).
#include <QTest>

#include "server_fixture.h"

using namespace rctest;
using nlohmann::json;

namespace {

// `messages`: an array of messages, or one message (nlohmann's braces turn a one-element list into that element).
QByteArray chatBody(const json& messages, const json& extra = json::object()) {
    json body = {{"model", "gpt-4o-mini"},
                 {"messages", messages.is_array() ? messages : json::array({messages})},
                 {"temperature", 0},
                 {"max_tokens", 40}};
    body.update(extra);
    return QByteArray::fromStdString(body.dump());
}

json user(const std::string& text) { return {{"role", "user"}, {"content", text}}; }
json assistant(const std::string& text) { return {{"role", "assistant"}, {"content", text}}; }

void verifyErrorShape(const HttpResponse& response, int status, const char* code = nullptr) {
    QCOMPARE(response.status, status);
    QCOMPARE(response.header("content-type"), QByteArray("application/json"));
    const json body = response.json();
    QVERIFY2(body.contains("error"), response.body.constData());
    const json& error = body["error"];
    QVERIFY(error["message"].is_string() && !error["message"].get<std::string>().empty());
    QCOMPARE(QByteArray::fromStdString(error["type"].get<std::string>()),
             QByteArray(status >= 500 ? "server_error" : "invalid_request_error"));
    QVERIFY(error.contains("param") && error.contains("code"));
    if (code) QCOMPARE(QByteArray::fromStdString(error["code"].get<std::string>()), QByteArray(code));
}

}  // namespace

class TestServerHttp : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void healthAndModels();
    void answers503WhileLoading();
    void asksForTheApiKey();
    void unknownRoutesAndWrongMethods();
    void badRequestsAre400WithTheField();
    void bodiesOverTheLimitAre413();
    void chatCompletionObject();
    void streamsServerSentEvents();
    void alternativesWithN();
    void stopStringsEndTheText();
    void completionsEndpoint();
    void resentConversationResumesFromItsState();
    void replyCutByAStopStringStillResumes();
    void editedEarlierMessageFallsBackToTheLongestPrefix();

  private:
    json post(ServerFixture& server, const QByteArray& path, const QByteArray& body, int expectedStatus = 200);
    ServerFixture m_server;
};

void TestServerHttp::initTestCase() { QVERIFY(m_server.start()); }

json TestServerHttp::post(ServerFixture& server, const QByteArray& path, const QByteArray& body, int expectedStatus) {
    const auto response = roundTrip(server.port, postRequest(path, body));
    if (!response) {
        qWarning("no response to POST %s", path.constData());
        return json();
    }
    if (response->status != expectedStatus) qWarning("%d %s", response->status, response->body.constData());
    return response->status == expectedStatus ? response->json() : json();
}

void TestServerHttp::healthAndModels() {
    const auto health = roundTrip(m_server.port, getRequest("/health"));
    QVERIFY(health);
    QCOMPARE(health->status, 200);
    RC_JSON_COMPARE(health->json(), json({{"status", "ok"}}));
    const auto models = roundTrip(m_server.port, getRequest("/v1/models"));
    QCOMPARE(models->status, 200);
    const json list = models->json();
    RC_JSON_COMPARE(list["object"], "list");
    RC_JSON_COMPARE(list["data"].size(), std::size_t{1});
    RC_JSON_COMPARE(list["data"][0]["id"], "demo-model");  // the folder's name
    RC_JSON_COMPARE(list["data"][0]["object"], "model");
    QVERIFY(list["data"][0]["created"].is_number_integer());
    RC_JSON_COMPARE(roundTrip(m_server.port, getRequest("/v1/models/demo-model"))->json()["id"], "demo-model");
    verifyErrorShape(*roundTrip(m_server.port, getRequest("/v1/models/gpt-4")), 404, "model_not_found");
}

void TestServerHttp::answers503WhileLoading() {
    ServerFixture loading;
    QVERIFY(loading.start({}, 4, false));
    const auto health = roundTrip(loading.port, getRequest("/health"));
    verifyErrorShape(*health, 503, "model_loading");
    QCOMPARE(health->header("retry-after"), QByteArray("1"));
    verifyErrorShape(*roundTrip(loading.port, postRequest("/v1/chat/completions", chatBody({user("hi")}))), 503);
    verifyErrorShape(*roundTrip(loading.port, getRequest("/v1/models")), 503);
    loading.backend->load();
    QVERIFY(spinUntil([&] { return roundTrip(loading.port, getRequest("/health"))->status == 200; }, 30000));
}

void TestServerHttp::asksForTheApiKey() {
    ServerFixture keyed;
    QVERIFY(keyed.start({QStringLiteral("s3cret"), {}}));
    const QByteArray body = chatBody({user("hi")}, {{"max_tokens", 2}});
    const auto missing = roundTrip(keyed.port, postRequest("/v1/chat/completions", body));
    verifyErrorShape(*missing, 401, "invalid_api_key");
    QCOMPARE(missing->header("www-authenticate"), QByteArray("Bearer"));
    verifyErrorShape(
        *roundTrip(keyed.port, postRequest("/v1/chat/completions", body, "Authorization: Bearer nope\r\n")), 401);
    verifyErrorShape(*roundTrip(keyed.port, getRequest("/v1/models", "Authorization: s3cret\r\n")), 401);
    QCOMPARE(
        roundTrip(keyed.port, postRequest("/v1/chat/completions", body, "Authorization: Bearer s3cret\r\n"))->status,
        200);
    QCOMPARE(roundTrip(keyed.port, getRequest("/v1/models", "authorization: bearer s3cret\r\n"))->status, 200);
    QCOMPARE(roundTrip(keyed.port, getRequest("/health"))->status, 200);  // probes need no key
}

void TestServerHttp::unknownRoutesAndWrongMethods() {
    verifyErrorShape(*roundTrip(m_server.port, getRequest("/v1/embeddings")), 404, "not_found");
    verifyErrorShape(*roundTrip(m_server.port, postRequest("/", "{}")), 404);
    const auto wrong = roundTrip(m_server.port, getRequest("/v1/chat/completions"));
    verifyErrorShape(*wrong, 405, "method_not_allowed");
    QCOMPARE(wrong->header("allow"), QByteArray("POST"));
    QCOMPARE(roundTrip(m_server.port, postRequest("/health", "{}"))->header("allow"), QByteArray("GET"));
    verifyErrorShape(*roundTrip(m_server.port, "DELETE /v1/models HTTP/1.1\r\n\r\n"), 405);
}

void TestServerHttp::badRequestsAre400WithTheField() {
    const auto badJson = roundTrip(m_server.port, postRequest("/v1/chat/completions", "{\"messages\": [}"));
    verifyErrorShape(*badJson, 400);
    QVERIFY(badJson->json()["error"]["param"].is_null());
    const auto badField =
        roundTrip(m_server.port, postRequest("/v1/chat/completions", chatBody({user("x")}, {{"presence_penalty", 1}})));
    verifyErrorShape(*badField, 400);
    RC_JSON_COMPARE(badField->json()["error"]["param"], "presence_penalty");
    const auto badRole = roundTrip(m_server.port, postRequest("/v1/chat/completions", chatBody({assistant("x")})));
    verifyErrorShape(*badRole, 400);
    const auto badHttp = roundTrip(m_server.port, "GET /health HTTP/1.1\r\nbroken header\r\n\r\n");
    verifyErrorShape(*badHttp, 400);
    QCOMPARE(badHttp->header("connection"), QByteArray("close"));
}

void TestServerHttp::bodiesOverTheLimitAre413() {
    TestConnection connection(m_server.port);
    connection.send("POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 9437184\r\n\r\n" + QByteArray(4096, ' '));
    const auto response = connection.readResponse();
    QVERIFY(response);
    verifyErrorShape(*response, 413, "request_too_large");
    QVERIFY(connection.waitClosed());
}

void TestServerHttp::chatCompletionObject() {
    const json reply = post(m_server, "/v1/chat/completions", chatBody({user("Tell me a fortune.")}));
    QVERIFY(QByteArray::fromStdString(reply["id"].get<std::string>()).startsWith("chatcmpl-"));
    RC_JSON_COMPARE(reply["object"], "chat.completion");
    RC_JSON_COMPARE(reply["model"], "demo-model");
    QVERIFY(reply["created"].is_number_integer());
    RC_JSON_COMPARE(reply["choices"].size(), std::size_t{1});
    const json& choice = reply["choices"][0];
    RC_JSON_COMPARE(choice["index"], 0);
    RC_JSON_COMPARE(choice["message"]["role"], "assistant");
    QVERIFY(!choice["message"]["content"].get<std::string>().empty());
    QVERIFY(choice["finish_reason"] == "stop" || choice["finish_reason"] == "length");
    const json& usage = reply["usage"];
    QVERIFY(usage["prompt_tokens"].get<int>() > 5);
    QVERIFY(usage["completion_tokens"].get<int>() >= 1);
    RC_JSON_COMPARE(usage["total_tokens"], usage["prompt_tokens"].get<int>() + usage["completion_tokens"].get<int>());
    QVERIFY(usage["prompt_tokens_details"]["cached_tokens"].is_number_integer());
}

void TestServerHttp::streamsServerSentEvents() {
    const QByteArray prompt = chatBody({user("Define the word: lantern")});
    const std::string whole = post(m_server, "/v1/chat/completions", prompt)["choices"][0]["message"]["content"];
    const auto response = roundTrip(
        m_server.port, postRequest("/v1/chat/completions",
                                   chatBody({user("Define the word: lantern")},
                                            {{"stream", true}, {"stream_options", {{"include_usage", true}}}})));
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QVERIFY(response->header("content-type").startsWith("text/event-stream"));
    QCOMPARE(response->header("transfer-encoding"), QByteArray("chunked"));
    // Framing: events are "data: <one line>" each followed by a blank line, nothing else.
    QVERIFY(response->body.endsWith("data: [DONE]\n\n"));
    const QList<QByteArray> events = response->body.chopped(2).split('\n');
    QList<json> chunks;
    for (qsizetype i = 0; i < events.size(); i += 2) {
        QVERIFY2(events[i].startsWith("data: "), events[i].constData());
        if (i + 1 < events.size()) QVERIFY(events[i + 1].isEmpty());
        if (events[i] != "data: [DONE]") chunks.append(json::parse(events[i].mid(6).toStdString()));
    }
    QVERIFY(chunks.size() >= 4);
    RC_JSON_COMPARE(chunks.first()["choices"][0]["delta"]["role"], "assistant");
    std::string text;
    std::string finish;
    for (const json& chunk : chunks) {
        RC_JSON_COMPARE(chunk["object"], "chat.completion.chunk");
        RC_JSON_COMPARE(chunk["id"], chunks.first()["id"]);
        if (&chunk != &chunks.last()) {
            QVERIFY(chunk["usage"].is_null());  // include_usage: present, null until the last
            RC_JSON_COMPARE(chunk["choices"].size(), std::size_t{1});
            const json& delta = chunk["choices"][0]["delta"];
            if (delta.contains("content")) text += delta["content"].get<std::string>();
            if (!chunk["choices"][0]["finish_reason"].is_null()) finish = chunk["choices"][0]["finish_reason"];
        }
    }
    QCOMPARE(QByteArray::fromStdString(text), QByteArray::fromStdString(whole));
    QVERIFY(finish == "stop" || finish == "length");
    QVERIFY(chunks.last()["choices"].empty());
    QVERIFY(chunks.last()["usage"]["completion_tokens"].get<int>() >= 1);
}

void TestServerHttp::alternativesWithN() {
    const json reply = post(m_server, "/v1/chat/completions",
                            chatBody({user("Tell me a fortune.")}, {{"n", 2}, {"temperature", 1.2}, {"seed", 3}}));
    RC_JSON_COMPARE(reply["choices"].size(), std::size_t{2});
    RC_JSON_COMPARE(reply["choices"][0]["index"], 0);
    RC_JSON_COMPARE(reply["choices"][1]["index"], 1);
    QVERIFY(reply["choices"][0]["message"]["content"] != reply["choices"][1]["message"]["content"]);
    const auto streamed = roundTrip(
        m_server.port,
        postRequest("/v1/chat/completions", chatBody({user("Tell me a fortune.")},
                                                     {{"n", 2}, {"stream", true}, {"seed", 3}, {"temperature", 1.2}})));
    std::string texts[2];
    for (const QByteArray& data : sseData(streamed->body)) {
        if (data == "[DONE]") continue;
        const json chunk = json::parse(data.toStdString());
        const json& choice = chunk["choices"][0];
        if (choice["delta"].contains("content")) texts[choice["index"].get<int>()] += choice["delta"]["content"];
    }
    QCOMPARE(QByteArray::fromStdString(texts[0]),
             QByteArray::fromStdString(reply["choices"][0]["message"]["content"].get<std::string>()));
    QCOMPARE(QByteArray::fromStdString(texts[1]),
             QByteArray::fromStdString(reply["choices"][1]["message"]["content"].get<std::string>()));
}

void TestServerHttp::stopStringsEndTheText() {
    const QByteArray body = chatBody({user("Tell me a fortune.")}, {{"max_tokens", 30}, {"ignore_eos", true}});
    const std::string whole = post(m_server, "/v1/chat/completions", body)["choices"][0]["message"]["content"];
    QVERIFY(whole.size() > 8);
    const std::string stop = whole.substr(5, 2);
    const json cut = post(m_server, "/v1/chat/completions",
                          chatBody({user("Tell me a fortune.")},
                                   {{"max_tokens", 30}, {"ignore_eos", true}, {"stop", {"@@never@@", stop}}}));
    QCOMPARE(QByteArray::fromStdString(cut["choices"][0]["message"]["content"]),
             QByteArray::fromStdString(whole.substr(0, whole.find(stop))));
    RC_JSON_COMPARE(cut["choices"][0]["finish_reason"], "stop");
}

void TestServerHttp::completionsEndpoint() {
    const json reply = post(m_server, "/v1/completions",
                            R"({"model":"x","prompt":"Once upon a time","max_tokens":8,"temperature":0})");
    RC_JSON_COMPARE(reply["object"], "text_completion");
    QVERIFY(QByteArray::fromStdString(reply["id"].get<std::string>()).startsWith("cmpl-"));
    QVERIFY(reply["choices"][0]["text"].is_string());
    QVERIFY(reply["usage"]["prompt_tokens"].get<int>() > 1);  // BOS and the text
    const auto streamed =
        roundTrip(m_server.port, postRequest("/v1/completions", R"({"prompt":"Once upon a time","max_tokens":8,)"
                                                                R"("temperature":0,"stream":true})"));
    std::string text;
    for (const QByteArray& data : sseData(streamed->body)) {
        if (data == "[DONE]") continue;
        const json chunk = json::parse(data.toStdString());
        RC_JSON_COMPARE(chunk["object"], "text_completion");
        text += chunk["choices"][0]["text"].get<std::string>();
    }
    QCOMPARE(QByteArray::fromStdString(text),
             QByteArray::fromStdString(reply["choices"][0]["text"].get<std::string>()));
}

void TestServerHttp::resentConversationResumesFromItsState() {
    const json first = post(m_server, "/v1/chat/completions", chatBody({user("What is 12+30?")}));
    const std::string answer = first["choices"][0]["message"]["content"];
    const json history = {user("What is 12+30?"), assistant(answer), user("And 20+21?")};
    const json second = post(m_server, "/v1/chat/completions", chatBody(history));
    const int cached = second["usage"]["prompt_tokens_details"]["cached_tokens"];
    // Everything up to the first reply's last fed token was resumed; only the new turn (and that token) was fed.
    QCOMPARE(cached, first["usage"]["prompt_tokens"].get<int>() + first["usage"]["completion_tokens"].get<int>() - 1);
    QVERIFY(second["usage"]["prompt_tokens"].get<int>() - cached < 20);

    ServerFixture noReuse;
    QVERIFY(noReuse.start({}, 4, true, 0));
    const json fresh = post(noReuse, "/v1/chat/completions", chatBody(history));
    RC_JSON_COMPARE(fresh["usage"]["prompt_tokens_details"]["cached_tokens"], 0);
    RC_JSON_COMPARE(fresh["usage"]["prompt_tokens"], second["usage"]["prompt_tokens"]);
    QCOMPARE(QByteArray::fromStdString(fresh["choices"][0]["message"]["content"]),
             QByteArray::fromStdString(second["choices"][0]["message"]["content"]));
}

void TestServerHttp::replyCutByAStopStringStillResumes() {
    const json extra = {{"max_tokens", 30}};
    const std::string whole =
        post(m_server, "/v1/chat/completions",
             chatBody({user("Define the word: kettle")}, extra))["choices"][0]["message"]["content"];
    json withStop = extra;
    withStop["stop"] = whole.substr(whole.size() / 2, 2);
    const json first = post(m_server, "/v1/chat/completions", chatBody({user("Define the word: kettle")}, withStop));
    const std::string cut = first["choices"][0]["message"]["content"];
    QVERIFY(cut.size() < whole.size());
    const json second = post(m_server, "/v1/chat/completions",
                             chatBody({user("Define the word: kettle"), assistant(cut), user("Shorter.")}));
    const int cached = second["usage"]["prompt_tokens_details"]["cached_tokens"];
    const QString numbers = QStringLiteral("first prompt %1, second prompt %2, cached %3: '%4' of '%5'")
                                .arg(first["usage"]["prompt_tokens"].get<int>())
                                .arg(second["usage"]["prompt_tokens"].get<int>())
                                .arg(cached)
                                .arg(QString::fromStdString(cut), QString::fromStdString(whole));
    QVERIFY2(cached > first["usage"]["prompt_tokens"].get<int>(), qPrintable(numbers));
    QVERIFY2(second["usage"]["prompt_tokens"].get<int>() - cached < 20, qPrintable(numbers));
}

void TestServerHttp::editedEarlierMessageFallsBackToTheLongestPrefix() {
    const json one = post(m_server, "/v1/chat/completions", chatBody({user("Tell me about ships.")}));
    const std::string a1 = one["choices"][0]["message"]["content"];
    const json two = post(m_server, "/v1/chat/completions",
                          chatBody({user("Tell me about ships."), assistant(a1), user("And boats?")}));
    const std::string a2 = two["choices"][0]["message"]["content"];
    // The second user message edited: resumes after the first reply, not after the second.
    const json editedLate = post(
        m_server, "/v1/chat/completions",
        chatBody({user("Tell me about ships."), assistant(a1), user("And rafts?"), assistant(a2), user("Thanks.")}));
    RC_JSON_COMPARE(editedLate["usage"]["prompt_tokens_details"]["cached_tokens"],
                    two["usage"]["prompt_tokens_details"]["cached_tokens"]);
    // The first one edited: nothing kept matches, everything is fed, and the answer is a fresh run's.
    const json history = {user("Tell me about cars."), assistant(a1), user("And boats?")};
    const json editedEarly = post(m_server, "/v1/chat/completions", chatBody(history));
    RC_JSON_COMPARE(editedEarly["usage"]["prompt_tokens_details"]["cached_tokens"], 0);
    ServerFixture noReuse;
    QVERIFY(noReuse.start({}, 4, true, 0));
    QCOMPARE(QByteArray::fromStdString(
                 post(noReuse, "/v1/chat/completions", chatBody(history))["choices"][0]["message"]["content"]),
             QByteArray::fromStdString(editedEarly["choices"][0]["message"]["content"]));
}

QTEST_GUILESS_MAIN(TestServerHttp)
#include "test_server_http.moc"
