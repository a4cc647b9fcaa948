// test_server_hostile.cpp — hostile HTTP against the real server on loopback: malformed and truncated JSON, wrong
// types, huge numbers, 10 MB bodies, hostile bytes, pipelined requests, clients that leave mid-stream or while
// queued. Each is answered or refused correctly, and a normal request is served after it.
#include <QTest>

#include "server_fixture.h"

using namespace rctest;
using nlohmann::json;

namespace {

// The bytes of a string literal, NULs inside included, the terminating one not.
template <std::size_t N>
QByteArray literalBytes(const char (&text)[N]) {
    return QByteArray(text, N - 1);
}

const QByteArray kNormalChat =
    R"({"model":"m","messages":[{"role":"user","content":"What is 3+4?"}],"max_tokens":4,"temperature":0})";

QByteArray longStream() {
    return postRequest("/v1/chat/completions",
                       R"({"messages":[{"role":"user","content":"Tell me a fortune."}],"stream":true,)"
                       R"("max_tokens":100000,"ignore_eos":true})");
}

}  // namespace

class TestServerHostile : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void init();
    void malformedJsonKeepsTheConnectionUsable();
    void hugeNumbersAndWrongTypes();
    void tenMegabyteBodies();
    void hostileBytesAreRefusedAndClosed_data();
    void hostileBytesAreRefusedAndClosed();
    void pipelinedRequestsAreAnsweredInOrder();
    void pipelinedAfterAMalformedOneStopAtIt();
    void clientLeavingMidStreamStopsItsGenerationWithinOneToken();
    void clientLeavingWhileQueuedNeverStarts();
    void http10StreamEndsWithTheConnection();
    void cleanup();

  private:
    void verifyNormalRequestServed();
    std::optional<rcserver::RequestLogEntry> waitForClientLeft(int count);
    ServerFixture m_server;
};

void TestServerHostile::initTestCase() { QVERIFY(m_server.start({}, 1)); }

void TestServerHostile::init() { m_server.log.clear(); }

void TestServerHostile::cleanup() { verifyNormalRequestServed(); }

void TestServerHostile::verifyNormalRequestServed() {
    const auto response = roundTrip(m_server.port, postRequest("/v1/chat/completions", kNormalChat));
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QVERIFY(!response->json()["choices"][0]["message"]["content"].is_null());
}

void TestServerHostile::malformedJsonKeepsTheConnectionUsable() {
    TestConnection connection(m_server.port);
    const QList<QByteArray> bodies{
        "{",
        R"({"messages":[{"role":"user","content":"hi"}])",
        R"({"messages":[{"role":"user","content":"hi"}]}})",
        "null",
        "\"just a string\"",
        R"({"messages":[{"role":"user","content":"\ud800"}]})",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"\xc3\x28\"}]}",
        QByteArray("{\"messages\":\0}", 14),
        QByteArray(100000, '['),
        R"({"messages":[{"role":"user","content":"hi"}],"max_tokens":)",
    };
    for (const QByteArray& body : bodies) {
        connection.send(postRequest("/v1/chat/completions", body));
        const auto response = connection.readResponse();
        QVERIFY2(response, body.left(40).constData());
        QCOMPARE(response->status, 400);
        RC_JSON_COMPARE(response->json()["error"]["type"], "invalid_request_error");
    }
    connection.send(postRequest("/v1/chat/completions", kNormalChat));
    QCOMPARE(connection.readResponse()->status, 200);
}

