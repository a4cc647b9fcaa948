// test_config — config.json parsing: the golden configs (block_types and _block_types spellings), the defaults of
// optional keys, and rejection of missing, inconsistent, unsupported or absurd values with file and key named.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "rgemma/config.h"
#include "safetensors_writer.h"

using namespace rgemma;

namespace {

const QString kDataDir = QStringLiteral(RC_TEST_DATA_DIR);
using Blocks = std::vector<BlockType>;
constexpr BlockType R = BlockType::Recurrent;
constexpr BlockType A = BlockType::Attention;

QJsonObject goldenConfig(const QString& folder = "tiny-f32") {
    return QJsonDocument::fromJson(rctest::readAll(kDataDir + "/" + folder + "/config.json")).object();
}

// The tiny config with `key` set to `value`, or removed when `value` is undefined.
Result<ModelConfig> parseEdited(const QString& key, const QJsonValue& value) {
    QJsonObject config = goldenConfig();
    if (value.isUndefined()) {
        config.remove(key);
    } else {
        config[key] = value;
    }
    return parseModelConfig(QJsonDocument(config).toJson().toStdString(), "edited/config.json");
}

Result<ModelConfig> parseObject(const QJsonObject& config) {
    return parseModelConfig(QJsonDocument(config).toJson().toStdString(), "edited/config.json");
}

}  // namespace

class TestConfig : public QObject {
    Q_OBJECT

  private slots:
    void goldenTiny() {
        for (const char* folder : {"tiny-f32", "tiny-bf16"}) {
            const auto config = loadModelConfig((kDataDir + "/" + folder + "/config.json").toStdString());
            QVERIFY2(config, config ? "" : config.error().message.c_str());
            QCOMPARE(config->vocabSize, int64_t{1000});
            QCOMPARE(config->hiddenSize, int64_t{96});
            QCOMPARE(config->lruWidth, int64_t{96});
            QCOMPARE(config->numHeads, int64_t{3});
            QCOMPARE(config->headDim, int64_t{32});
            QCOMPARE(config->numKvHeads, int64_t{1});
            QCOMPARE(config->mlpWidth, int64_t{288});
            QCOMPARE(config->numLayers, int64_t{5});
            QCOMPARE(config->blocks, (Blocks{R, R, A, R, R}));  // from block_types
            QCOMPARE(config->numRecurrentLayers(), int64_t{4});
            QCOMPARE(config->numAttentionLayers(), int64_t{1});
            QCOMPARE(config->attentionWindow, int64_t{8});
            QCOMPARE(config->convWidth, int64_t{4});
            QCOMPARE(config->logitsSoftCap, 30.0f);
            QCOMPARE(config->rmsNormEps, 1e-6f);
            QCOMPARE(config->ropeTheta, 10000.0f);
            QCOMPARE(config->partialRotaryFactor, 0.5f);
            QCOMPARE(config->embedScaleBySqrtDim, true);
            QCOMPARE(config->bosId, 2);
            QCOMPARE(config->eosId, 1);
            QCOMPARE(config->padId, 0);
        }
    }

    void golden2bShape() {
        const auto config = loadModelConfig((kDataDir + "/2b-shape-bf16/config.json").toStdString());
        QVERIFY2(config, config ? "" : config.error().message.c_str());
        QCOMPARE(config->hiddenSize, int64_t{160});
        QCOMPARE(config->lruWidth, int64_t{160});
        QCOMPARE(config->numHeads, int64_t{10});
        QCOMPARE(config->headDim, int64_t{16});
        QCOMPARE(config->mlpWidth, int64_t{480});
        QCOMPARE(config->numLayers, int64_t{6});
        QCOMPARE(config->blocks, (Blocks{R, R, A, R, R, A}));  // from _block_types
        QCOMPARE(config->numAttentionLayers(), int64_t{2});
        QCOMPARE(config->attentionWindow, int64_t{16});
        QCOMPARE(config->vocabSize, int64_t{1000});
    }

    void blockTypesWinsOverUnderscoreSpelling() {
        QJsonObject config = goldenConfig();
        config["_block_types"] = QJsonArray{"attention"};
        config["block_types"] = QJsonArray{"recurrent", "attention"};
        const auto parsed = parseObject(config);
        QVERIFY(parsed);
        QCOMPARE(parsed->blocks, (Blocks{R, A, R, A, R}));
        QCOMPARE(blockTypeName(BlockType::Recurrent), std::string_view("recurrent"));
        QCOMPARE(blockTypeName(BlockType::Attention), std::string_view("attention"));
    }

