// test_model_weights — binding checkpoint tensors to the model's roles: the golden folders bind, small vectors and
// the re-laid-out conv taps hold the stored values, and a config or checkpoint that does not match is rejected
// with the tensor named.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cstring>

#include "checkpoint/checkpoint_schema.h"
#include "checkpoint/model_weights.h"
#include "io/dtype_convert.h"
#include "io/weight_store.h"
#include "rgemma/config.h"
#include "safetensors_writer.h"

using namespace rgemma;
using rctest::TensorBlob;

namespace {

const QString kDataDir = QStringLiteral(RC_TEST_DATA_DIR);

QString folderPath(const QString& folder) { return kDataDir + "/" + folder; }

// Element i of a stored tensor as f32, whatever its dtype.
float element(const TensorView& view, int64_t i) {
    float value;
    convertToFloat(view.dtype, static_cast<const char*>(view.data) + i * static_cast<int64_t>(dtypeSize(view.dtype)),
                   &value, 1);
    return value;
}

std::vector<float> allOf(const TensorView& view) {
    std::vector<float> values(static_cast<std::size_t>(view.numel()));
    convertToFloat(view.dtype, view.data, values.data(), view.numel());
    return values;
}

// The golden tiny config with `key` set (or removed when `value` is undefined), parsed.
Result<ModelConfig> editedConfig(const QString& key, const QJsonValue& value) {
    QJsonObject config = QJsonDocument::fromJson(rctest::readAll(folderPath("tiny-f32") + "/config.json")).object();
    if (value.isUndefined()) {
        config.remove(key);
    } else {
        config[key] = value;
    }
    return parseModelConfig(QJsonDocument(config).toJson().toStdString(), "config.json");
}

// A copy of the tiny-f32 checkpoint folder with its tensors edited by `edit`.
template <class Edit>
bool writeEditedCheckpoint(const QString& dir, Edit edit) {
    auto file = SafetensorsFile::open((folderPath("tiny-f32") + "/model.safetensors").toStdString());
    if (!file) return false;
    std::vector<TensorBlob> blobs;
    for (const auto& view : file->tensors) blobs.push_back(rctest::blobOf(view));
    edit(blobs);
    return rctest::writeFile(dir + "/model.safetensors", rctest::serializeSafetensors(blobs)) &&
           QFile::copy(folderPath("tiny-f32") + "/config.json", dir + "/config.json");
}

Result<ModelWeights> bindFolder(const QString& dir, WeightStore* keep = nullptr) {
    auto config = loadModelConfig((dir + "/config.json").toStdString());
    if (!config) return tl::unexpected(config.error());
    auto store = WeightStore::open(dir.toStdString());
    if (!store) return tl::unexpected(store.error());
    auto weights = bindModelWeights(*config, *store);
    if (keep != nullptr) *keep = std::move(*store);
    return weights;
}

}  // namespace

class TestModelWeights : public QObject {
    Q_OBJECT

  private slots:
    void goldenBinds_data() {
        QTest::addColumn<QString>("folder");
        for (const char* folder : {"tiny-f32", "tiny-bf16", "2b-shape-bf16"}) QTest::newRow(folder) << folder;
    }

