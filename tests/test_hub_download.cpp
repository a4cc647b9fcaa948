// test_hub_download — the download library (ModelDownload on its thread) against the fake Hub on loopback: the
// demo model arrives byte-identical in the Hugging Face layout and loads; paging; the token reaches the Hub but
// never the storage host; a second run fetches nothing; a dropped or stalled connection, a 200 or a 416 to a Range
// request, a partial file from an earlier run (intact or damaged) all end in the right file with the Range requests
// the server saw; pause, resume, cancel, a restart mid-file, and another program holding the blob's lock.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "hub_cache.h"
#include "hub_test_support.h"
#include "rgemma/model.h"

using namespace rctest;
using hub::ModelDownload;

namespace {

const QString kWeights = QStringLiteral("model.safetensors");

// The Range requests the storage host saw for the weights, as their start offsets (0: no Range).
QList<qint64> weightRequestOffsets(const FakeHub& fake) {
    QList<qint64> offsets;
    for (const SeenRequest& request : storageRequests(fake)) {
        if (request.method != "GET") continue;
        const QByteArray range = request.headers.value("range");
        offsets << (range.startsWith("bytes=") ? range.mid(6, range.indexOf('-') - 6).toLongLong() : 0);
    }
    return offsets;
}

}  // namespace

class TestHubDownload : public HubTestCase {
    Q_OBJECT

    hub::RepoCache repoCache() const { return hub::RepoCache(m_cache->path(), kDemoRepo); }
    const QString m_weightsSha = FakeHub::sha256(m_demo[kWeights]);
    QString weightsPartial() const { return repoCache().incompletePath(m_weightsSha); }

    void verifySnapshot(const DownloadRun& run) {
        QVERIFY2(!run.error, run.error ? qPrintable(run.error->message) : "");
        QCOMPARE(run.state, ModelDownload::State::Finished);
        QCOMPARE(run.snapshot, repoCache().snapshotDir(kDemoCommit));
        compareWithDemo(run.snapshot);
        QVERIFY(!QFileInfo::exists(weightsPartial()));
    }

    // A partial file of the weights as an earlier run (or another tool) left it.
    void writePartial(const QByteArray& content) {
        QVERIFY(QDir().mkpath(QFileInfo(weightsPartial()).path()));
        QFile partial(weightsPartial());
        QVERIFY(partial.open(QIODevice::WriteOnly) && partial.write(content) == content.size());
    }

  private slots:
    void initTestCase() { QVERIFY(isolate()); }
    void init() { startHub(); }
    void cleanup() { stopHub(); }

    void downloadsTheDemoModel() {
        const DownloadRun run = runDownload(options());
        verifySnapshot(run);
        QCOMPARE(run.states,
                 QList<ModelDownload::State>({ModelDownload::State::Listing, ModelDownload::State::Downloading,
                                              ModelDownload::State::Finished}));

        // The Hugging Face layout: blobs named by etag, relative links, refs/main.
        const hub::RepoCache cache = repoCache();
        QVERIFY(cache.hasBlob(m_weightsSha));
        QVERIFY(cache.hasBlob(FakeHub::gitOid(m_demo["config.json"])));
        QCOMPARE(QFileInfo(run.snapshot + "/model.safetensors").symLinkTarget(), cache.blobPath(m_weightsSha));
        QCOMPARE(cache.readRef(QStringLiteral("main")), std::optional<QString>(kDemoCommit));
        QVERIFY(!QFileInfo::exists(run.snapshot + "/README.md"));  // only what a checkpoint needs
        QVERIFY(QFileInfo(m_cache->path() + "/.locks/models--google--recurrentgemma-2b").isDir());

        // The plan and the last progress report add up.
        QCOMPARE(run.plan.files.size(), 3);
        QCOMPARE(run.plan.files.first().path, QStringLiteral("config.json"));
        qint64 total = 0;
        for (const QByteArray& content : std::as_const(m_demo)) total += content.size();
        QCOMPARE(run.plan.totalBytes, total);
        QCOMPARE(run.plan.bytesToFetch, total);
        QVERIFY(!run.progress.isEmpty());
        QCOMPARE(run.progress.last().bytesDone, total);
        QCOMPARE(run.progress.last().filesDone, 3);

        // The file list came in pages; the token reached the Hub and never the storage host.
        int treePages = 0;
        bool tokenAtHub = false;
        for (const SeenRequest& request : m_hub->requests()) {
            if (request.path.contains(QLatin1String("/tree/"))) ++treePages;
            if (request.listener == 0 && request.headers.value("authorization") == "Bearer " + kGrantedToken.toLatin1())
                tokenAtHub = true;
            QVERIFY(!request.path.contains(QLatin1String("README")));
        }
        QVERIFY2(treePages >= 3, qPrintable(QString::number(treePages)));
        QVERIFY(tokenAtHub);
        const auto storage = storageRequests(*m_hub);
        QCOMPARE(storage.size(), 1);
        QVERIFY(!storage.first().headers.contains("authorization"));

        // It loads as a model.
        auto model = rgemma::Model::load(std::filesystem::path(QFile::encodeName(run.snapshot).toStdString()));
        QVERIFY2(model.has_value(), model ? "" : model.error().message.c_str());
    }