void TestServerHostile::hugeNumbersAndWrongTypes() {
    const QList<QByteArray> fields{
        R"("max_tokens":1e400)",       R"("max_tokens":-9223372036854775809)",
        R"("n":99999999999999999999)", R"("temperature":1e309)",
        R"("top_k":2147483648)",       R"("seed":1e30)",
        R"("temperature":NaN)",        R"("max_tokens":"8")",
        R"("messages":"hi")",          R"("stop":{"a":1})",
        R"("top_p":-0.0001)",          R"("repeat_last_n":65537)",
    };
    for (const QByteArray& field : fields) {
        const QByteArray body = R"({"messages":[{"role":"user","content":"hi"}],)" + field + "}";
        const auto response = roundTrip(m_server.port, postRequest("/v1/chat/completions", body));
        QVERIFY2(response && response->status == 400, field.constData());
    }
}

void TestServerHostile::tenMegabyteBodies() {
    const QByteArray tenMegabytes(10 * 1024 * 1024, 'x');
    {  // declared and sent: refused from the header, the connection closed (the rest is not read)
        TestConnection connection(m_server.port);
        connection.send("POST /v1/chat/completions HTTP/1.1\r\nContent-Length: " +
                        QByteArray::number(tenMegabytes.size()) + "\r\n\r\n");
        connection.send(tenMegabytes);
        const auto response = connection.readResponse();
        QCOMPARE(response->status, 413);
        QVERIFY(connection.waitClosed());
    }
    {  // chunked: refused once the chunks pass the limit
        TestConnection connection(m_server.port);
        connection.send("POST /v1/chat/completions HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 10; ++i) connection.send("100000\r\n" + tenMegabytes.left(0x100000) + "\r\n");
        QCOMPARE(connection.readResponse()->status, 413);
        QVERIFY(connection.waitClosed());
    }
    {  // Expect: 100-continue: refused before the body is sent
        TestConnection connection(m_server.port);
        connection.send(
            "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 10485760\r\n"
            "Expect: 100-continue\r\n\r\n");
        QCOMPARE(connection.readResponse()->status, 413);
    }
    {  // a 10 MB JSON string inside an 8 MiB limit is impossible; a 7 MB one is parsed and answered
        QByteArray body = R"({"messages":[{"role":"user","content":")" + QByteArray(7 * 1024 * 1024, 'a') +
                          R"("}],"max_tokens":1,"tools":[{"type":"function"}]})";
        const auto response = roundTrip(m_server.port, postRequest("/v1/chat/completions", body));
        QCOMPARE(response->status, 400);  // read whole, then refused for the tools it asks for
        RC_JSON_COMPARE(response->json()["error"]["param"], "tools");
    }
}

