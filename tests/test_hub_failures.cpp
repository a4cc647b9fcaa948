// test_hub_failures — how the download library fails, against the fake Hub on loopback: gated repos (401 without a
// token, 403 with one that has no access), no such repo, revision or file, a 503 that is retried and one that is
// not cured, a host nobody answers for (bounded retries), a checkpoint larger than the disk (refused before any
// file is fetched), a corrupted blob (refused, deleted, never in snapshots/), hostile resolve headers (nothing
// written outside the cache), and a TLS certificate nobody vouches for (refused at once, never retried).
#include <QDirIterator>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslServer>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include "hub_cache.h"
#include "hub_test_support.h"

using namespace rctest;
using hub::ErrorKind;
using hub::ModelDownload;

namespace {

const QString kWeights = QStringLiteral("model.safetensors");

QStringList filesUnder(const QString& root) {
    QStringList files;
    for (QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories); it.hasNext();)
        files << QDir(root).relativeFilePath(it.next());
    return files;
}

}  // namespace

class TestHubFailures : public HubTestCase {
    Q_OBJECT

    // A failed run: its kind, its message (with `expected` in it), and no file of the checkpoint left half-written.
    void expectFailure(const DownloadRun& run, ErrorKind kind, const QString& expected) {
        QCOMPARE(run.state, ModelDownload::State::Failed);
        QVERIFY(run.error.has_value());
        QCOMPARE(int(run.error->kind), int(kind));
        QVERIFY2(run.error->message.contains(expected), qPrintable(run.error->message));
        QVERIFY(!run.error->message.contains(u'\n'));
    }

  private slots:
    void initTestCase() { QVERIFY(isolate()); }
    void init() { startHub(); }
    void cleanup() { stopHub(); }

    void gatedWithoutToken() {
        hub::DownloadOptions o = options();
        o.token.clear();
        const DownloadRun run = runDownload(o);
        const QString page = m_hub->endpoint().toString() + u'/' + kDemoRepo;
        expectFailure(run, ErrorKind::Gated,
                      QStringLiteral("This model is gated. Accept its licence at %1 and enter a Hugging Face access "
                                     "token.")
                          .arg(page));
        QVERIFY(storageRequests(*m_hub).isEmpty());
    }

    void gatedWithTokenWithoutAccess() {
        hub::DownloadOptions o = options();
        o.token = QStringLiteral("hf_someone_else");
        expectFailure(runDownload(o), ErrorKind::NoAccess,
                      QStringLiteral("Your token does not have access yet: accept the licence at %1")
                          .arg(m_hub->endpoint().toString() + u'/' + kDemoRepo));
    }

    void noSuchRepoRevisionOrFile() {
        hub::DownloadOptions o = options();
        o.repo = QStringLiteral("google/no-such-model");
        expectFailure(runDownload(o), ErrorKind::NotFound, QStringLiteral("There is no model google/no-such-model"));
        o = options();
        o.revision = QStringLiteral("v9");
        expectFailure(runDownload(o), ErrorKind::NotFound, QStringLiteral("has no revision v9"));
        // A repo without tokenizer.model is not a checkpoint.
        FakeRepo repo = demoRepo();
        repo.files.remove(QStringLiteral("tokenizer.model"));
        m_hub->addRepo(QStringLiteral("someone/partial"), repo);
        o = options();
        o.repo = QStringLiteral("someone/partial");
        expectFailure(runDownload(o), ErrorKind::NotACheckpoint, QStringLiteral("it has no tokenizer.model"));
    }

    void endpointThatIsNotAUrl() {
        hub::DownloadOptions o = options();
        o.endpoint = QUrl(QStringLiteral("ftp://mirror"));
        const DownloadRun run = runDownload(o);
        expectFailure(run, ErrorKind::Network,
                      QStringLiteral("The Hub's address \"ftp://mirror\" is not an http(s) URL"));
        QVERIFY(m_hub->requests().isEmpty());
    }

    void serverErrorIsRetried() {
        m_hub->setFault(QStringLiteral("config.json"), Fault::ServerErrorOnce);
        const DownloadRun run = runDownload(options());
        QVERIFY2(!run.error, run.error ? qPrintable(run.error->message) : "");
        QVERIFY2(run.notices.join(u'\n').contains(QLatin1String("HTTP status 503; attempt 2 of 3")),
                 qPrintable(run.notices.join(u'\n')));
        QCOMPARE(readAll(run.snapshot + "/config.json"), m_demo["config.json"]);
    }

