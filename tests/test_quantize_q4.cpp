// test_quantize_q4.cpp — mixed 4-bit checkpoints (quantizeCheckpoint with QuantizeFormat::Q4K, rgemma/checkpoint.h)
// through the real loader and forward pass: the layout written; on the golden cases, every kernel level this CPU has
// gives the same logits as the portable one, decode equals prefill, and the distance from the float reference and the
// greedy tokens are reported (random weights: 4 bits are expected to be poor there, so no tolerance against the
// reference); the demo model's 4-bit copy answers its recorded questions; a state file of the float model is refused
// by the 4-bit copy. The engine's internal headers include oneTBB, which must come before Qt defines its `emit` macro.
#include "io/safetensors.h"
#include "io/weight_store.h"
#include "kernels/matmul_kernels.h"
#include "kernels/q4_format.h"
#include "rgemma/checkpoint.h"
#include "runtime/runtime_impl.h"

// Qt after oneTBB.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "golden_case.h"
#include "rgemma/chat_format.h"
#include "rgemma/generate.h"
#include "rgemma/model.h"
#include "rgemma/sampler.h"
#include "rgemma/state_file.h"
#include "rgemma/tokenizer.h"

using namespace rgemma;

namespace {

// Kernel levels against the portable one on the same 4-bit weights: both are f32 products of the same dequantized
// values, summed in another order (measured: up to 2e-5 on the golden cases, through every layer).
constexpr float kLevelTolerance = 1e-3f;
// Decode (matvecQ4 on the nibbles) against prefill (dequantized rows in the GEMM) at one level: the same values.
constexpr float kDecodeTolerance = 1e-3f;

std::unique_ptr<Model> quantizeAndLoad(const std::filesystem::path& source, const std::filesystem::path& out) {
    auto report = quantizeCheckpoint(source, out, QuantizeFormat::Q4K);
    if (!report) qFatal("quantize %s: %s", source.c_str(), report.error().message.c_str());
    auto model = Model::load(out);
    if (!model) qFatal("load q4k %s: %s", out.c_str(), model.error().message.c_str());
    return std::move(*model);
}

float maxAbsDiff(const float* a, const float* b, std::size_t n) {
    float worst = 0.0f;
    for (std::size_t i = 0; i < n; ++i) {
        const float d = std::fabs(a[i] - b[i]);
        if (!(d <= worst)) worst = d;  // NaN counts as the worst
    }
    return worst;
}

std::vector<Isa> supportedLevels() {
    std::vector<Isa> levels;
    for (Isa isa : {Isa::Portable, Isa::Avx2, Isa::Avx512, Isa::Avx512Vnni, Isa::Avx512Bf16}) {
        if (isaSupported(isa)) levels.push_back(isa);
    }
    return levels;
}

// Logits of every position of `prompt`: by one prefill, or token by token (decode).
std::vector<float> promptLogits(const Model& model, Runtime& runtime, const std::vector<TokenId>& prompt,
                                bool stepwise) {
    State state = model.newState();
    std::vector<float> all, step;
    if (!stepwise) {
        if (!model.forward(runtime, state, prompt, LogitsMode::AllPositions, all)) qFatal("prefill failed");
        return all;
    }
    for (std::size_t t = 0; t < prompt.size(); ++t) {
        if (!model.forward(runtime, state, std::span(prompt).subspan(t, 1), LogitsMode::Last, step)) {
            qFatal("decode failed");
        }
        all.insert(all.end(), step.begin(), step.end());
    }
    return all;
}

std::string greedyReply(const Model& model, const Tokenizer& tokenizer, const std::string& message) {
    Runtime runtime(1);
    State state = model.newState();
    SamplerSettings settings;
    settings.greedy = true;
    Sampler sampler(settings);
    GenerateOptions options;
    options.maxNewTokens = 96;
    options.stopTokens = defaultStopTokens(tokenizer);
    auto result = generate(model, runtime, state, firstTurnTokens(tokenizer, message), sampler, options);
    if (!result) return "<error: " + result.error().message + ">";
    if (result->stop != StopReason::EndOfTurn) return "<no end of turn>";
    std::vector<TokenId> tokens = result->tokens;
    tokens.pop_back();
    return tokenizer.decode(tokens);
}

}  // namespace

class TestQuantizeQ4 : public QObject {
    Q_OBJECT

  private slots:
    void perCase_data() {
        QTest::addColumn<QString>("caseName");
        for (const QString& name : goldenCaseNames()) QTest::newRow(qPrintable(name)) << name;
    }

