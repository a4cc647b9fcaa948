// test_hub_cache — the Hugging Face cache on real files: relative snapshot symlinks replaced atomically, refs, the
// blob locks huggingface_hub also takes, and the listing of the checkpoints a cache holds, whoever made it (a
// huggingface-cli-style cache written by hand, a cache without symlinks, an unfinished download, other models, a
// hostile config.json), with the sizes, dtype and state size the engine reports for the same folders.
#include <unistd.h>

#include <QTemporaryDir>
#include <QtTest>

#include "cached_models.h"
#include "hf_cache_maker.h"
#include "hub_cache.h"
#include "rgemma/config.h"
#include "rgemma/dtype.h"
#include "rgemma/model.h"
#include "rgemma/state.h"

using namespace hub;
using rctest::FakeHub;

namespace {

const QString kCommit = QStringLiteral("1111111111111111111111111111111111111111");
const QString kRepo = QStringLiteral("google/recurrentgemma-2b");

QString readLink(const QString& path) {
    char buffer[4096];
    const ssize_t length = ::readlink(QFile::encodeName(path).constData(), buffer, sizeof buffer);
    return length < 0 ? QString() : QFile::decodeName(QByteArray(buffer, int(length)));
}

bool writeFile(const QString& path, const QByteArray& content) {
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

std::unique_ptr<rgemma::Model> loadModel(const QString& dir) {
    auto model = rgemma::Model::load(std::filesystem::path(QFile::encodeName(dir).toStdString()));
    return model ? std::move(*model) : nullptr;
}

}  // namespace

class TestHubCache : public QObject {
    Q_OBJECT

    QMap<QString, QByteArray> m_demo = rctest::demoModelFiles();

  private slots:
    void initTestCase() { QCOMPARE(m_demo.size(), 3); }

    void snapshotLinksAreRelative() {
        QTemporaryDir dir;
        const RepoCache cache(dir.path(), kRepo);
        const QString etag = FakeHub::gitOid("one");
        QVERIFY(writeFile(cache.blobPath(etag), "one"));
        QVERIFY(cache.link(kCommit, QStringLiteral("config.json"), etag).has_value());
        QCOMPARE(readLink(cache.snapshotPath(kCommit, QStringLiteral("config.json"))), "../../blobs/" + etag);
        QVERIFY(cache.snapshotHas(kCommit, QStringLiteral("config.json"), etag, 3));
        QVERIFY(cache.link(kCommit, QStringLiteral("a/b/c.txt"), etag).has_value());
        QCOMPARE(readLink(cache.snapshotPath(kCommit, QStringLiteral("a/b/c.txt"))), "../../../../blobs/" + etag);

        // Relinking to another blob replaces the link in one rename; nothing else is left in the folder.
        const QString other = FakeHub::gitOid("two");
        QVERIFY(writeFile(cache.blobPath(other), "two"));
        QVERIFY(cache.link(kCommit, QStringLiteral("config.json"), other).has_value());
        QCOMPARE(readLink(cache.snapshotPath(kCommit, QStringLiteral("config.json"))), "../../blobs/" + other);
        QVERIFY(!cache.snapshotHas(kCommit, QStringLiteral("config.json"), etag, 3));
        QCOMPARE(QDir(cache.snapshotDir(kCommit)).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System),
                 QStringList({QStringLiteral("a"), QStringLiteral("config.json")}));

        // A link to a blob that is gone does not count.
        QVERIFY(QFile::remove(cache.blobPath(other)));
        QVERIFY(!cache.snapshotHas(kCommit, QStringLiteral("config.json"), other, 3));
    }

    void refs() {
        QTemporaryDir dir;
        const RepoCache cache(dir.path(), kRepo);
        QVERIFY(!cache.readRef(QStringLiteral("main")));
        QVERIFY(cache.writeRef(QStringLiteral("main"), kCommit).has_value());
        QCOMPARE(cache.readRef(QStringLiteral("main")), std::optional<QString>(kCommit));
        QFile ref(cache.refPath(QStringLiteral("main")));
        QVERIFY(ref.open(QIODevice::ReadOnly));
        QCOMPARE(ref.readAll(), kCommit.toLatin1());  // no newline, as huggingface_hub writes it
        QVERIFY(cache.writeRef(QStringLiteral("refs/pr/1"), kCommit).has_value());
        QVERIFY(QFileInfo(dir.path() + "/models--google--recurrentgemma-2b/refs/refs/pr/1").isFile());
    }

