// test_server_cli.cpp — `rgemma serve` as users start it: its first stdout line, the warning off loopback without a
// key, usage and load errors, and SIGTERM/SIGINT letting the running reply finish its token before exiting 0.
#include <QTest>

#include "cli_run.h"
#include "serve_process.h"

using namespace rctest;

class TestServerCli : public QObject {
    Q_OBJECT

  private slots:
    void printsWhereItListensThenServes();
    void sigtermDuringAStreamExitsZero();
    void sigintWhenIdleExitsZero();
    void warnsOffLoopbackWithoutAKey();
    void usageErrors_data();
    void usageErrors();
    void aModelThatCannotLoadExitsOne();
    void aPortInUseExitsOne();
};

void TestServerCli::printsWhereItListensThenServes() {
    ServeProcess serve;
    QVERIFY2(serve.start(), serve.firstLine.constData());
    QVERIFY(serve.firstLine.startsWith("listening on http://127.0.0.1:"));
    QVERIFY(serve.waitReady());
    const auto models = roundTrip(serve.port, getRequest("/v1/models"));
    RC_JSON_COMPARE(models->json()["data"][0]["id"], "demo-model");
    const auto reply = roundTrip(serve.port, postRequest("/v1/completions", R"({"prompt":"A","max_tokens":2})"));
    QCOMPARE(reply->status, 200);
    QVERIFY(spinUntil([&] { return serve.stderrText().contains("POST /v1/completions 200"); }, 5000));
    serve.signal(SIGTERM);
    QCOMPARE(serve.waitExit(), 0);
    QVERIFY(serve.stderrText().contains("model ready: demo-model"));
}

void TestServerCli::sigtermDuringAStreamExitsZero() {
    ServeProcess serve;
    QVERIFY(serve.start());
    QVERIFY(serve.waitReady());
    TestConnection stream(serve.port);
    stream.send(postRequest("/v1/chat/completions", R"({"messages":[{"role":"user","content":"Hi"}],"stream":true,)"
                                                    R"("max_tokens":100000,"ignore_eos":true})"));
    QVERIFY(stream.readUntil([](const QByteArray& bytes) { return bytes.count("\"content\"") >= 4; }));
    serve.signal(SIGTERM);
    QCOMPARE(serve.waitExit(), 0);
    // The client was told: the stream ends with an error event, not silently.
    QVERIFY(stream.waitClosed());
    QVERIFY2(stream.buffer().contains("shutting down"), stream.buffer().right(300).constData());
    QVERIFY(serve.stderrText().contains("stopping"));
}

void TestServerCli::sigintWhenIdleExitsZero() {
    ServeProcess serve;
    QVERIFY(serve.start());
    QVERIFY(serve.waitReady());
    serve.signal(SIGINT);
    QCOMPARE(serve.waitExit(), 0);
}

void TestServerCli::warnsOffLoopbackWithoutAKey() {
    {
        ServeProcess open;
        QVERIFY(open.start({QStringLiteral("--host"), QStringLiteral("0.0.0.0")}));
        QVERIFY(open.firstLine.startsWith("listening on http://0.0.0.0:"));
        QVERIFY(spinUntil([&] { return open.stderrText().contains("warning: serving on 0.0.0.0 without --api-key"); },
                          5000));
        open.signal(SIGTERM);
        QCOMPARE(open.waitExit(), 0);
    }
    ServeProcess keyed;
    QVERIFY(keyed.start(
        {QStringLiteral("--host"), QStringLiteral("0.0.0.0"), QStringLiteral("--api-key"), QStringLiteral("k")}));
    QVERIFY(keyed.waitReady());
    keyed.signal(SIGTERM);
    QCOMPARE(keyed.waitExit(), 0);
    QVERIFY(!keyed.stderrText().contains("warning"));
}

void TestServerCli::usageErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("port range") << QStringList{"--port", "70000"};
    QTest::newRow("host name") << QStringList{"--host", "example.com"};
    QTest::newRow("parallel zero") << QStringList{"--parallel", "0"};
    QTest::newRow("cache negative") << QStringList{"--state-cache-mb", "-1"};
    QTest::newRow("empty key") << QStringList{"--api-key", ""};
    QTest::newRow("unknown option") << QStringList{"--ctx-size", "4096"};
}

void TestServerCli::usageErrors() {
    QFETCH(QStringList, args);
    expectUsageError(runCli(QStringList{QStringLiteral("serve")} + args));
}

void TestServerCli::aModelThatCannotLoadExitsOne() {
    QTemporaryDir empty;
    const CliRun run =
        runCli({QStringLiteral("serve"), QStringLiteral("--model"), empty.path(), QStringLiteral("--port"),
                QStringLiteral("0"), QStringLiteral("--state-dir"), empty.filePath(QStringLiteral("s"))});
    QVERIFY(!run.crashed);
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.out.startsWith("listening on "));
    QVERIFY2(run.err.contains("error: cannot load the model"), run.err.constData());
}

void TestServerCli::aPortInUseExitsOne() {
    ServeProcess first;
    QVERIFY(first.start());
    const CliRun second = runCli({QStringLiteral("serve"), QStringLiteral("--model"), QStringLiteral(RC_DEMO_MODEL_DIR),
                                  QStringLiteral("--port"), QString::number(first.port)});
    expectRuntimeError(second, "cannot listen on 127.0.0.1:");
    QVERIFY(second.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestServerCli)
#include "test_server_cli.moc"
