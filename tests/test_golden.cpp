// test_golden.cpp — the engine against the official reference on the golden checkpoints: prefill logits at every
// position, token-by-token decode, chunked prefill, the state after the prompt, greedy generation, chat.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <random>

#include "golden_case.h"
#include "kernels/matmul_kernels.h"
#include "rgemma/chat_format.h"
#include "rgemma/generate.h"
#include "rgemma/model.h"
#include "rgemma/sampler.h"
#include "rgemma/tokenizer.h"

using namespace rgemma;

namespace {

constexpr float kTolerance = 1e-3f;  // golden/README.md: separates f32 compute from bf16-rounded weights

float maxAbsDiff(const float* a, const float* b, std::size_t n) {
    float worst = 0.0f;
    for (std::size_t i = 0; i < n; ++i) {
        const float d = std::fabs(a[i] - b[i]);
        if (!(d <= worst)) worst = d;  // NaN counts as the worst
    }
    return worst;
}

std::unique_ptr<Model> loadModel(const GoldenCase& golden) {
    auto model = Model::load(golden.directory.toStdString());
    if (!model) qFatal("loading %s: %s", qPrintable(golden.directory), model.error().message.c_str());
    return std::move(*model);
}

std::vector<TokenId> toIds(const std::vector<int>& ids) { return {ids.begin(), ids.end()}; }

}  // namespace

class TestGolden : public QObject {
    Q_OBJECT

  private slots:
    void perCase_data() {
        QTest::addColumn<QString>("caseName");
        for (const QString& name : goldenCaseNames()) QTest::newRow(qPrintable(name)) << name;
    }

    void prefillLogitsEveryPosition_data() { perCase_data(); }
    void prefillLogitsEveryPosition() {
        QFETCH(QString, caseName);
        const GoldenCase golden = loadGoldenCase(caseName);
        const auto model = loadModel(golden);
        Runtime runtime(2);
        State state = model->newState();
        std::vector<float> logits;
        const auto ids = toIds(golden.promptIds);
        QVERIFY(model->forward(runtime, state, ids, LogitsMode::AllPositions, logits).has_value());
        const auto vocab = static_cast<std::size_t>(model->config().vocabSize);
        QCOMPARE(logits.size(), ids.size() * vocab);
        QCOMPARE(state.position, golden.nextPosition);
        for (std::size_t t = 0; t < ids.size(); ++t) {
            const float diff = maxAbsDiff(logits.data() + t * vocab, golden.prefillLogits[t].data(), vocab);
            if (diff > kTolerance) QFAIL(qPrintable(QString("position %1: max |diff| %2").arg(t).arg(diff)));
        }
    }

    // The opt-in int8 prefill (PrefillPrecision::Int8: activations and bf16 weights quantized per 32) stays near the
    // reference: every position's logits within 2 (the golden cases' random weights move them by up to 1.45 here,
    // 1.9 on random prompts; a wrong kernel moves them by far more) and the reference's top-1 kept wherever it leads
    // by more than 1. The f32 case is not quantized at all (an f32 checkpoint asks for f32 numbers).
    void int8PrefillNearReference_data() { perCase_data(); }
    void int8PrefillNearReference() {
        QFETCH(QString, caseName);
        const MatmulKernels& kernels = matmulKernels(defaultIsa());
        if (!kernels.gemmInt8Activations || kernels.gemmBf16Activations) {
            QSKIP("no int8 prefill at this level (it needs AVX2 and is not used where bf16 products exist)");
        }
        const GoldenCase golden = loadGoldenCase(caseName);
        const auto model = loadModel(golden);
        Runtime runtime(2);
        runtime.setPrefillPrecision(PrefillPrecision::Int8);
        State state = model->newState();
        std::vector<float> logits;
        const auto ids = toIds(golden.promptIds);
        QVERIFY(model->forward(runtime, state, ids, LogitsMode::AllPositions, logits).has_value());
        const auto vocab = static_cast<std::size_t>(model->config().vocabSize);
        const bool f32 = caseName.contains("f32");
        float worst = 0.0f;
        for (std::size_t t = 0; t < ids.size(); ++t) {
            const float* got = logits.data() + t * vocab;
            const std::vector<float>& want = golden.prefillLogits[t];
            const float diff = maxAbsDiff(got, want.data(), vocab);
            worst = std::max(worst, diff);
            QVERIFY2(diff <= (f32 ? kTolerance : 2.0f),
                     qPrintable(QString("position %1: max |diff| %2").arg(t).arg(diff)));
            std::vector<float> sorted = want;
            std::partial_sort(sorted.begin(), sorted.begin() + 2, sorted.end(), std::greater<>());
            const auto top = std::max_element(want.begin(), want.end()) - want.begin();
            if (sorted[0] - sorted[1] > 1.0f) {
                QCOMPARE(std::max_element(got, got + vocab) - got, top);
            }
        }
        qInfo("int8 prefill: max |logit diff| %.3f over %d positions", double(worst), int(ids.size()));
    }