    void defaultsOfOptionalKeys() {
        QJsonObject config = goldenConfig();
        for (const char* key :
             {"head_dim", "lru_width", "embeddings_scale_by_sqrt_dim", "conv1d_width", "num_key_value_heads",
              "logits_soft_cap", "rms_norm_eps", "rope_theta", "partial_rotary_factor", "bos_token_id", "eos_token_id",
              "pad_token_id", "model_type", "hidden_activation", "attention_bias", "tie_word_embeddings"}) {
            config.remove(key);
        }
        config["hidden_size"] = 120;  // head_dim defaults to 120 / 3 = 40, lru_width to 120
        const auto parsed = parseObject(config);
        QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
        QCOMPARE(parsed->headDim, int64_t{40});
        QCOMPARE(parsed->lruWidth, int64_t{120});
        QCOMPARE(parsed->embedScaleBySqrtDim, true);
        QCOMPARE(parsed->convWidth, int64_t{4});
        QCOMPARE(parsed->numKvHeads, int64_t{1});
        QCOMPARE(parsed->logitsSoftCap, 30.0f);
        QCOMPARE(parsed->rmsNormEps, 1e-6f);
        QCOMPARE(parsed->ropeTheta, 10000.0f);
        QCOMPARE(parsed->partialRotaryFactor, 0.5f);
        QCOMPARE(parsed->bosId, 2);
        QCOMPARE(parsed->eosId, 1);
        QCOMPARE(parsed->padId, 0);
    }

    void nullValues() {
        const auto lru = parseEdited("lru_width", QJsonValue::Null);
        QVERIFY(lru);
        QCOMPARE(lru->lruWidth, int64_t{96});
        const auto cap = parseEdited("logits_soft_cap", QJsonValue::Null);
        QVERIFY(cap);
        QCOMPARE(cap->logitsSoftCap, 0.0f);  // null means no cap
        const auto scale = parseEdited("embeddings_scale_by_sqrt_dim", false);
        QVERIFY(scale);
        QCOMPARE(scale->embedScaleBySqrtDim, false);
        const auto eosList = parseEdited("eos_token_id", QJsonArray{1, 107});
        QVERIFY(eosList);
        QCOMPARE(eosList->eosId, 1);
        const auto gelu = parseEdited("hidden_activation", "gelu");
        QVERIFY(gelu);
        const auto lruOther = parseEdited("lru_width", 192);
        QVERIFY(lruOther);
        QCOMPARE(lruOther->lruWidth, int64_t{192});
    }

