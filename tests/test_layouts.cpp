// test_layouts.cpp — the same golden model stored in other layouts users will meet: sharded with an index
// (identical logits), F16 weights (logits within f16 rounding, same greedy tokens), and a config with the
// optional keys removed (head_dim, lru_width, embeddings_scale_by_sqrt_dim: same numbers).
// The engine's internal headers include oneTBB, which must come before Qt defines its `emit` macro.
#include "io/dtype_convert.h"
#include "io/weight_store.h"
#include "rgemma/generate.h"
#include "rgemma/model.h"

// Qt after oneTBB.
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <cmath>

#include "golden_case.h"
#include "safetensors_writer.h"

using namespace rgemma;
using namespace rctest;

namespace {

std::vector<float> lastLogits(const QString& dir, const std::vector<int>& ids) {
    auto model = Model::load(dir.toStdString());
    if (!model) qFatal("%s: %s", qPrintable(dir), model.error().message.c_str());
    Runtime runtime(1);
    State state = (*model)->newState();
    std::vector<float> logits;
    const std::vector<TokenId> tokens(ids.begin(), ids.end());
    if (!(*model)->forward(runtime, state, tokens, LogitsMode::Last, logits)) qFatal("forward failed");
    return logits;
}

std::vector<TokenId> greedy(const QString& dir, const std::vector<int>& ids, int count) {
    auto model = Model::load(dir.toStdString());
    if (!model) qFatal("%s: %s", qPrintable(dir), model.error().message.c_str());
    Runtime runtime(1);
    State state = (*model)->newState();
    SamplerSettings settings;
    settings.greedy = true;
    Sampler sampler(settings);
    GenerateOptions options;
    options.maxNewTokens = count;
    options.stopAtEndOfTurn = false;
    auto result = generate(**model, runtime, state, std::vector<TokenId>(ids.begin(), ids.end()), sampler, options);
    if (!result) qFatal("generate failed");
    return result->tokens;
}

float maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
    float worst = a.size() == b.size() ? 0.0f : INFINITY;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) worst = std::max(worst, std::fabs(a[i] - b[i]));
    return worst;
}

std::vector<TensorBlob> blobsOf(const QString& dir) {
    auto store = WeightStore::open(dir.toStdString());
    if (!store) qFatal("%s", store.error().message.c_str());
    std::vector<TensorBlob> blobs;
    for (const TensorView* view : store->tensors()) blobs.push_back(blobOf(*view));
    return blobs;
}

void copyFile(const QString& from, const QString& to) {
    QFile::remove(to);
    if (!QFile::copy(from, to)) qFatal("cannot copy %s", qPrintable(from));
}

}  // namespace

class TestLayouts : public QObject {
    Q_OBJECT

  private slots:
    void shardedEqualsSingleFile() {
        const GoldenCase golden = loadGoldenCase("2b-shape-bf16");
        QTemporaryDir dir;
        const std::vector<TensorBlob> blobs = blobsOf(golden.directory);
        // Three shards, tensors dealt round-robin, with the standard index file.
        std::vector<std::vector<TensorBlob>> shards(3);
        QJsonObject weightMap;
        for (std::size_t i = 0; i < blobs.size(); ++i) {
            const QString shard = QString("model-%1-of-00003.safetensors").arg(i % 3 + 1, 5, 10, QChar('0'));
            shards[i % 3].push_back(blobs[i]);
            weightMap[QString::fromStdString(blobs[i].name)] = shard;
        }
        for (int s = 0; s < 3; ++s) {
            const QString shard = QString("model-%1-of-00003.safetensors").arg(s + 1, 5, 10, QChar('0'));
            QVERIFY(writeFile(dir.filePath(shard), serializeSafetensors(shards[s])));
        }
        const QJsonObject index{{"metadata", QJsonObject{{"total_size", 0}}}, {"weight_map", weightMap}};
        QVERIFY(writeFile(dir.filePath("model.safetensors.index.json"), QJsonDocument(index).toJson()));
        copyFile(golden.directory + "/config.json", dir.filePath("config.json"));
        copyFile(golden.directory + "/tokenizer.model", dir.filePath("tokenizer.model"));

        QCOMPARE(lastLogits(dir.path(), golden.promptIds), lastLogits(golden.directory, golden.promptIds));
    }

    void f16WeightsStayClose() {
        const GoldenCase golden = loadGoldenCase("tiny-f32");
        QTemporaryDir dir;
        QVERIFY(writeF16Copy(golden.directory, dir.path()));

        const float diff = maxAbsDiff(lastLogits(dir.path(), golden.promptIds), golden.prefillLogits.back());
        QVERIFY2(diff < 0.2f, qPrintable(QString("max |diff| %1").arg(diff)));  // f16 rounding of every weight
        const auto tokens = greedy(dir.path(), golden.promptIds, 10);
        QCOMPARE(std::vector<int>(tokens.begin(), tokens.end()),
                 std::vector<int>(golden.greedyTokens.begin(), golden.greedyTokens.begin() + 10));
    }

    void optionalConfigKeysHaveTheirDefaults() {
        const GoldenCase golden = loadGoldenCase("tiny-f32");
        QTemporaryDir dir;
        QJsonObject config = QJsonDocument::fromJson(readAll(golden.directory + "/config.json")).object();
        for (const char* key : {"head_dim", "lru_width", "embeddings_scale_by_sqrt_dim", "conv1d_width",
                                "partial_rotary_factor", "rope_theta", "rms_norm_eps", "num_key_value_heads"}) {
            config.remove(key);
        }
        config["lru_width"] = QJsonValue::Null;
        QVERIFY(writeFile(dir.filePath("config.json"), QJsonDocument(config).toJson()));
        copyFile(golden.directory + "/model.safetensors", dir.filePath("model.safetensors"));
        QCOMPARE(lastLogits(dir.path(), golden.promptIds), lastLogits(golden.directory, golden.promptIds));
    }
};

QTEST_GUILESS_MAIN(TestLayouts)
#include "test_layouts.moc"