    void decodeTokenByToken_data() { perCase_data(); }
    void decodeTokenByToken() {
        QFETCH(QString, caseName);
        const GoldenCase golden = loadGoldenCase(caseName);
        const auto model = loadModel(golden);
        Runtime runtime(1);
        State state = model->newState();
        std::vector<float> logits;
        const auto vocab = static_cast<std::size_t>(model->config().vocabSize);
        for (std::size_t t = 0; t < golden.promptIds.size(); ++t) {
            const TokenId one[] = {golden.promptIds[t]};
            QVERIFY(model->forward(runtime, state, one, LogitsMode::Last, logits).has_value());
            const float diff = maxAbsDiff(logits.data(), golden.prefillLogits[t].data(), vocab);
            if (diff > kTolerance) QFAIL(qPrintable(QString("position %1: max |diff| %2").arg(t).arg(diff)));
        }
    }

    void stateAfterPrompt_data() { perCase_data(); }
    void stateAfterPrompt() {
        QFETCH(QString, caseName);
        const GoldenCase golden = loadGoldenCase(caseName);
        const auto model = loadModel(golden);
        Runtime runtime;
        State state = model->newState();
        std::vector<float> logits;
        QVERIFY(model->forward(runtime, state, toIds(golden.promptIds), LogitsMode::None, logits).has_value());
        QCOMPARE(state.layers.size(), golden.stateAfterPrompt.size());
        for (std::size_t i = 0; i < state.layers.size(); ++i) {
            const LayerState& layer = state.layers[i];
            const GoldenLayerState& expected = golden.stateAfterPrompt[i];
            if (layer.type == BlockType::Recurrent) {
                QCOMPARE(expected.type, QString("recurrent"));
                QCOMPARE(layer.recurrent.h.size(), expected.rgLruState.size());
                QCOMPARE(layer.recurrent.conv.size(), expected.conv1dState.size());
                QVERIFY2(maxAbsDiff(layer.recurrent.h.data(), expected.rgLruState.data(), layer.recurrent.h.size()) <
                             kTolerance,
                         qPrintable(QString("layer %1 rg_lru_state").arg(i)));
                QVERIFY2(maxAbsDiff(layer.recurrent.conv.data(), expected.conv1dState.data(),
                                    layer.recurrent.conv.size()) < kTolerance,
                         qPrintable(QString("layer %1 conv1d_state").arg(i)));
            } else {
                QCOMPARE(expected.type, QString("attention"));
                QCOMPARE(layer.attention.keys.size(), expected.keys.size());
                QVERIFY2(
                    maxAbsDiff(layer.attention.keys.data(), expected.keys.data(), expected.keys.size()) < kTolerance,
                    qPrintable(QString("layer %1 keys").arg(i)));
                QVERIFY2(maxAbsDiff(layer.attention.values.data(), expected.values.data(), expected.values.size()) <
                             kTolerance,
                         qPrintable(QString("layer %1 values").arg(i)));
            }
        }
    }