    void secondRunFetchesNothing() {
        verifySnapshot(runDownload(options()));
        m_hub->clearRequests();
        const DownloadRun second = runDownload(options());
        verifySnapshot(second);
        QCOMPARE(contentBytesServed(*m_hub), 0);
        QVERIFY(storageRequests(*m_hub).isEmpty());
        for (const SeenRequest& request : m_hub->requests())
            QVERIFY(request.method != "GET" || request.path.contains("/tree/"));
        QCOMPARE(second.plan.bytesToFetch, 0);
    }

    void planOnlyFetchesNothing() {
        ModelDownload download(options());
        QSignalSpy planned(&download, &ModelDownload::planned);
        download.fetchPlan();
        QVERIFY(planned.wait(20000));
        QTRY_COMPARE(download.state(), ModelDownload::State::Idle);
        QCOMPARE(download.plan().files.size(), 3);
        for (const SeenRequest& request : m_hub->requests()) QVERIFY(request.path.contains(QLatin1String("/tree/")));
        QVERIFY(!QFileInfo::exists(m_cache->path() + "/models--google--recurrentgemma-2b/snapshots"));
    }

    void droppedConnectionIsResumed() {
        m_hub->setFault(kWeights, Fault::DropHalfwayOnce);
        const DownloadRun run = runDownload(options());
        verifySnapshot(run);
        const QList<qint64> offsets = weightRequestOffsets(*m_hub);
        QCOMPARE(offsets.size(), 2);
        QCOMPARE(offsets[0], 0);
        QCOMPARE(offsets[1], m_demo[kWeights].size() / 2);  // exactly what arrived before the connection closed
        QVERIFY(!run.notices.isEmpty());
    }

    void stalledConnectionIsResumed() {
        m_hub->setFault(kWeights, Fault::StallOnce);
        hub::DownloadOptions o = options();
        o.stallTimeoutMs = 1000;  // short, yet long enough for a busy machine's answers
        const DownloadRun run = runDownload(o);
        verifySnapshot(run);
        const QList<qint64> offsets = weightRequestOffsets(*m_hub);
        QCOMPARE(offsets.size(), 2);
        QVERIFY(offsets[1] > 0);
        QVERIFY2(run.notices.join(u'\n').contains(QLatin1String("sent no data for 1 s")),
                 qPrintable(run.notices.join(u'\n')));
    }

    // A partial file from an earlier run is continued from its size, with no byte fetched twice.
    void partialFromAnEarlierRunIsContinued() {
        const qint64 kept = 1000003;
        writePartial(m_demo[kWeights].left(kept));
        const DownloadRun run = runDownload(options());
        verifySnapshot(run);
        QCOMPARE(weightRequestOffsets(*m_hub), QList<qint64>{kept});
        QCOMPARE(storageRequests(*m_hub).first().contentBytes, m_demo[kWeights].size() - kept);
        QCOMPARE(run.plan.files.last().path, kWeights);
        QCOMPARE(run.plan.files.last().cachedBytes, kept);
    }

    void serverThatIgnoresRangesRestartsTheFile() {
        writePartial(m_demo[kWeights].left(5000));
        m_hub->setFault(kWeights, Fault::IgnoreRange);
        const DownloadRun run = runDownload(options());
        verifySnapshot(run);
        const auto storage = storageRequests(*m_hub);
        QCOMPARE(storage.size(), 1);
        QCOMPARE(storage.first().headers.value("range"), QByteArray("bytes=5000-"));
        QCOMPARE(storage.first().status, 200);
        QVERIFY(run.notices.join(u'\n').contains(QLatin1String("again from the start")));
    }

    void unsatisfiableRangeRestartsTheFile() {
        writePartial(m_demo[kWeights].left(5000));
        m_hub->setFault(kWeights, Fault::RangeNotSatisfiableOnce);
        verifySnapshot(runDownload(options()));
        const auto storage = storageRequests(*m_hub);
        QCOMPARE(storage.size(), 2);
        QCOMPARE(storage[0].status, 416);
        QVERIFY(!storage[1].headers.contains("range"));
        QCOMPARE(storage[1].status, 200);
    }

