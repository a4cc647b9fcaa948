// test_quantize.cpp — int8 checkpoints (quantizeCheckpointInt8, rgemma/checkpoint.h) on the golden cases: the writer's
// layout, the loader's checks, greedy tokens equal to the reference's for the first 10 steps, decode equal to prefill,
// and the logits' max error against the float reference reported (the int8 model is not the reference: no tolerance on
// that). The engine's internal headers include oneTBB, which must come before Qt defines its `emit` macro.
#include "io/weight_store.h"
#include "rgemma/checkpoint.h"

// Qt after oneTBB.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "golden_case.h"
#include "rgemma/generate.h"
#include "rgemma/model.h"
#include "rgemma/sampler.h"

using namespace rgemma;

namespace {

std::unique_ptr<Model> quantizedModel(const GoldenCase& golden, const QTemporaryDir& dir) {
    const std::filesystem::path out = dir.filePath("int8").toStdString();
    auto report = quantizeCheckpointInt8(golden.directory.toStdString(), out);
    if (!report) qFatal("quantize %s: %s", qPrintable(golden.name), report.error().message.c_str());
    auto model = Model::load(out);
    if (!model) qFatal("load int8 %s: %s", qPrintable(golden.name), model.error().message.c_str());
    return std::move(*model);
}

float maxAbsDiff(const float* a, const float* b, std::size_t n) {
    float worst = 0.0f;
    for (std::size_t i = 0; i < n; ++i) worst = std::max(worst, std::fabs(a[i] - b[i]));
    return worst;
}

}  // namespace

class TestQuantize : public QObject {
    Q_OBJECT

  private slots:
    void perCase_data() {
        QTest::addColumn<QString>("caseName");
        for (const QString& name : goldenCaseNames()) QTest::newRow(qPrintable(name)) << name;
    }

    // Every 2-D weight is I8 with a scale per 32 values of a row; everything else is as stored; the tied lm_head is
    // gone.
    void writesI8MatricesWithRowScales_data() { perCase_data(); }
    void writesI8MatricesWithRowScales() {
        QFETCH(QString, caseName);
        const GoldenCase golden = loadGoldenCase(caseName);
        QTemporaryDir dir;
        const std::filesystem::path out = dir.filePath("int8").toStdString();
        QVERIFY(quantizeCheckpointInt8(golden.directory.toStdString(), out).has_value());
        QVERIFY(std::filesystem::exists(out / "config.json"));
        QVERIFY(std::filesystem::exists(out / "tokenizer.model"));
        auto original = WeightStore::open(golden.directory.toStdString());
        auto quantized = WeightStore::open(out);
        QVERIFY(original && quantized);
        QVERIFY(quantized->find("lm_head.weight") == nullptr);
        for (const TensorView* tensor : original->tensors()) {
            if (tensor->name == "lm_head.weight") continue;
            const TensorView* copy = quantized->find(tensor->name);
            QVERIFY2(copy != nullptr, tensor->name.c_str());
            QCOMPARE(copy->shape, tensor->shape);
            const bool matrix = tensor->shape.size() == 2 && tensor->name.ends_with(".weight");
            QCOMPARE(copy->dtype, matrix ? DType::I8 : tensor->dtype);
            const TensorView* scale = quantized->find(tensor->name + "_scale");
            QCOMPARE(scale != nullptr, matrix);
            if (matrix) QCOMPARE(scale->shape, (std::vector<int64_t>{tensor->shape[0], (tensor->shape[1] + 31) / 32}));
        }
        // A quantized tensor where a float one is required is refused with its name.
        QVERIFY(quantizeCheckpointInt8(out, out).has_value() == false);
    }