    // Any split of the prompt into chunks gives the numbers of one call over the whole prompt.
    void chunkedPrefillEqualsOneShot_data() { perCase_data(); }
    void chunkedPrefillEqualsOneShot() {
        QFETCH(QString, caseName);
        const GoldenCase golden = loadGoldenCase(caseName);
        const auto model = loadModel(golden);
        Runtime runtime;
        const auto ids = toIds(golden.promptIds);
        const auto vocab = static_cast<std::size_t>(model->config().vocabSize);
        std::vector<float> oneShot;
        State whole = model->newState();
        QVERIFY(model->forward(runtime, whole, ids, LogitsMode::AllPositions, oneShot).has_value());

        const std::vector<std::vector<std::size_t>> splits = {{5, 35}, {1, 2, 3, 4, 30}, {17, 1, 22}, {39, 1}};
        for (const auto& split : splits) {
            State state = model->newState();
            std::size_t begin = 0;
            for (std::size_t length : split) {
                std::vector<float> logits;
                const std::span<const TokenId> chunk(ids.data() + begin, length);
                QVERIFY(model->forward(runtime, state, chunk, LogitsMode::AllPositions, logits).has_value());
                const float diff = maxAbsDiff(logits.data(), oneShot.data() + begin * vocab, length * vocab);
                QVERIFY2(diff < 1e-4f, qPrintable(QString("chunk at %1: max |diff| %2").arg(begin).arg(diff)));
                begin += length;
            }
            QCOMPARE(begin, ids.size());
            QCOMPARE(state.position, whole.position);
        }
    }

    // A prompt longer than the engine's internal prefill chunk and many windows: one call against one token at a
    // time (the decode path), on random ids.
    void longPrefillMatchesDecode_data() { perCase_data(); }
    void longPrefillMatchesDecode() {
        QFETCH(QString, caseName);
        const GoldenCase golden = loadGoldenCase(caseName);
        const auto model = loadModel(golden);
        Runtime runtime;
        std::mt19937 random(7);
        std::uniform_int_distribution<TokenId> pick(0, static_cast<TokenId>(model->config().vocabSize - 1));
        std::vector<TokenId> ids{2};
        while (ids.size() < 600) ids.push_back(pick(random));

        State prefilled = model->newState();
        std::vector<float> prefillLogits;
        QVERIFY(model->forward(runtime, prefilled, ids, LogitsMode::Last, prefillLogits).has_value());
        State decoded = model->newState();
        std::vector<float> decodeLogits;
        for (TokenId id : ids) {
            const TokenId one[] = {id};
            QVERIFY(model->forward(runtime, decoded, one, LogitsMode::Last, decodeLogits).has_value());
        }
        const float diff = maxAbsDiff(prefillLogits.data(), decodeLogits.data(), prefillLogits.size());
        QVERIFY2(diff < kTolerance, qPrintable(QString("max |diff| %1").arg(diff)));
    }

    void greedyThirtyTokens_data() { perCase_data(); }
    void greedyThirtyTokens() {
        QFETCH(QString, caseName);
        const GoldenCase golden = loadGoldenCase(caseName);
        const auto model = loadModel(golden);
        Runtime runtime;
        State state = model->newState();
        SamplerSettings settings;
        settings.greedy = true;
        Sampler sampler(settings);
        GenerateOptions options;
        options.maxNewTokens = static_cast<int32_t>(golden.greedyTokens.size());
        options.stopAtEndOfTurn = false;
        auto result = generate(*model, runtime, state, toIds(golden.promptIds), sampler, options);
        QVERIFY(result.has_value());
        QCOMPARE(std::vector<int>(result->tokens.begin(), result->tokens.end()), golden.greedyTokens);
        QCOMPARE(result->stop, StopReason::MaxTokens);
        // The last generated token is returned but not fed.
        QCOMPARE(state.position, static_cast<int64_t>(golden.promptIds.size() + golden.greedyTokens.size() - 1));
    }