    // A damaged partial file fails the checksum once resumed: the file is fetched once more from zero.
    void damagedPartialIsFetchedAgain() {
        writePartial(QByteArray(5000, 'x'));
        verifySnapshot(runDownload(options()));
        QCOMPARE(weightRequestOffsets(*m_hub), QList<qint64>({5000, 0}));
    }

    void pauseResumeAndCancel() {
        m_hub->setFault(kWeights, Fault::Slow);
        DownloadRun run;
        QEventLoop loop;
        ModelDownload download(options());
        record(download, run, loop);
        bool paused = false;
        connect(&download, &ModelDownload::progress, &loop, [&](const hub::DownloadProgress& progress) {
            if (paused || progress.file != kWeights || QFileInfo(weightsPartial()).size() == 0) return;
            paused = true;
            download.pause();
        });
        connect(&download, &ModelDownload::stateChanged, &loop, [&](ModelDownload::State state) {
            if (state == ModelDownload::State::Paused) loop.quit();
        });
        download.start();
        QTimer::singleShot(30000, &loop, &QEventLoop::quit);
        loop.exec();
        QCOMPARE(download.state(), ModelDownload::State::Paused);
        QTest::qWait(200);  // nothing more arrives while paused
        const qint64 pausedAt = QFileInfo(weightsPartial()).size();
        QVERIFY(pausedAt > 0 && pausedAt < m_demo[kWeights].size());
        QTest::qWait(200);
        QCOMPARE(QFileInfo(weightsPartial()).size(), pausedAt);

        m_hub->setFault(kWeights, Fault::None);
        QSignalSpy finished(&download, &ModelDownload::finished);
        download.resume();
        QVERIFY(finished.wait(30000));
        run.snapshot = finished.first().first().toString();
        run.state = download.state();
        verifySnapshot(run);
        QCOMPARE(weightRequestOffsets(*m_hub).last(), pausedAt);

        // Cancel: the partial file of the current download goes, the complete files stay.
        m_cache = std::make_unique<QTemporaryDir>();
        m_hub->setFault(kWeights, Fault::Slow);
        ModelDownload second(options());
        QSignalSpy progress(&second, &ModelDownload::progress);
        second.start();
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(weightsPartial()).size() > 0, 30000);
        second.cancel();
        QCOMPARE(second.state(), ModelDownload::State::Cancelled);
        QTRY_VERIFY(!QFileInfo::exists(weightsPartial()));
        QVERIFY(!repoCache().hasBlob(m_weightsSha));
        QVERIFY(QFileInfo::exists(repoCache().snapshotPath(kDemoCommit, QStringLiteral("config.json"))));
    }

    // The program quits mid-file (the object is destroyed) and starts again: the partial file is continued.
    void restartContinuesThePartialFile() {
        m_hub->setFault(kWeights, Fault::Slow);
        {
            ModelDownload first(options());
            first.start();
            QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(weightsPartial()).size() > 100000, 30000);
        }
        const qint64 kept = QFileInfo(weightsPartial()).size();
        QVERIFY(kept > 0 && kept < m_demo[kWeights].size());
        m_hub->setFault(kWeights, Fault::None);
        verifySnapshot(runDownload(options()));
        QCOMPARE(weightRequestOffsets(*m_hub).last(), kept);
    }

    // huggingface_hub's lock on the blob: while another program holds it, the download waits and says so.
    void waitsForAnotherProgramsLock() {
        hub::BlobLock other;
        QString error;
        QCOMPARE(other.tryLock(repoCache().lockPath(m_weightsSha), &error), hub::BlobLock::Outcome::Acquired);
        ModelDownload download(options());
        QSignalSpy notices(&download, &ModelDownload::notice);
        QSignalSpy finished(&download, &ModelDownload::finished);
        download.start();
        QTRY_VERIFY_WITH_TIMEOUT(!notices.isEmpty(), 20000);
        QVERIFY(notices.first().first().toString().contains(QLatin1String("Another program")));
        QTest::qWait(300);
        QVERIFY(storageRequests(*m_hub).isEmpty());
        QCOMPARE(download.state(), ModelDownload::State::Downloading);
        other.unlock();
        QVERIFY(finished.wait(20000));
        QCOMPARE(readAll(finished.first().first().toString() + "/model.safetensors"), m_demo[kWeights]);
    }
};

QTEST_GUILESS_MAIN(TestHubDownload)
#include "test_hub_download.moc"