    // The progress callback hears every byte written, in order, ending at the report's total; returning false stops
    // the copy with ErrorCode::Cancelled.
    void reportsProgressAndStops() {
        const GoldenCase golden = loadGoldenCase(goldenCaseNames().constFirst());
        QTemporaryDir dir;
        std::vector<std::pair<uint64_t, uint64_t>> calls;
        auto report = quantizeCheckpointInt8(golden.directory.toStdString(), dir.filePath("all").toStdString(),
                                             [&calls](uint64_t done, uint64_t total) {
                                                 calls.emplace_back(done, total);
                                                 return true;
                                             });
        QVERIFY(report.has_value());
        QVERIFY(calls.size() > 2);
        for (std::size_t i = 1; i < calls.size(); ++i) QVERIFY(calls[i].first > calls[i - 1].first);
        QCOMPARE(calls.back().first, report->bytesOut);
        QCOMPARE(calls.back().second, report->bytesOut);

        int seen = 0;
        auto stopped = quantizeCheckpointInt8(golden.directory.toStdString(), dir.filePath("stopped").toStdString(),
                                              [&seen](uint64_t, uint64_t) { return ++seen < 2; });
        QVERIFY(!stopped.has_value());
        QCOMPARE(stopped.error().code, ErrorCode::Cancelled);
        QCOMPARE(seen, 2);
    }

    // The first 10 greedy tokens of the reference, and the logits' distance from it reported.
    void greedyTokensMatchTheReference_data() { perCase_data(); }
    void greedyTokensMatchTheReference() {
        QFETCH(QString, caseName);
        const GoldenCase golden = loadGoldenCase(caseName);
        QTemporaryDir dir;
        const auto model = quantizedModel(golden, dir);
        Runtime runtime(2);
        State state = model->newState();
        SamplerSettings settings;
        settings.greedy = true;
        Sampler sampler(settings);
        GenerateOptions options;
        options.maxNewTokens = 10;
        options.stopAtEndOfTurn = false;
        const std::vector<TokenId> prompt(golden.promptIds.begin(), golden.promptIds.end());
        auto result = generate(*model, runtime, state, prompt, sampler, options);
        QVERIFY(result.has_value());
        QCOMPARE(std::vector<int>(result->tokens.begin(), result->tokens.end()),
                 std::vector<int>(golden.greedyTokens.begin(), golden.greedyTokens.begin() + 10));

        State fresh = model->newState();
        std::vector<float> logits;
        QVERIFY(model->forward(runtime, fresh, prompt, LogitsMode::AllPositions, logits).has_value());
        const auto vocab = static_cast<std::size_t>(model->config().vocabSize);
        float worst = 0.0f;
        for (std::size_t t = 0; t < prompt.size(); ++t) {
            worst = std::max(worst, maxAbsDiff(logits.data() + t * vocab, golden.prefillLogits[t].data(), vocab));
        }
        qInfo("%s int8: prefill logits max |diff| vs the float reference %.4f", qPrintable(caseName), worst);
    }

    // Prefill (I8 rows widened to bf16 in the GEMM) and decode (I8 widened to f32 in the matvec) agree.
    void decodeEqualsPrefill_data() { perCase_data(); }
    void decodeEqualsPrefill() {
        QFETCH(QString, caseName);
        const GoldenCase golden = loadGoldenCase(caseName);
        QTemporaryDir dir;
        const auto model = quantizedModel(golden, dir);
        Runtime runtime(2);
        const std::vector<TokenId> prompt(golden.promptIds.begin(), golden.promptIds.end());
        State whole = model->newState();
        std::vector<float> prefill;
        QVERIFY(model->forward(runtime, whole, prompt, LogitsMode::AllPositions, prefill).has_value());
        State stepwise = model->newState();
        std::vector<float> step;
        const auto vocab = static_cast<std::size_t>(model->config().vocabSize);
        for (std::size_t t = 0; t < prompt.size(); ++t) {
            QVERIFY(model->forward(runtime, stepwise, std::span(prompt).subspan(t, 1), LogitsMode::Last, step));
            const float diff = maxAbsDiff(step.data(), prefill.data() + t * vocab, vocab);
            QVERIFY2(diff < 1e-3f, qPrintable(QString("position %1: %2").arg(t).arg(diff)));
        }
    }
};

QTEST_GUILESS_MAIN(TestQuantize)
#include "test_quantize.moc"
