// test_server_openai.cpp — a real client that is not ours: the official `openai` npm package, pinned in
// tests/openai-client/package-lock.json and installed with `npm ci` into the build folder, run (check.mjs) against
// `rgemma serve` on the demo model. Skipped, saying so, where node or npm is missing.
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTest>

#include "serve_process.h"

using namespace rctest;

namespace {

const QString kSource = QStringLiteral(RC_OPENAI_CLIENT_SOURCE_DIR);
const QString kWork = QStringLiteral(RC_OPENAI_CLIENT_WORK_DIR);

// Runs a program to its end; its output is printed (the test log shows every check).
int runToEnd(const QString& program, const QStringList& args, const QString& folder, int timeoutMs) {
    QProcess process;
    process.setWorkingDirectory(folder);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, args);
    if (!process.waitForStarted(10000)) return -1;
    const bool finished = process.waitForFinished(timeoutMs);
    qInfo().noquote() << QString::fromUtf8(process.readAll());
    if (!finished) {
        process.kill();
        process.waitForFinished();
        return -1;
    }
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

}  // namespace

class TestServerOpenAi : public QObject {
    Q_OBJECT

  private slots:
    void officialClientAgainstRgemmaServe();
};

void TestServerOpenAi::officialClientAgainstRgemmaServe() {
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    const QString npm = QStandardPaths::findExecutable(QStringLiteral("npm"));
    if (node.isEmpty() || npm.isEmpty()) {
        QSKIP("node and npm are needed for the openai package (scripts/install-deps.sh --tests installs them)");
    }
    QVERIFY(QDir().mkpath(kWork));
    for (const QString& name :
         {QStringLiteral("package.json"), QStringLiteral("package-lock.json"), QStringLiteral("check.mjs")}) {
        QFile::remove(kWork + QLatin1Char('/') + name);
        QVERIFY(QFile::copy(kSource + QLatin1Char('/') + name, kWork + QLatin1Char('/') + name));
    }
    // Exactly what the lockfile pins; from npm's cache when it has it.
    QCOMPARE(runToEnd(npm,
                      {QStringLiteral("ci"), QStringLiteral("--prefer-offline"), QStringLiteral("--no-audit"),
                       QStringLiteral("--no-fund")},
                      kWork, 300000),
             0);

    ServeProcess serve;
    QVERIFY(serve.start({QStringLiteral("--api-key"), QStringLiteral("test-key")}));
    QVERIFY(serve.waitReady());
    const QString baseUrl = QStringLiteral("http://127.0.0.1:%1/v1").arg(serve.port);
    QCOMPARE(runToEnd(node, {QStringLiteral("check.mjs"), baseUrl, QStringLiteral("test-key")}, kWork, 300000), 0);
    serve.signal(SIGTERM);
    QCOMPARE(serve.waitExit(), 0);
}

QTEST_GUILESS_MAIN(TestServerOpenAi)
#include "test_server_openai.moc"