    // The mixed scheme: the dense layers' weights past layer 0 are U8 nibbles with U8 headers, the embedding and
    // layer 0's matrices I8 with F32 scales, everything else as stored, the tied lm_head gone, the layout's version
    // in the metadata (the loader refuses U8 without it).
    void writesTheMixedLayout_data() { perCase_data(); }
    void writesTheMixedLayout() {
        QFETCH(QString, caseName);
        const GoldenCase golden = loadGoldenCase(caseName);
        QTemporaryDir dir;
        const std::filesystem::path out = dir.filePath("q4k").toStdString();
        auto report = quantizeCheckpoint(golden.directory.toStdString(), out, QuantizeFormat::Q4K);
        QVERIFY2(report.has_value(), report ? "" : report.error().message.c_str());
        QVERIFY(report->q4Tensors > 0 && report->quantizedTensors > 0);
        QVERIFY(report->bytesOut < report->bytesIn);
        auto original = WeightStore::open(golden.directory.toStdString());
        auto quantized = WeightStore::open(out);
        QVERIFY(original && quantized);
        QVERIFY(quantized->find("lm_head.weight") == nullptr);
        int64_t q4 = 0;
        for (const TensorView* tensor : original->tensors()) {
            if (tensor->name == "lm_head.weight") continue;
            const TensorView* copy = quantized->find(tensor->name);
            QVERIFY2(copy != nullptr, tensor->name.c_str());
            const TensorView* scale = quantized->find(tensor->name + "_scale");
            const bool matrix = tensor->shape.size() == 2 && tensor->name.ends_with(".weight");
            const bool int8 = tensor->name == kEmbeddingTensor || tensor->name.starts_with("model.layers.0.");
            QCOMPARE(scale != nullptr, matrix);
            if (!matrix) {
                QCOMPARE(copy->dtype, tensor->dtype);
                QCOMPARE(copy->shape, tensor->shape);
            } else if (int8) {
                QCOMPARE(copy->dtype, DType::I8);
                QCOMPARE(copy->shape, tensor->shape);
                QCOMPARE(scale->dtype, DType::F32);
            } else {
                const int64_t rows = tensor->shape[0], in = tensor->shape[1];
                QCOMPARE(copy->dtype, DType::U8);
                QCOMPARE(copy->shape, (std::vector<int64_t>{rows, (in + 1) / 2}));
                QCOMPARE(scale->dtype, DType::U8);
                QCOMPARE(scale->shape, (std::vector<int64_t>{rows, (in + 255) / 256, 16}));
                ++q4;
            }
        }
        QCOMPARE(q4, report->q4Tensors);
        // The model's parameter count is the float original's (two values per nibble byte, headers left out).
        auto floatModel = Model::load(golden.directory.toStdString());
        auto q4Model = Model::load(out);
        QVERIFY(floatModel && q4Model);
        QCOMPARE((*q4Model)->info().parameterCount, (*floatModel)->info().parameterCount);
    }

    // Every level's logits on the 4-bit copy equal the portable level's (prefill and decode), decode equals prefill
    // at each level; the distance from the float reference and the greedy tokens are reported.
    void goldenAtEveryLevel_data() { perCase_data(); }
    void goldenAtEveryLevel() {
        QFETCH(QString, caseName);
        const GoldenCase golden = loadGoldenCase(caseName);
        QTemporaryDir dir;
        const auto model = quantizeAndLoad(golden.directory.toStdString(), dir.filePath("q4k").toStdString());
        const std::vector<TokenId> prompt(golden.promptIds.begin(), golden.promptIds.end());
        const auto n = prompt.size() * static_cast<std::size_t>(model->config().vocabSize);
        Runtime runtime(2);
        std::vector<float> portable;
        for (Isa isa : supportedLevels()) {
            runtime.impl().kernels = &matmulKernels(isa);
            const std::vector<float> prefill = promptLogits(*model, runtime, prompt, false);
            const std::vector<float> decode = promptLogits(*model, runtime, prompt, true);
            QCOMPARE(prefill.size(), n);
            const float stepDiff = maxAbsDiff(decode.data(), prefill.data(), n);
            QVERIFY2(
                stepDiff < kDecodeTolerance,
                qPrintable(
                    QString("%1: decode vs prefill %2").arg(QString::fromUtf8(isaName(isa).data())).arg(stepDiff)));
            if (isa == Isa::Portable) portable = prefill;
            const float levelDiff = maxAbsDiff(prefill.data(), portable.data(), n);
            QVERIFY2(
                levelDiff < kLevelTolerance,
                qPrintable(QString("%1 vs portable: %2").arg(QString::fromUtf8(isaName(isa).data())).arg(levelDiff)));
            float reference = 0.0f;
            const auto vocab = static_cast<std::size_t>(model->config().vocabSize);
            for (std::size_t t = 0; t < prompt.size(); ++t) {
                reference =
                    std::max(reference, maxAbsDiff(prefill.data() + t * vocab, golden.prefillLogits[t].data(), vocab));
            }
            qInfo("%s q4k at %s: vs portable %.2e, decode vs prefill %.2e, vs the float reference %.4f",
                  qPrintable(caseName), isaName(isa).data(), levelDiff, stepDiff, reference);
        }
        runtime.impl().kernels = &matmulKernels(defaultIsa());
        State state = model->newState();
        SamplerSettings settings;
        settings.greedy = true;
        Sampler sampler(settings);
        GenerateOptions options;
        options.maxNewTokens = 10;
        options.stopAtEndOfTurn = false;
        auto result = generate(*model, runtime, state, prompt, sampler, options);
        QVERIFY(result.has_value());
        int same = 0;
        while (same < 10 &&
               result->tokens[static_cast<std::size_t>(same)] == golden.greedyTokens[static_cast<std::size_t>(same)]) {
            ++same;
        }
        qInfo("%s q4k: the first %d of 10 greedy tokens are the reference's", qPrintable(caseName), same);
    }

