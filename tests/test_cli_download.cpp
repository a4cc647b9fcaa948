// test_cli_download — `rgemma download`, the real binary, against the fake Hub on loopback: the snapshot folder as
// the last line on stdout and a model `rgemma inspect` opens; nothing fetched a second time or from a cache that
// huggingface-cli made; a process killed mid-file resumes with a Range request; the token from --token, $HF_TOKEN
// or $HF_HOME/token, never sent to the storage host; the gated and other failures as one `error:` line (in the
// user's language), a full disk, the system proxy, and usage errors.
#include <sys/resource.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "hub_cache.h"
#include "hub_test_support.h"

using namespace rctest;

namespace {

const QString kWeights = QStringLiteral("model.safetensors");

struct Run {
    int exitCode = -1;
    bool crashed = false;
    QByteArray out;
    QByteArray err;
    QString lastLine() const { return QString::fromUtf8(out.trimmed().split('\n').last()); }
};

// Runs rgemma with `args`, the environment changed by `env` (name -> value; an empty value unsets it), and the file
// size limit `fileSizeLimit` if set.
Run runRgemma(const QStringList& args, const QMap<QString, QString>& env = {}, rlim_t fileSizeLimit = 0) {
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (auto it = env.begin(); it != env.end(); ++it) {
        if (it.value().isEmpty()) {
            environment.remove(it.key());
        } else {
            environment.insert(it.key(), it.value());
        }
    }
    process.setProcessEnvironment(environment);
    if (fileSizeLimit > 0) {
        process.setChildProcessModifier([fileSizeLimit] {
            const rlimit limit{fileSizeLimit, fileSizeLimit};
            ::setrlimit(RLIMIT_FSIZE, &limit);
        });
    }
    process.start(QStringLiteral(RC_RGEMMA_BIN), args);
    Run run;
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        run.crashed = true;
    }
    run.crashed = run.crashed || process.exitStatus() != QProcess::NormalExit;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

// Exit 1 and one `error:` line, the last on stderr, containing `expected`.
void expectError(const Run& run, const QString& expected) {
    QVERIFY(!run.crashed);
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.err.count("error: "), 1);
    const QByteArray last = run.err.trimmed().split('\n').last();
    QVERIFY2(last.startsWith("error: "), run.err.constData());
    QVERIFY2(QString::fromUtf8(last).contains(expected), run.err.constData());
    QVERIFY(run.out.isEmpty());
}

}  // namespace

class TestCliDownload : public HubTestCase {
    Q_OBJECT

    QStringList download(const QStringList& extra = {}) const {
        return QStringList{"download",    kDemoRepo,      "--endpoint", m_hub->endpoint().toString(),
                           "--cache-dir", m_cache->path()} +
               extra;
    }
    QString snapshotDir() const { return hub::RepoCache(m_cache->path(), kDemoRepo).snapshotDir(kDemoCommit); }
    QString weightsPartial() const {
        return hub::RepoCache(m_cache->path(), kDemoRepo).incompletePath(FakeHub::sha256(m_demo[kWeights]));
    }

    void expectSnapshot(const Run& run) {
        QVERIFY2(!run.crashed && run.exitCode == 0, run.err.constData());
        QCOMPARE(run.lastLine(), snapshotDir());
        compareWithDemo(snapshotDir());
        QVERIFY(!run.err.contains("error:"));
    }

  private slots:
    void initTestCase() {
        QVERIFY(isolate());
        QVERIFY(QFile::exists(QStringLiteral(RC_RGEMMA_BIN)));
        qputenv("LANGUAGE", "en");
    }

    void init() { startHub(); }

    void cleanup() {
        stopHub();
        QFile::remove(m_home.filePath(QStringLiteral("token")));
    }