    // flock(2) on .locks/<repo>/<etag>.lock: what huggingface_hub's FileLock takes, so two programs (or two downloads
    // in this one) never write one blob together.
    void blobLocksExclude() {
        QTemporaryDir dir;
        const RepoCache cache(dir.path(), kRepo);
        const QString path = cache.lockPath(FakeHub::sha256("x"));
        QString error;
        BlobLock first;
        BlobLock second;
        QCOMPARE(first.tryLock(path, &error), BlobLock::Outcome::Acquired);
        QVERIFY(QFileInfo(path).isFile());
        QCOMPARE(second.tryLock(path, &error), BlobLock::Outcome::Busy);
        first.unlock();
        QCOMPARE(second.tryLock(path, &error), BlobLock::Outcome::Acquired);
        BlobLock moved(std::move(second));
        QVERIFY(moved.isLocked() && !second.isLocked());
        QCOMPARE(first.tryLock(path, &error), BlobLock::Outcome::Busy);
        QCOMPARE(BlobLock().tryLock(QStringLiteral("/proc/no/such/dir/x.lock"), &error), BlobLock::Outcome::Failed);
        QVERIFY(!error.isEmpty());
    }

    // A cache as huggingface-cli leaves it is listed with what the engine itself reports for the folder.
    void handMadeCacheIsListed() {
        QTemporaryDir dir;
        const QString snapshot =
            rctest::makeHfCache(dir.path(), kRepo, kCommit, m_demo, {QStringLiteral("model.safetensors")});
        QVERIFY(!snapshot.isEmpty());
        const auto model = loadModel(snapshot);
        QVERIFY(model);
        const QList<CachedModel> models = listCachedModels(dir.path());
        QCOMPARE(models.size(), 1);
        const CachedModel& found = models.first();
        QCOMPARE(found.repo, kRepo);
        QCOMPARE(found.commit, kCommit);
        QCOMPARE(found.refs, QStringList{QStringLiteral("main")});
        QCOMPARE(found.snapshotDir, snapshot);
        QVERIFY2(found.usable(), qPrintable(found.problem + found.missing.join(u',')));
        QCOMPARE(found.dtype, QString::fromLatin1(rgemma::dtypeName(model->info().dtype)));
        QCOMPARE(found.stateBytes, qint64(model->info().stateBytes));
        qint64 size = 0;
        for (const QByteArray& content : std::as_const(m_demo)) size += content.size();
        QCOMPARE(found.sizeBytes, size);
        QCOMPARE(found.partialBytes, 0);
    }

    // Where symlinks are off, huggingface_hub puts the files themselves in snapshots/.
    void snapshotOfPlainFilesIsListed() {
        QTemporaryDir dir;
        const QString snapshot = dir.path() + "/models--someone--demo/snapshots/" + kCommit;
        for (auto it = m_demo.begin(); it != m_demo.end(); ++it)
            QVERIFY(writeFile(snapshot + u'/' + it.key(), it.value()));
        const auto models = listCachedModels(dir.path());
        QCOMPARE(models.size(), 1);
        QCOMPARE(models.first().repo, QStringLiteral("someone/demo"));
        QVERIFY(models.first().usable());
        QVERIFY(models.first().refs.isEmpty());
    }