    // The demo model's 4-bit copy gives the recorded replies to its arithmetic and chat questions (the fortune, a
    // free text, may be another one), at every level.
    void demoModelAnswers() {
        QTemporaryDir dir;
        const auto model = quantizeAndLoad(RC_DEMO_MODEL_DIR, dir.filePath("q4k").toStdString());
        auto tokenizer = Tokenizer::load(std::filesystem::path(RC_DEMO_MODEL_DIR) / "tokenizer.model");
        QVERIFY(tokenizer.has_value());
        const std::pair<const char*, const char*> cases[] = {
            {"What is 23 + 58?", "23 + 58 = 81."},
            {"What is 47 + 36?", "47 + 36 = 83."},
            {"What is 99 + 99?", "99 + 99 = 198."},
            {"Hello!",
             "Hello! I am a tiny demo model. Ask me what a word means, for a fortune, or to add two numbers."},
            {"What can you do?",
             "I can tell you what a common English word means, give you a fortune, or add two numbers below 100."},
        };
        for (const auto& [message, reply] : cases)
            QCOMPARE(greedyReply(*model, *tokenizer, message), std::string(reply));
        const std::string fortune = greedyReply(*model, *tokenizer, "Tell me a fortune.");
        QVERIFY2(!fortune.empty() && !fortune.starts_with("<"), fortune.c_str());
    }

    // The fingerprint binds states to the 4-bit weights: a state file saved on the float model is refused by its
    // 4-bit copy (and the 4-bit copy's own state loads back).
    void stateFileOfTheFloatModelIsRefused() {
        const GoldenCase golden = loadGoldenCase(goldenCaseNames().first());
        QTemporaryDir dir;
        auto floatModel = Model::load(golden.directory.toStdString());
        QVERIFY(floatModel.has_value());
        const auto q4Model = quantizeAndLoad(golden.directory.toStdString(), dir.filePath("q4k").toStdString());
        QVERIFY((*floatModel)->info().fingerprint != q4Model->info().fingerprint);
        Runtime runtime(2);
        const std::vector<TokenId> prompt(golden.promptIds.begin(), golden.promptIds.end());
        std::vector<float> logits;
        State floatState = (*floatModel)->newState();
        QVERIFY((*floatModel)->forward(runtime, floatState, prompt, LogitsMode::Last, logits).has_value());
        const std::filesystem::path floatFile = dir.filePath("float.state").toStdString();
        QVERIFY(saveStateFile(floatFile, floatState, **floatModel).has_value());
        auto refused = loadStateFile(floatFile, *q4Model);
        QVERIFY(!refused.has_value());
        QCOMPARE(refused.error().code, ErrorCode::InvalidState);
        qInfo("refused: %s", refused.error().message.c_str());

        State q4State = q4Model->newState();
        QVERIFY(q4Model->forward(runtime, q4State, prompt, LogitsMode::Last, logits).has_value());
        const std::filesystem::path q4File = dir.filePath("q4k.state").toStdString();
        QVERIFY(saveStateFile(q4File, q4State, *q4Model).has_value());
        QVERIFY(loadStateFile(q4File, *q4Model).has_value());
        QVERIFY(!loadStateFile(q4File, **floatModel).has_value());
    }
};

QTEST_GUILESS_MAIN(TestQuantizeQ4)
#include "test_quantize_q4.moc"