    void downloadsAModelThatOpens() {
        const Run run = runRgemma(download({"--token", kGrantedToken}));
        expectSnapshot(run);
        QVERIFY2(run.err.contains("google/recurrentgemma-2b: 3 files, 14.0 MB, 14.0 MB to download"),
                 run.err.constData());
        QVERIFY(run.err.contains("  model.safetensors (13.9 MB) in place"));
        const Run inspect = runRgemma({"inspect", "--model", run.lastLine()});
        QVERIFY2(inspect.exitCode == 0, inspect.err.constData());
        QVERIFY(inspect.out.contains("vocab"));

        // A second run finds everything in place and fetches nothing.
        m_hub->clearRequests();
        const Run again = runRgemma(download({"--token", kGrantedToken}));
        expectSnapshot(again);
        QCOMPARE(contentBytesServed(*m_hub), 0);
        QVERIFY(again.err.contains("0 B to download"));
    }

    // What huggingface-cli downloaded is used as it is.
    void reusesAHuggingfaceCliCache() {
        QVERIFY(!makeHfCache(m_cache->path(), kDemoRepo, kDemoCommit, m_demo, {kWeights}).isEmpty());
        expectSnapshot(runRgemma(download({"--token", kGrantedToken})));
        QCOMPARE(contentBytesServed(*m_hub), 0);
    }

    void killedMidFileResumes() {
        m_hub->setFault(kWeights, Fault::Slow);
        QProcess first;
        first.start(QStringLiteral(RC_RGEMMA_BIN), download({"--token", kGrantedToken}));
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(weightsPartial()).size() > 200000, 60000);
        first.kill();
        QVERIFY(first.waitForFinished());
        const qint64 kept = QFileInfo(weightsPartial()).size();
        QVERIFY(kept < m_demo[kWeights].size());