    // Nobody listens: a bounded number of tries with backoff, then the network message.
    void unreachableHostGivesUp() {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        hub::DownloadOptions o = options();
        o.endpoint = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
        const DownloadRun run = runDownload(o);
        expectFailure(run, ErrorKind::Network, QStringLiteral("Connection refused"));
        QCOMPARE(run.notices.size(), 2);  // "attempt 2 of 3", "attempt 3 of 3"
    }

    // The tree says 1 PB: refused before a single file is asked for.
    void checkpointLargerThanTheDisk() {
        FakeRepo repo = demoRepo();
        repo.listedSizes.insert(kWeights, qint64(1) << 50);
        m_hub->addRepo(kDemoRepo, repo);
        const DownloadRun run = runDownload(options());
        expectFailure(run, ErrorKind::NotEnoughSpace, QStringLiteral("Not enough free space in"));
        QVERIFY(run.error->message.contains(QLatin1String("1.1 PB")));
        for (const SeenRequest& request : m_hub->requests()) QVERIFY(request.path.contains(QLatin1String("/tree/")));
    }

    void corruptedBlobIsRefused() {
        m_hub->setFault(kWeights, Fault::Corrupt);
        const DownloadRun run = runDownload(options());
        expectFailure(run, ErrorKind::Corrupt, QStringLiteral("model.safetensors arrived damaged"));
        const hub::RepoCache cache(m_cache->path(), kDemoRepo);
        const QString sha = FakeHub::sha256(m_demo[kWeights]);
        QVERIFY(!cache.hasBlob(sha));
        QVERIFY(!QFileInfo::exists(cache.incompletePath(sha)));
        QVERIFY(!QFileInfo::exists(cache.snapshotPath(kDemoCommit, kWeights)));
        QVERIFY(!QFileInfo(cache.snapshotPath(kDemoCommit, kWeights)).isSymLink());
        // What came before it is in place; refs/ is written only for a whole checkpoint.
        QCOMPARE(readAll(cache.snapshotPath(kDemoCommit, QStringLiteral("config.json"))), m_demo["config.json"]);
        QVERIFY(!cache.readRef(QStringLiteral("main")));
    }

    void hostileHeadersWriteNothingOutsideTheCache_data() {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("commit") << QByteArray("X-Repo-Commit") << QByteArray("../../../../escaped");
        QTest::newRow("etag") << QByteArray("ETag") << QByteArray("\"../../../../escaped\"");
        QTest::newRow("size") << QByteArray("X-Linked-Size") << QByteArray("-3");
    }
    void hostileHeadersWriteNothingOutsideTheCache() {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, value);
        QTemporaryDir root;
        const QString cacheDir = root.path() + "/a/b/c/d/cache";
        m_hub->setResolveHeaders({{name, value}});
        hub::DownloadOptions o = options();
        o.cacheDir = cacheDir;
        const DownloadRun run = runDownload(o);
        expectFailure(run, ErrorKind::BadAnswer, QStringLiteral("127.0.0.1 sent an answer that cannot be used"));
        for (const QString& file : filesUnder(root.path()))
            QVERIFY2(file.startsWith(QLatin1String("a/b/c/d/cache/")), qPrintable(file));
    }

    // A server whose certificate nobody vouches for: refused, said so, not retried, nothing fetched.
    void tlsIsVerified() {
        if (!QSslSocket::supportsSsl()) QSKIP("Qt has no TLS backend here (libqopensslbackend)");
        QFile certificateFile(QStringLiteral(RC_TEST_DATA_DIR "/tls/cert.pem"));
        QFile keyFile(QStringLiteral(RC_TEST_DATA_DIR "/tls/key.pem"));
        QVERIFY(certificateFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setLocalCertificate(QSslCertificate(certificateFile.readAll()));
        configuration.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
        QSslServer server;
        server.setSslConfiguration(configuration);
        QSignalSpy handshakes(&server, &QSslServer::startedEncryptionHandshake);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        hub::DownloadOptions o = options();
        o.endpoint = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(server.serverPort()));
        const DownloadRun run = runDownload(o);
        expectFailure(run, ErrorKind::Tls, QStringLiteral("The secure connection to 127.0.0.1 could not be verified"));
        QCOMPARE(handshakes.size(), 1);
        QVERIFY(run.notices.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHubFailures)
#include "test_hub_failures.moc"