void TestServerHostile::hostileBytesAreRefusedAndClosed_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("status");
    QTest::newRow("TLS hello") << literalBytes("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n") << 400;
    QTest::newRow("HTTP/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 505;
    QTest::newRow("endless header") << "GET /health HTTP/1.1\r\nX-A: " + QByteArray(64 * 1024, 'a') << 431;
    QTest::newRow("smuggling") << QByteArray(
                                      "POST /v1/completions HTTP/1.1\r\nContent-Length: 4\r\n"
                                      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /health HTTP/1.1\r\n\r\n")
                               << 400;
    QTest::newRow("unknown coding") << QByteArray("POST /v1/completions HTTP/1.1\r\nTransfer-Encoding: br\r\n\r\n")
                                    << 501;
}

void TestServerHostile::hostileBytesAreRefusedAndClosed() {
    QFETCH(QByteArray, bytes);
    QFETCH(int, status);
    TestConnection connection(m_server.port);
    connection.send(bytes);
    const auto response = connection.readResponse();
    QVERIFY(response);
    QCOMPARE(response->status, status);
    QCOMPARE(response->header("connection"), QByteArray("close"));
    QVERIFY(connection.waitClosed());
}

void TestServerHostile::pipelinedRequestsAreAnsweredInOrder() {
    TestConnection connection(m_server.port);
    connection.send(getRequest("/health") + postRequest("/v1/chat/completions", kNormalChat) +
                    getRequest("/v1/models") + postRequest("/v1/completions", R"({"prompt":"A","max_tokens":2})") +
                    getRequest("/nowhere"));
    RC_JSON_COMPARE(connection.readResponse()->json(), json({{"status", "ok"}}));
    RC_JSON_COMPARE(connection.readResponse()->json()["object"], "chat.completion");
    RC_JSON_COMPARE(connection.readResponse()->json()["object"], "list");
    RC_JSON_COMPARE(connection.readResponse()->json()["object"], "text_completion");
    QCOMPARE(connection.readResponse()->status, 404);
    connection.send(getRequest("/health", "Connection: close\r\n"));
    QCOMPARE(connection.readResponse()->status, 200);
    QVERIFY(connection.waitClosed());
}

void TestServerHostile::pipelinedAfterAMalformedOneStopAtIt() {
    TestConnection connection(m_server.port);
    connection.send(getRequest("/health") + "GARBAGE\r\n\r\n" + getRequest("/health"));
    QCOMPARE(connection.readResponse()->status, 200);
    QCOMPARE(connection.readResponse()->status, 400);
    QVERIFY(connection.waitClosed());  // where a next request would start is unknown: not guessed
}

std::optional<rcserver::RequestLogEntry> TestServerHostile::waitForClientLeft(int count) {
    QList<rcserver::RequestLogEntry> left;
    spinUntil(
        [&] {
            left.clear();
            for (const auto& entry : m_server.log) {
                if (entry.clientLeft) left.append(entry);
            }
            return left.size() >= count;
        },
        30000);
    if (left.size() < count) return std::nullopt;
    return left.last();
}

void TestServerHostile::clientLeavingMidStreamStopsItsGenerationWithinOneToken() {
    {
        TestConnection connection(m_server.port);
        connection.send(longStream());
        QVERIFY(connection.readUntil([](const QByteArray& bytes) { return bytes.count("\"content\"") >= 6; }));
        connection.socket().abort();
    }
    const auto entry = waitForClientLeft(1);
    QVERIFY(entry);
    QCOMPARE(entry->status, 499);
    QVERIFY(entry->sampledAtStop >= 4);
    // Stopped before its next token once the server saw the client go: at most the one under way finished.
    QVERIFY2(entry->sampledTotal - entry->sampledAtStop <= 1,
             qPrintable(QStringLiteral("%1 then %2").arg(entry->sampledAtStop).arg(entry->sampledTotal)));
}

void TestServerHostile::clientLeavingWhileQueuedNeverStarts() {
    TestConnection running(m_server.port);  // the fixture runs one job at a time: the second waits
    running.send(longStream());
    QVERIFY(running.readUntil([](const QByteArray& bytes) { return bytes.contains("\"content\""); }));
    {
        TestConnection queued(m_server.port);
        queued.send(longStream());
        QVERIFY(queued.readUntil([](const QByteArray& bytes) { return bytes.contains("200 OK"); }));
        QTest::qWait(50);
        QVERIFY(!queued.buffer().contains("\"role\""));  // not started: no first chunk
        queued.socket().abort();
    }
    const auto queuedEntry = waitForClientLeft(1);
    QVERIFY(queuedEntry);
    QCOMPARE(queuedEntry->sampledTotal, 0);
    running.socket().abort();
    QVERIFY(waitForClientLeft(2));
}

void TestServerHostile::http10StreamEndsWithTheConnection() {
    TestConnection connection(m_server.port);
    const QByteArray body = kNormalChat.chopped(1) + R"(,"stream":true})";
    connection.send("POST /v1/chat/completions HTTP/1.0\r\nContent-Length: " + QByteArray::number(body.size()) +
                    "\r\n\r\n" + body);
    const auto response = connection.readResponse();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QVERIFY(response->header("transfer-encoding").isEmpty());
    QVERIFY(response->body.endsWith("data: [DONE]\n\n"));
    QVERIFY(connection.waitClosed());
}

QTEST_GUILESS_MAIN(TestServerHostile)
#include "test_server_hostile.moc"