        const Run second = runRgemma(download({"--token", kGrantedToken}));  // still slow: progress lines show
        expectSnapshot(second);
        const auto storage = storageRequests(*m_hub);
        QVERIFY(!storage.isEmpty());
        QCOMPARE(storage.last().headers.value("range"), "bytes=" + QByteArray::number(kept) + '-');
        QVERIFY2(second.err.contains("B/s") && second.err.contains(" left, model.safetensors"), second.err.constData());
    }

    void droppedConnectionResumesInTheSameRun() {
        m_hub->setFault(kWeights, Fault::DropHalfwayOnce);
        const Run run = runRgemma(download({"--token", kGrantedToken}));
        expectSnapshot(run);
        QVERIFY2(run.err.contains("note: The connection to 127.0.0.1 failed"), run.err.constData());
        QCOMPARE(storageRequests(*m_hub).last().headers.value("range"),
                 "bytes=" + QByteArray::number(m_demo[kWeights].size() / 2) + '-');
    }

    void stallIsRetried() {
        m_hub->setFault(kWeights, Fault::StallOnce);
        const Run run = runRgemma(download({"--token", kGrantedToken, "--stall-timeout", "1"}));
        expectSnapshot(run);
        QVERIFY2(run.err.contains("note: 127.0.0.1 sent no data for 1 s; attempt 2 of 5"), run.err.constData());
    }

    // The token from $HF_TOKEN or the file huggingface-cli login writes; never at the storage host.
    void tokenFromTheEnvironment() {
        expectSnapshot(runRgemma(download(), {{"HF_TOKEN", kGrantedToken}}));
        QFile tokenFile(m_home.filePath(QStringLiteral("token")));
        QVERIFY(tokenFile.open(QIODevice::WriteOnly));
        tokenFile.write(kGrantedToken.toLatin1() + '\n');
        tokenFile.close();
        m_cache = std::make_unique<QTemporaryDir>();
        expectSnapshot(runRgemma(download()));
        int withToken = 0;
        for (const SeenRequest& request : m_hub->requests()) {
            if (request.listener == 1) QVERIFY(!request.headers.contains("authorization"));
            if (request.headers.value("authorization") == "Bearer " + kGrantedToken.toLatin1()) ++withToken;
        }
        QVERIFY(withToken > 0);
    }

    void failures() {
        const QString page = m_hub->endpoint().toString() + u'/' + kDemoRepo;
        expectError(runRgemma(download()),
                    QStringLiteral("This model is gated. Accept its licence at %1 and enter a Hugging Face access "
                                   "token.")
                        .arg(page));
        expectError(runRgemma(download({"--token", "hf_other"})),
                    QStringLiteral("Your token does not have access yet: accept the licence at %1").arg(page));
        expectError(runRgemma({"download", "google/nothing-here", "--endpoint", m_hub->endpoint().toString(),
                               "--cache-dir", m_cache->path()}),
                    QStringLiteral("There is no model google/nothing-here"));
        m_hub->setFault(kWeights, Fault::Corrupt);
        expectError(runRgemma(download({"--token", kGrantedToken})),
                    QStringLiteral("model.safetensors arrived damaged"));
        QVERIFY(!QFileInfo::exists(snapshotDir() + "/model.safetensors"));
    }

    // The messages are translated: a German user reads German.
    void messagesInTheUsersLanguage() {
        const Run run = runRgemma(download(), {{"LANGUAGE", "de"}, {"LANG", "de_DE.UTF-8"}, {"LC_ALL", ""}});
        expectError(run, QStringLiteral("Dieses Modell ist zugangsbeschränkt"));
    }

    // A file size limit makes writes fail like a full disk: the partial file is kept for later.
    void fullDisk() {
        const Run run = runRgemma(download({"--token", kGrantedToken}), {}, 4 << 20);
        expectError(run, QStringLiteral("The disk is full"));
        QVERIFY(QFileInfo(weightsPartial()).size() > 0);
        expectSnapshot(runRgemma(download({"--token", kGrantedToken})));
        QCOMPARE(storageRequests(*m_hub).last().headers.value("range").isEmpty(), false);
    }

    // The system's proxy (here http_proxy) carries the requests: the fake Hub answers as the proxy.
    void systemProxyIsHonoured() {
        const QString proxy = QStringLiteral("http://127.0.0.1:%1").arg(m_hub->hubPort());
        const Run run = runRgemma({"download", kDemoRepo, "--endpoint", "http://hub.test", "--cache-dir",
                                   m_cache->path(), "--token", kGrantedToken},
                                  {{"http_proxy", proxy}, {"no_proxy", ""}});
        expectSnapshot(run);
        bool proxied = false;
        for (const SeenRequest& request : m_hub->requests()) {
            if (request.target.startsWith("http://hub.test/")) proxied = true;
        }
        QVERIFY(proxied);
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no repo") << QStringList{"download"};
        QTest::newRow("bad repo") << QStringList{"download", "../etc"};
        QTest::newRow("bad revision") << QStringList{"download", "a/b", "--revision", "../x"};
        QTest::newRow("bad endpoint") << QStringList{"download", "a/b", "--endpoint", "ftp://x"};
        QTest::newRow("bad token") << QStringList{"download", "a/b", "--token", "two words"};
        QTest::newRow("bad stall") << QStringList{"download", "a/b", "--stall-timeout", "0"};
        QTest::newRow("bad retries") << QStringList{"download", "a/b", "--retries", "0"};
        QTest::newRow("bad HF_ENDPOINT") << QStringList{"download", "a/b"};
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        const bool onlyTheRepo = args.size() == 2 && args[1] == u"a/b";  // then $HF_ENDPOINT is what is wrong
        const Run run = runRgemma(args, {{"HF_ENDPOINT", onlyTheRepo ? "not a url" : ""}});
        QVERIFY2(!onlyTheRepo || run.err.contains("HF_ENDPOINT"), run.err.constData());
        QVERIFY(!run.crashed);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.startsWith("error: ") && run.err.contains("--help"), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliDownload)
#include "test_cli_download.moc"