    void greedyStepLogits_data() { perCase_data(); }
    void greedyStepLogits() {
        QFETCH(QString, caseName);
        const GoldenCase golden = loadGoldenCase(caseName);
        const auto model = loadModel(golden);
        Runtime runtime;
        State state = model->newState();
        std::vector<float> logits;
        QVERIFY(model->forward(runtime, state, toIds(golden.promptIds), LogitsMode::Last, logits).has_value());
        for (std::size_t k = 0; k < golden.greedyStepLogits.size(); ++k) {
            if (k > 0) {
                const TokenId one[] = {golden.greedyTokens[k - 1]};
                QVERIFY(model->forward(runtime, state, one, LogitsMode::Last, logits).has_value());
            }
            const float diff = maxAbsDiff(logits.data(), golden.greedyStepLogits[k].data(), logits.size());
            QVERIFY2(diff < kTolerance, qPrintable(QString("step %1: max |diff| %2").arg(k).arg(diff)));
        }
    }

    void chatTurn_data() { perCase_data(); }
    void chatTurn() {
        QFETCH(QString, caseName);
        const GoldenCase golden = loadGoldenCase(caseName);
        const auto model = loadModel(golden);
        auto tokenizer = Tokenizer::load((golden.directory + "/tokenizer.model").toStdString());
        QVERIFY(tokenizer.has_value());
        const auto ids = firstTurnTokens(*tokenizer, golden.chatMessage.toStdString());
        QCOMPARE(std::vector<int>(ids.begin(), ids.end()), golden.chatIds);

        Runtime runtime;
        State state = model->newState();
        SamplerSettings settings;
        settings.greedy = true;
        Sampler sampler(settings);
        GenerateOptions options;
        options.maxNewTokens = static_cast<int32_t>(golden.chatGreedyTokens.size());
        options.stopAtEndOfTurn = false;
        auto result = generate(*model, runtime, state, ids, sampler, options);
        QVERIFY(result.has_value());
        QCOMPARE(std::vector<int>(result->tokens.begin(), result->tokens.end()), golden.chatGreedyTokens);
    }

    void rejectsTokensOutsideTheVocabulary() {
        const GoldenCase golden = loadGoldenCase("tiny-f32");
        const auto model = loadModel(golden);
        Runtime runtime(1);
        State state = model->newState();
        std::vector<float> logits;
        for (TokenId bad : {-1, 1000, 1 << 30}) {
            const TokenId ids[] = {2, bad};
            auto result = model->forward(runtime, state, ids, LogitsMode::Last, logits);
            QVERIFY(!result.has_value());
            QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
            QVERIFY(result.error().message.find("vocabulary") != std::string::npos);
            QCOMPARE(state.position, int64_t{0});  // nothing was fed
        }
    }

    void rejectsAStateOfAnotherShape() {
        const auto tiny = loadModel(loadGoldenCase("tiny-f32"));
        const auto other = loadModel(loadGoldenCase("2b-shape-bf16"));
        Runtime runtime(1);
        State state = other->newState();
        std::vector<float> logits;
        const TokenId ids[] = {2};
        auto result = tiny->forward(runtime, state, ids, LogitsMode::Last, logits);
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, ErrorCode::InvalidState);
    }

    void forkIsADeepCopy() {
        const GoldenCase golden = loadGoldenCase("tiny-f32");
        const auto model = loadModel(golden);
        Runtime runtime(1);
        State state = model->newState();
        std::vector<float> logits;
        const auto ids = toIds(golden.promptIds);
        QVERIFY(model->forward(runtime, state, std::span(ids).first(20), LogitsMode::None, logits).has_value());
        State fork = state.fork();
        std::vector<float> a, b;
        QVERIFY(model->forward(runtime, state, std::span(ids).subspan(20), LogitsMode::Last, a).has_value());
        QVERIFY(model->forward(runtime, fork, std::span(ids).subspan(20), LogitsMode::Last, b).has_value());
        QCOMPARE(a, b);  // bit-identical: same inputs, same state, same code path
        QCOMPARE(state.position, fork.position);
    }
};

QTEST_GUILESS_MAIN(TestGolden)
#include "test_golden.moc"