    void goldenBinds() {
        QFETCH(QString, folder);
        const auto config = loadModelConfig((folderPath(folder) + "/config.json").toStdString());
        QVERIFY(config);
        auto store = WeightStore::open(folderPath(folder).toStdString());
        QVERIFY(store);
        const auto weights = bindModelWeights(*config, *store);
        QVERIFY2(weights, weights ? "" : weights.error().message.c_str());

        const int64_t d = config->hiddenSize, lru = config->lruWidth;
        QCOMPARE(weights->embedTokens.shape, (std::vector<int64_t>{config->vocabSize, d}));
        QCOMPARE(weights->finalNorm, allOf(*store->find("model.final_norm.weight")));
        QCOMPARE(static_cast<int64_t>(weights->layers.size()), config->numLayers);
        for (int64_t i = 0; i < config->numLayers; ++i) {
            const LayerWeights& layer = weights->layers[static_cast<std::size_t>(i)];
            const std::string p = "model.layers." + std::to_string(i) + ".";
            QCOMPARE(layer.type, config->blocks[static_cast<std::size_t>(i)]);
            QCOMPARE(layer.temporalPreNorm, allOf(*store->find(p + "temporal_pre_norm.weight")));
            QCOMPARE(layer.channelPreNorm, allOf(*store->find(p + "channel_pre_norm.weight")));
            QCOMPARE(layer.mlp.gate.outFeatures(), config->mlpWidth);
            QCOMPARE(layer.mlp.down.inFeatures(), config->mlpWidth);
            QCOMPARE(layer.mlp.up.bias, allOf(*store->find(p + "mlp_block.up_proj.bias")));
            QCOMPARE(layer.mlp.down.weight.data, store->find(p + "mlp_block.down_proj.weight")->data);
            if (layer.type == BlockType::Recurrent) {
                const RecurrentWeights& r = layer.recurrent;
                QCOMPARE(r.linearX.outFeatures(), lru);
                QCOMPARE(r.linearOut.outFeatures(), d);
                QCOMPARE(r.linearY.bias, allOf(*store->find(p + "temporal_block.linear_y.bias")));
                QCOMPARE(r.recurrentParam, allOf(*store->find(p + "temporal_block.rg_lru.recurrent_param")));
                QCOMPARE(r.inputGateBias, allOf(*store->find(p + "temporal_block.rg_lru.input_gate_bias")));
                QCOMPARE(r.recurrentGateWeight.shape,
                         (std::vector<int64_t>{config->numHeads, lru / config->numHeads, lru / config->numHeads}));
                QCOMPARE(r.convWeight.size(), static_cast<std::size_t>(config->convWidth * lru));
                QCOMPARE(r.convBias.size(), static_cast<std::size_t>(lru));
                QVERIFY(layer.attention.q.weight.data == nullptr);
            } else {
                const AttentionWeights& a = layer.attention;
                QCOMPARE(a.q.outFeatures(), config->numHeads * config->headDim);
                QCOMPARE(a.k.outFeatures(), config->headDim);
                QVERIFY(a.q.bias.empty() && a.k.bias.empty() && a.v.bias.empty());
                QCOMPARE(a.o.bias, allOf(*store->find(p + "temporal_block.o_proj.bias")));
                QVERIFY(layer.recurrent.convWeight.empty());
            }
        }
    }

    // The checkpoint table (checkpoint_schema.h) is the published layout: each golden checkpoint (the official model in
    // the Hugging Face layout, tests/data/GOLDEN_README.md) holds exactly the table's tensors with the table's shapes;
    // the roles that may be quantized are its 2-D ".weight" tensors.
    void tableIsTheCheckpoint_data() { goldenBinds_data(); }
    void tableIsTheCheckpoint() {
        QFETCH(QString, folder);
        const auto config = loadModelConfig((folderPath(folder) + "/config.json").toStdString());
        QVERIFY(config);
        auto store = WeightStore::open(folderPath(folder).toStdString());
        QVERIFY(store);
        std::vector<std::string> stored;
        for (const TensorView* tensor : store->tensors()) stored.push_back(tensor->name);
        std::vector<std::string> listed;
        for (const TensorSpec& spec : checkpointTensors(*config)) {
            listed.push_back(spec.name);
            const TensorView* tensor = store->find(spec.name);
            QVERIFY2(tensor != nullptr, spec.name.c_str());
            QCOMPARE(tensor->shape, spec.shape);
            QCOMPARE(isQuantizable(spec.role), spec.name == "model.embed_tokens.weight" ||
                                                   (spec.shape.size() == 2 && spec.name.ends_with(".weight")));
        }
        QCOMPARE(listed.size(), stored.size());
        std::sort(listed.begin(), listed.end());
        QCOMPARE(listed, stored);  // tensors() is sorted by name
    }

    // conv_1d.weight [lru, 1, width] is re-laid out so that convWeight[k * lru + c] = weight[c, 0, k].
    void convTapsAreReLaidOut_data() {
        QTest::addColumn<QString>("folder");
        for (const char* folder : {"tiny-f32", "2b-shape-bf16"}) QTest::newRow(folder) << folder;
    }