    void unfinishedAndBrokenCheckpoints() {
        QTemporaryDir dir;
        // An unfinished download: config.json in place, a partial blob, the rest missing.
        const QString unfinished = rctest::makeHfCache(dir.path(), QStringLiteral("a/unfinished"), kCommit,
                                                       {{QStringLiteral("config.json"), m_demo["config.json"]}}, {});
        QVERIFY(writeFile(dir.path() + "/models--a--unfinished/blobs/" + FakeHub::sha256("x") + ".incomplete",
                          QByteArray(1234, 'x')));
        // Weights that do not open.
        QMap<QString, QByteArray> broken = m_demo;
        broken["model.safetensors"] = m_demo["model.safetensors"].left(5000);
        QVERIFY(!rctest::makeHfCache(dir.path(), QStringLiteral("b/broken"), kCommit, broken, {}).isEmpty());
        // Shards named by an index, one of them missing.
        QMap<QString, QByteArray> sharded{
            {QStringLiteral("config.json"), m_demo["config.json"]},
            {QStringLiteral("tokenizer.model"), m_demo["tokenizer.model"]},
            {QStringLiteral("model.safetensors.index.json"), R"({"weight_map":{"a":"model-00001-of-00002.safetensors",)"
                                                             R"("b":"model-00002-of-00002.safetensors"}})"},
            {QStringLiteral("model-00001-of-00002.safetensors"), "x"}};
        QVERIFY(!rctest::makeHfCache(dir.path(), QStringLiteral("c/sharded"), kCommit, sharded, {}).isEmpty());

        const auto models = listCachedModels(dir.path());
        QCOMPARE(models.size(), 3);
        QCOMPARE(models[0].repo, QStringLiteral("a/unfinished"));
        QCOMPARE(models[0].snapshotDir, unfinished);
        QCOMPARE(models[0].missing,
                 QStringList({QStringLiteral("tokenizer.model"), QStringLiteral("model.safetensors")}));
        QCOMPARE(models[0].partialBytes, 1234);
        QVERIFY(models[0].stateBytes > 0 && models[0].dtype.isEmpty() && !models[0].usable());
        QCOMPARE(models[1].repo, QStringLiteral("b/broken"));
        QVERIFY(models[1].missing.isEmpty());
        QVERIFY2(models[1].problem.contains(QLatin1String("model.safetensors")), qPrintable(models[1].problem));
        QVERIFY(!models[1].usable());
        QCOMPARE(models[2].missing, QStringList{QStringLiteral("model-00002-of-00002.safetensors")});
    }

    // Other models in the cache (any architecture but RecurrentGemma), datasets and stray folders are not listed;
    // a cache that does not exist lists nothing.
    void onlyRecurrentGemmaIsListed() {
        QTemporaryDir dir;
        QVERIFY(!rctest::makeHfCache(dir.path(), QStringLiteral("meta/llama"), kCommit,
                                     {{QStringLiteral("config.json"), R"({"model_type":"llama"})"}}, {})
                     .isEmpty());
        QVERIFY(!rctest::makeHfCache(dir.path(), QStringLiteral("x/garbage"), kCommit,
                                     {{QStringLiteral("config.json"), QByteArray("\0\xff{", 3)}}, {})
                     .isEmpty());
        QVERIFY(QDir().mkpath(dir.path() + "/datasets--a--b/snapshots/" + kCommit));
        QVERIFY(QDir().mkpath(dir.path() + "/.locks/models--a--b"));
        QVERIFY(listCachedModels(dir.path()).isEmpty());
        QVERIFY(listCachedModels(dir.path() + "/no/such/cache").isEmpty());
    }

    // A config.json that asks for a state of terabytes is described, not allocated.
    void hostileConfigIsNotAllocated() {
        QTemporaryDir dir;
        QByteArray config = m_demo["config.json"];
        config.replace("\"attention_window_size\": 64", "\"attention_window_size\": 65536");
        config.replace("\"head_dim\": 48", "\"head_dim\": 1048576");
        config.replace("\"hidden_size\": 192", "\"hidden_size\": 1048576");
        config.replace("\"lru_width\": 192", "\"lru_width\": 1048576");
        config.replace("\"num_attention_heads\": 4", "\"num_attention_heads\": 1");
        config.replace("\"intermediate_size\": 1152", "\"intermediate_size\": 2097152");
        const auto parsed = rgemma::parseModelConfig(config.toStdString(), "config.json");
        QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().message.c_str());
        QVERIFY(!rctest::makeHfCache(dir.path(), QStringLiteral("a/huge"), kCommit,
                                     {{QStringLiteral("config.json"), config}}, {})
                     .isEmpty());
        const auto models = listCachedModels(dir.path());
        QCOMPARE(models.size(), 1);
        QCOMPARE(models.first().stateBytes, qint64(rgemma::stateByteSize(*parsed)));
        QVERIFY(models.first().stateBytes > (qint64(1) << 40));
    }

    // The engine's count without allocating equals the allocated state's size.
    void stateSizeWithoutAllocating() {
        const auto config = rgemma::parseModelConfig(m_demo["config.json"].toStdString(), "config.json");
        QVERIFY(config.has_value());
        QCOMPARE(rgemma::stateByteSize(*config), rgemma::State(*config).byteSize());
    }
};

QTEST_GUILESS_MAIN(TestHubCache)
#include "test_hub_cache.moc"
