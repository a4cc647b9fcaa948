// test_server_slow.cpp — the server's timeouts and concurrency, with short limits: a client sending a byte a second
// gets 408 while others are served, an idle connection is closed, and 64 streaming clients at once are all served
// (queued beyond the parallel limit, none refused). Slow by nature: left out of the sanitizer runs.
#include <QTest>
#include <memory>
#include <vector>

#include "server_fixture.h"

using namespace rctest;
using nlohmann::json;

class TestServerSlow : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void slowClientGets408WhileOthersAreServed();
    void slowBodyGets408();
    void idleConnectionsAreClosed();
    void sixtyFourStreamingClientsAreAllServed();

  private:
    ServerFixture m_server;
};

void TestServerSlow::initTestCase() {
    rcserver::ApiServerOptions options;
    options.limits.requestTimeoutMs = 2500;
    options.limits.idleTimeoutMs = 1500;
    QVERIFY(m_server.start(options));  // the default parallel limit (4)
}

void TestServerSlow::slowClientGets408WhileOthersAreServed() {
    TestConnection slow(m_server.port);
    const QByteArray request = getRequest("/health");
    int sent = 0;
    while (slow.connected() && sent < request.size()) {
        slow.send(request.mid(sent++, 1));
        // The server keeps serving others while it waits.
        QCOMPARE(roundTrip(m_server.port, getRequest("/health"))->status, 200);
        spinUntil([&] { return slow.socket().state() != QAbstractSocket::ConnectedState; }, 1000);
    }
    // Cut off by the 2.5 s request timeout: after a few bytes (one a second), long before the whole request.
    QVERIFY2(sent >= 2 && sent < request.size(), qPrintable(QString::number(sent)));
    const auto response = slow.readResponse(1000);
    QVERIFY(response);
    QCOMPARE(response->status, 408);
    QVERIFY(slow.waitClosed());
}

void TestServerSlow::slowBodyGets408() {
    TestConnection slow(m_server.port);
    slow.send("POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"mess");
    const auto response = slow.readResponse(6000);
    QVERIFY(response);
    QCOMPARE(response->status, 408);
    QVERIFY(slow.waitClosed());
}

void TestServerSlow::idleConnectionsAreClosed() {
    TestConnection silent(m_server.port);
    QVERIFY(silent.waitClosed(5000));
    TestConnection kept(m_server.port);
    kept.send(getRequest("/health"));
    QCOMPARE(kept.readResponse()->status, 200);
    QVERIFY(kept.waitClosed(5000));  // after the response, idle again
}

void TestServerSlow::sixtyFourStreamingClientsAreAllServed() {
    const QByteArray request = postRequest(
        "/v1/chat/completions",
        R"({"messages":[{"role":"user","content":"Tell me a fortune."}],"stream":true,"max_tokens":6,"seed":1})");
    std::vector<std::unique_ptr<TestConnection>> clients;
    for (int i = 0; i < 64; ++i) {
        clients.push_back(std::make_unique<TestConnection>(m_server.port));
        QVERIFY(clients.back()->connected());
        clients.back()->send(request);
    }
    for (auto& client : clients) {
        const auto response = client->readResponse(120000);
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QVERIFY(response->body.endsWith("data: [DONE]\n\n"));
        QVERIFY(response->body.contains("\"finish_reason\":\"length\"") ||
                response->body.contains("\"finish_reason\":\"stop\""));
    }
    int served = 0;
    for (const auto& entry : m_server.log) served += entry.status == 200 && entry.path == "/v1/chat/completions";
    QCOMPARE(served, 64);
}

QTEST_GUILESS_MAIN(TestServerSlow)
#include "test_server_slow.moc"