    void convTapsAreReLaidOut() {
        QFETCH(QString, folder);
        WeightStore store;
        const auto weights = bindFolder(folderPath(folder), &store);
        QVERIFY(weights);
        const TensorView& raw = *store.find("model.layers.1.temporal_block.conv_1d.weight");
        const int64_t lru = raw.dim(0), width = raw.dim(2);
        const auto& conv = weights->layers[1].recurrent.convWeight;
        for (int64_t c = 0; c < lru; ++c) {
            for (int64_t k = 0; k < width; ++k) QCOMPARE(conv[k * lru + c], element(raw, c * width + k));
        }
        QVERIFY(conv[0] != conv[1] || conv[0] != conv[lru]);  // not all equal, so the layout was exercised
    }

    void editedConfigDisagrees_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("tensor");
        QTest::addColumn<QString>("shapes");
        QTest::newRow("hidden_size") << "hidden_size" << QJsonValue(128) << "model.embed_tokens.weight"
                                     << "expected [1000, 128], found [1000, 96]";
        QTest::newRow("vocab_size") << "vocab_size" << QJsonValue(999) << "model.embed_tokens.weight"
                                    << "expected [999, 96], found [1000, 96]";
        QTest::newRow("lru_width") << "lru_width" << QJsonValue(99) << "model.layers.0.temporal_block.linear_y.weight"
                                   << "expected [99, 96], found [96, 96]";
        QTest::newRow("intermediate_size")
            << "intermediate_size" << QJsonValue(580) << "model.layers.0.mlp_block.gate_proj.weight"
            << "expected [290, 96], found [288, 96]";
        QTest::newRow("conv1d_width") << "conv1d_width" << QJsonValue(3)
                                      << "model.layers.0.temporal_block.conv_1d.weight"
                                      << "expected [96, 1, 3], found [96, 1, 4]";
        QTest::newRow("num_attention_heads")
            << "num_attention_heads" << QJsonValue(4) << "model.layers.0.temporal_block.rg_lru.input_gate_weight"
            << "expected [4, 24, 24], found [3, 32, 32]";
        QTest::newRow("head_dim") << "head_dim" << QJsonValue(16) << "model.layers.2.temporal_block.q_proj.weight"
                                  << "expected [48, 96], found [96, 96]";
        QTest::newRow("too few layers") << "num_hidden_layers" << QJsonValue(4) << "model.layers.4."
                                        << "num_hidden_layers is 4";
    }

    void editedConfigDisagrees() {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QFETCH(QString, tensor);
        QFETCH(QString, shapes);
        const auto config = editedConfig(key, value);
        QVERIFY2(config, config ? "" : config.error().message.c_str());
        auto store = WeightStore::open(folderPath("tiny-f32").toStdString());
        QVERIFY(store);
        const auto weights = bindModelWeights(*config, *store);
        QVERIFY(!weights);
        QCOMPARE(weights.error().code, ErrorCode::InvalidConfig);
        const QString message = QString::fromStdString(weights.error().message);
        QVERIFY2(message.startsWith("config.json disagrees with tensor '" + tensor), qPrintable(message));
        QVERIFY2(message.contains(shapes), qPrintable(message));
    }

    // The config wants tensors the checkpoint lacks: more layers, or another block pattern.
    void configNeedsAbsentTensor_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("tensor");
        QTest::newRow("seven layers") << "num_hidden_layers" << QJsonValue(7)
                                      << "model.layers.5.temporal_pre_norm.weight";
        QTest::newRow("other pattern") << "block_types" << QJsonValue(QJsonArray{"recurrent", "attention"})
                                       << "model.layers.1.temporal_block.q_proj.weight";
    }

    void configNeedsAbsentTensor() {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QFETCH(QString, tensor);
        const auto config = editedConfig(key, value);
        QVERIFY(config);
        auto store = WeightStore::open(folderPath("tiny-f32").toStdString());
        QVERIFY(store);
        const auto weights = bindModelWeights(*config, *store);
        QVERIFY(!weights);
        QCOMPARE(weights.error().code, ErrorCode::InvalidCheckpoint);
        const QString message = QString::fromStdString(weights.error().message);
        QVERIFY2(message.contains("'" + tensor + "'"), qPrintable(message));
    }

    void missingTensor_data() {
        QTest::addColumn<QString>("tensor");
        for (const char* name :
             {"model.embed_tokens.weight", "model.final_norm.weight", "model.layers.3.mlp_block.down_proj.bias",
              "model.layers.0.temporal_block.conv_1d.bias",
              "model.layers.4.temporal_block.rg_lru.recurrent_gate_weight", "model.layers.2.temporal_block.o_proj.bias",
              "model.layers.2.temporal_block.v_proj.weight", "model.layers.1.channel_pre_norm.weight"}) {
            QTest::newRow(name) << name;
        }
    }

    void missingTensor() {
        QFETCH(QString, tensor);
        QTemporaryDir dir;
        QVERIFY(writeEditedCheckpoint(dir.path(), [&](std::vector<TensorBlob>& blobs) {
            std::erase_if(blobs, [&](const TensorBlob& b) { return b.name == tensor.toStdString(); });
        }));
        const auto weights = bindFolder(dir.path());
        QVERIFY(!weights);
        QCOMPARE(weights.error().code, ErrorCode::InvalidCheckpoint);
        const QString message = QString::fromStdString(weights.error().message);
        QVERIFY2(message.contains("'" + tensor + "'") && message.contains(dir.path()), qPrintable(message));
    }

    // A tensor stored transposed is caught by its shape, not silently used.
    void transposedTensor() {
        QTemporaryDir dir;
        QVERIFY(writeEditedCheckpoint(dir.path(), [](std::vector<TensorBlob>& blobs) {
            for (auto& b : blobs) {
                if (b.name == "model.layers.2.temporal_block.k_proj.weight")
                    std::reverse(b.shape.begin(), b.shape.end());
            }
        }));
        const auto weights = bindFolder(dir.path());
        QVERIFY(!weights);
        QCOMPARE(weights.error().message,
                 std::string("config.json disagrees with tensor 'model.layers.2.temporal_block.k_proj.weight': "
                             "expected [32, 96], found [96, 32]"));
    }

    // A tied lm_head copy is accepted when it has the embedding's shape and rejected otherwise; unrelated extra
    // tensors are ignored.
    void lmHeadAndExtras() {
        QTemporaryDir good;
        QVERIFY(writeEditedCheckpoint(good.path(), [](std::vector<TensorBlob>& blobs) {
            TensorBlob head = blobs.front();
            QCOMPARE(head.name, std::string("model.embed_tokens.weight"));
            head.name = "lm_head.weight";
            blobs.push_back(head);
            blobs.push_back({"model.rotary_emb.inv_freq", "F32", {16}, QByteArray(64, '\0')});
        }));
        const auto ok = bindFolder(good.path());
        QVERIFY2(ok, ok ? "" : ok.error().message.c_str());

        QTemporaryDir bad;
        QVERIFY(writeEditedCheckpoint(bad.path(), [](std::vector<TensorBlob>& blobs) {
            blobs.push_back({"lm_head.weight", "F32", {1000, 97}, QByteArray(1000 * 97 * 4, '\0')});
        }));
        const auto rejected = bindFolder(bad.path());
        QVERIFY(!rejected);
        QCOMPARE(
            rejected.error().message,
            std::string("config.json disagrees with tensor 'lm_head.weight': expected [1000, 96], found [1000, 97]"));
    }

    // Mixed dtypes are legal (each tensor carries its own); small vectors are converted from whatever is stored.
    void f16VectorsAreConverted() {
        QTemporaryDir dir;
        QVERIFY(writeEditedCheckpoint(dir.path(), [](std::vector<TensorBlob>& blobs) {
            for (auto& b : blobs) {
                if (b.name != "model.final_norm.weight") continue;
                QByteArray half(b.data.size() / 2, '\0');
                for (qsizetype i = 0; i < half.size() / 2; ++i) {
                    const uint16_t bits = floatToF16(0.25f * static_cast<float>(i));
                    std::memcpy(half.data() + 2 * i, &bits, 2);
                }
                b.dtype = "F16";
                b.data = half;
            }
        }));
        const auto weights = bindFolder(dir.path());
        QVERIFY(weights);
        QCOMPARE(weights->finalNorm.size(), std::size_t{96});
        QCOMPARE(weights->finalNorm[5], 1.25f);
        QCOMPARE(weights->finalNorm[95], 23.75f);
    }
};

QTEST_GUILESS_MAIN(TestModelWeights)
#include "test_model_weights.moc"