    void invalidValue_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");  // undefined: the key is removed
        QTest::addColumn<QString>("expected");
        const QJsonValue removed(QJsonValue::Undefined);
        QTest::newRow("missing hidden_size") << "hidden_size" << removed << "is missing";
        QTest::newRow("missing vocab_size") << "vocab_size" << removed << "is missing";
        QTest::newRow("missing intermediate_size") << "intermediate_size" << removed << "is missing";
        QTest::newRow("missing window") << "attention_window_size" << removed << "is missing";
        QTest::newRow("odd intermediate_size") << "intermediate_size" << QJsonValue(577) << "must be even";
        QTest::newRow("two kv heads") << "num_key_value_heads" << QJsonValue(2) << "must be 1";
        QTest::newRow("negative size") << "hidden_size" << QJsonValue(-96) << "found -96";
        QTest::newRow("zero heads") << "num_attention_heads" << QJsonValue(0) << "found 0";
        QTest::newRow("fractional size") << "hidden_size" << QJsonValue(96.5) << "must be an integer";
        QTest::newRow("string size") << "hidden_size" << QJsonValue("96") << "must be an integer";
        QTest::newRow("absurd width") << "hidden_size" << QJsonValue(qint64(1) << 21) << "between 1 and 1048576";
        QTest::newRow("absurd vocab") << "vocab_size" << QJsonValue(qint64(1) << 23) << "between 1 and 4194304";
        QTest::newRow("absurd layers") << "num_hidden_layers" << QJsonValue(100000) << "between 1 and 1000";
        QTest::newRow("absurd window") << "attention_window_size" << QJsonValue(1e300) << "must be an integer";
        QTest::newRow("huge integer") << "vocab_size" << QJsonValue(qint64(1) << 62) << "between 1 and";
        QTest::newRow("absurd conv") << "conv1d_width" << QJsonValue(1 << 20) << "conv1d_width";
        QTest::newRow("zero conv") << "conv1d_width" << QJsonValue(0) << "conv1d_width";
        QTest::newRow("bad block type") << "block_types" << QJsonValue(QJsonArray{"recurrent", "mlp"}) << "\"mlp\"";
        QTest::newRow("empty blocks") << "block_types" << QJsonValue(QJsonArray{}) << "non-empty";
        QTest::newRow("blocks not a list") << "block_types" << QJsonValue("recurrent") << "non-empty list";
        QTest::newRow("no blocks") << "block_types" << removed << "is missing";
        QTest::newRow("lru not divisible") << "lru_width" << QJsonValue(97) << "divisible by num_attention_heads";
        QTest::newRow("rotary odd") << "partial_rotary_factor" << QJsonValue(0.3) << "even whole number";
        QTest::newRow("rotary above 1") << "partial_rotary_factor" << QJsonValue(1.5) << "partial_rotary_factor";
        QTest::newRow("rope zero") << "rope_theta" << QJsonValue(0) << "rope_theta";
        QTest::newRow("negative cap") << "logits_soft_cap" << QJsonValue(-1) << "logits_soft_cap";
        QTest::newRow("eps string") << "rms_norm_eps" << QJsonValue("small") << "rms_norm_eps";
        QTest::newRow("scale not bool") << "embeddings_scale_by_sqrt_dim" << QJsonValue(1) << "true or false";
        QTest::newRow("bos past vocab") << "bos_token_id" << QJsonValue(5000) << "below vocab_size";
        QTest::newRow("other model") << "model_type" << QJsonValue("gemma") << "\"recurrent_gemma\"";
        QTest::newRow("other activation") << "hidden_activation" << QJsonValue("relu") << "gelu_pytorch_tanh";
        QTest::newRow("attention bias") << "attention_bias" << QJsonValue(true) << "must be false";
        QTest::newRow("untied embeddings") << "tie_word_embeddings" << QJsonValue(false) << "must be true";
    }

    void invalidValue() {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QFETCH(QString, expected);
        const auto parsed = parseEdited(key, value);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, ErrorCode::InvalidConfig);
        const QString message = QString::fromStdString(parsed.error().message);
        QVERIFY2(message.startsWith("edited/config.json: "), qPrintable(message));
        QVERIFY2(message.contains("'" + key + "'"), qPrintable(message));
        QVERIFY2(message.contains(expected), qPrintable(message));
    }

    void headDimDefaultMustDivide() {
        QJsonObject config = goldenConfig();
        config.remove("head_dim");
        config["hidden_size"] = 100;
        config["lru_width"] = 99;
        const auto parsed = parseObject(config);
        QVERIFY(!parsed);
        QVERIFY2(parsed.error().message.find("'head_dim'") != std::string::npos, parsed.error().message.c_str());
    }

    void notJson_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QByteArray() << "not valid JSON";
        QTest::newRow("truncated") << QByteArray("{\"hidden_size\": ") << "not valid JSON";
        QTest::newRow("trailing garbage") << QByteArray("{} x") << "not valid JSON";
        QTest::newRow("NUL") << QByteArray("{}\0{", 4) << "NUL";
        QTest::newRow("array") << QByteArray("[1]") << "not a JSON object";
        QTest::newRow("binary") << QByteArray("\xff\xfe\x00\x01", 4) << "not valid JSON";
    }

    void notJson() {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        const auto parsed = parseModelConfig(std::string_view(text.constData(), text.size()), "x/config.json");
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, ErrorCode::InvalidConfig);
        const QString message = QString::fromStdString(parsed.error().message);
        QVERIFY2(message.startsWith("x/config.json: ") && message.contains(expected), qPrintable(message));
    }

    void loadErrors() {
        QTemporaryDir dir;
        const QString missing = dir.path() + "/config.json";
        const auto absent = loadModelConfig(missing.toStdString());
        QVERIFY(!absent);
        QCOMPARE(absent.error().code, ErrorCode::Io);
        QVERIFY(QString::fromStdString(absent.error().message).contains(missing));

        QVERIFY(rctest::writeFile(missing, QByteArray(2 << 20, ' ')));
        const auto huge = loadModelConfig(missing.toStdString());
        QVERIFY(!huge);
        QVERIFY(QString::fromStdString(huge.error().message).contains("limit"));
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "test_config.moc"
