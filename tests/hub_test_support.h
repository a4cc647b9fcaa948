// hub_test_support.h — what the download tests share: an environment that never reaches the user's token, cache or
// proxy; the demo model as a gated repo on the fake Hub (with files a checkpoint does not need beside it); and a
// ModelDownload run to its end, with everything it reported.
#pragma once

#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "fake_hub.h"
#include "hf_cache_maker.h"
#include "model_download.h"

namespace rctest {

inline const QString kDemoRepo = QStringLiteral("google/recurrentgemma-2b");
inline const QString kDemoCommit = QStringLiteral("4c1b0f5e2a7d9c3b8e6f1a0d2c4b6e8f0a1c3e5d");
inline const QString kGrantedToken = QStringLiteral("hf_granted");

// No HF_TOKEN, token file, endpoint or proxy of the user's: HF_HOME in `home`, proxies off.
inline void isolateEnvironment(const QString& home) {
    for (const char* name : {"HF_TOKEN", "HF_TOKEN_PATH", "HF_ENDPOINT", "HF_HUB_CACHE", "http_proxy", "https_proxy",
                             "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
        qunsetenv(name);
    }
    qputenv("HF_HOME", home.toUtf8());
    qputenv("no_proxy", "127.0.0.1,localhost");
}

// The demo model, gated, its weights in LFS (served by the storage host), with a README, .gitattributes and a docs
// folder beside it that a checkpoint does not need.
inline FakeRepo demoRepo() {
    FakeRepo repo;
    repo.commit = kDemoCommit;
    repo.files = demoModelFiles();
    repo.files.insert(QStringLiteral("README.md"), "# A demo\n");
    repo.files.insert(QStringLiteral(".gitattributes"), "*.safetensors filter=lfs diff=lfs merge=lfs -text\n");
    repo.files.insert(QStringLiteral("docs/notes.md"), "notes\n");
    repo.lfs = {QStringLiteral("model.safetensors")};
    repo.gated = true;
    return repo;
}

struct DownloadRun {
    hub::ModelDownload::State state = hub::ModelDownload::State::Idle;
    QList<hub::ModelDownload::State> states;
    QString snapshot;
    std::optional<hub::HubError> error;
    QStringList notices;
    hub::CheckpointPlan plan;
    QList<hub::DownloadProgress> progress;
};

// Options against `hub` with the cache in `cacheDir`: fast retries, a short stall timeout, the granted token.
inline hub::DownloadOptions testOptions(const FakeHub& hub, const QString& cacheDir) {
    hub::DownloadOptions options;
    options.repo = kDemoRepo;
    options.endpoint = hub.endpoint();
    options.token = kGrantedToken;
    options.cacheDir = cacheDir;
    options.stallTimeoutMs = 3000;
    options.maxAttempts = 3;
    options.backoffMs = 10;
    options.backoffMaxMs = 40;
    return options;
}

// Connects `download` so `run` records what it reports; `stop` (if set) decides after each progress whether to
// end the wait early (for pause and cancel tests).
inline void record(hub::ModelDownload& download, DownloadRun& run, QEventLoop& loop) {
    QObject::connect(&download, &hub::ModelDownload::stateChanged, &loop,
                     [&run](hub::ModelDownload::State state) { run.states << state; });
    QObject::connect(&download, &hub::ModelDownload::planned, &loop,
                     [&run](const hub::CheckpointPlan& plan) { run.plan = plan; });
    QObject::connect(&download, &hub::ModelDownload::progress, &loop,
                     [&run](const hub::DownloadProgress& progress) { run.progress << progress; });
    QObject::connect(&download, &hub::ModelDownload::notice, &loop,
                     [&run](const QString& text) { run.notices << text; });
    QObject::connect(&download, &hub::ModelDownload::finished, &loop, [&run, &loop](const QString& snapshot) {
        run.snapshot = snapshot;
        loop.quit();
    });
    QObject::connect(&download, &hub::ModelDownload::failed, &loop, [&run, &loop](const hub::HubError& error) {
        run.error = error;
        loop.quit();
    });
}

// Runs a download of `options` to its end (at most `timeoutMs`).
inline DownloadRun runDownload(const hub::DownloadOptions& options, int timeoutMs = 60000) {
    DownloadRun run;
    QEventLoop loop;
    hub::ModelDownload download(options);
    record(download, run, loop);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    download.start();
    loop.exec();
    run.state = download.state();
    return run;
}

inline QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The base of the download test classes: an isolated environment, the demo model's files, and for each test
// function a fresh fake Hub (serving the demo repo) and a fresh cache.
class HubTestCase : public QObject {
  protected:
    QTemporaryDir m_home;  // HF_HOME
    QMap<QString, QByteArray> m_demo = demoModelFiles();
    std::unique_ptr<FakeHub> m_hub;
    std::unique_ptr<QTemporaryDir> m_cache;

    // For initTestCase.
    bool isolate() {
        isolateEnvironment(m_home.path());
        return m_home.isValid() && m_demo.size() == 3;
    }
    // For init and cleanup.
    void startHub() {
        m_hub = std::make_unique<FakeHub>();
        m_hub->addRepo(kDemoRepo, demoRepo());
        m_hub->setGrantedToken(kGrantedToken);
        m_cache = std::make_unique<QTemporaryDir>();
    }
    void stopHub() {
        m_hub.reset();
        m_cache.reset();
    }

    hub::DownloadOptions options() const { return testOptions(*m_hub, m_cache->path()); }
    // Whether `snapshotDir` holds the demo model's files, byte for byte (a QVERIFY failure names the file).
    void compareWithDemo(const QString& snapshotDir) {
        for (auto it = m_demo.begin(); it != m_demo.end(); ++it) {
            QVERIFY2(readAll(snapshotDir + u'/' + it.key()) == it.value(), qPrintable(it.key()));
        }
    }
};

// The requests the storage host saw (listener 1).
inline QList<SeenRequest> storageRequests(const FakeHub& hub) {
    QList<SeenRequest> seen;
    for (const SeenRequest& request : hub.requests()) {
        if (request.listener == 1) seen << request;
    }
    return seen;
}

inline qint64 contentBytesServed(const FakeHub& hub) {
    qint64 bytes = 0;
    for (const SeenRequest& request : hub.requests()) bytes += request.contentBytes;
    return bytes;
}

}  // namespace rctest
