// test_batch.cpp — Model::forwardBatch on the golden checkpoints (as stored, quantized to int8, rounded to f16), at
// every kernel level, 5 and 10 wide: sequences at very different positions (0, 3, just under the attention window,
// beyond it, 80,000) advance together across several ring-buffer wraps, each one's logits and greedy tokens equal to
// the same sequence run alone with forward(). The engine's internals first: oneTBB's headers must not see Qt's `emit`
// macro.
#include "kernels/matmul_kernels.h"
#include "rgemma/checkpoint.h"
#include "rgemma/model.h"
#include "runtime/runtime_impl.h"
// clang-format off
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>

#include "golden_case.h"
#include "safetensors_writer.h"
// clang-format on

using namespace rgemma;

Q_DECLARE_METATYPE(rgemma::Isa)

namespace {

// Where a weight plan has a matvec at the level (AVX2 and up: f32, bf16, int8), a batch of up to kMaxDecodeColumns
// runs it column by column and each sequence's logits are those it gets alone, bit for bit. Elsewhere (wider batches,
// f16 weights, the portable level) a batch takes the prefill products (a GEMM, or Eigen's), a lone token the
// matrix-vector ones: the same f32 products summed in another order, which moves the logits by a few f32 ulps of their
// size over the golden cases' layers (up to 8e-5 measured; chunked prefill differs from one-shot prefill as much). A
// wrong row, position or state would move them by far more than this.
constexpr float kTolerance = 1e-4f;

constexpr Isa kAllLevels[] = {Isa::Portable, Isa::Avx2, Isa::Avx512, Isa::Avx512Vnni, Isa::Avx512Bf16};

float maxAbsDiff(const float* a, const float* b, std::size_t n) {
    float worst = 0.0f;
    for (std::size_t i = 0; i < n; ++i) {
        const float d = std::fabs(a[i] - b[i]);
        if (!(d <= worst)) worst = d;  // NaN counts as the worst
    }
    return worst;
}

TokenId argmax(const float* logits, int64_t vocab) {
    return static_cast<TokenId>(std::max_element(logits, logits + vocab) - logits);
}

std::unique_ptr<Model> loadModel(const std::filesystem::path& dir) {
    auto model = Model::load(dir);
    if (!model) qFatal("loading %s: %s", dir.c_str(), model.error().message.c_str());
    return std::move(*model);
}

// One sequence of the batch: its state, the token it feeds next, and its twin that runs alone.
struct Sequence {
    State state;
    State alone;
    TokenId next;
};

// A sequence whose history is `length` tokens of the golden prompt repeated (0: a fresh state fed BOS first), then,
// if `position` is set, moved there (the values stay those of the shorter history: both twins hold the same ones).
Sequence makeSequence(const Model& model, Runtime& runtime, const std::vector<int>& prompt, int64_t length,
                      int64_t position = -1) {
    State state = model.newState();
    TokenId next = 2;  // BOS
    if (length > 0) {
        std::vector<TokenId> history;
        while (static_cast<int64_t>(history.size()) < length) {
            history.insert(history.end(), prompt.begin(), prompt.end());
        }
        history.resize(static_cast<std::size_t>(length));
        std::vector<float> logits;
        if (!model.forward(runtime, state, history, LogitsMode::Last, logits)) qFatal("prefill failed");
        next = argmax(logits.data(), model.config().vocabSize);
    }
    if (position >= 0) state.position = position;
    State alone = state.fork();
    return {std::move(state), std::move(alone), next};
}

}  // namespace

class TestBatch : public QObject {
    Q_OBJECT

  private slots:
    // Every golden case as stored (F32, BF16) and quantized to int8, and the f32 case rounded to F16: every weight
    // dtype, at every kernel level (the ones this CPU lacks skip).
    void batchEqualsAlone_data() {
        QTest::addColumn<QString>("caseName");
        QTest::addColumn<QString>("copy");  // "", "int8" or "f16"
        QTest::addColumn<Isa>("isa");
        QTest::addColumn<int>("width");  // sequences in the batch: up to kMaxDecodeColumns, and more
        for (const QString& name : goldenCaseNames()) {
            QStringList copies{"", "int8"};
            if (name == "tiny-f32") copies << "f16";
            for (const QString& copy : copies) {
                for (Isa isa : kAllLevels) {
                    if (copy.isEmpty()) {
                        const QString row = QString("%1 %2 wide").arg(name, isaName(isa).data());
                        QTest::newRow(qPrintable(row)) << name << copy << isa << 10;
                    }
                    const QString row =
                        QString("%1%2 %3").arg(name, copy.isEmpty() ? "" : "-" + copy, isaName(isa).data());
                    QTest::newRow(qPrintable(row)) << name << copy << isa << 5;
                }
            }
        }
    }
    void batchEqualsAlone() {
        QFETCH(QString, caseName);
        QFETCH(QString, copy);
        QFETCH(Isa, isa);
        QFETCH(int, width);
        if (!isaSupported(isa)) QSKIP("this CPU cannot run this kernel level (AVX-512 levels need AVX-512 hardware)");
        const GoldenCase golden = loadGoldenCase(caseName);
        QTemporaryDir dir;
        std::filesystem::path modelDir = golden.directory.toStdString();
        if (copy == "int8") {
            const std::filesystem::path out = dir.filePath("int8").toStdString();
            QVERIFY(quantizeCheckpointInt8(modelDir, out).has_value());
            modelDir = out;
        } else if (copy == "f16") {
            QVERIFY(rctest::writeF16Copy(golden.directory, dir.path()));
            modelDir = dir.path().toStdString();
        }
        const auto model = loadModel(modelDir);
        Runtime runtime(2);
        runtime.impl().kernels = &matmulKernels(isa);
        const int64_t window = model->config().attentionWindow, vocab = model->config().vocabSize;

        std::vector<Sequence> sequences;
        sequences.push_back(makeSequence(*model, runtime, golden.promptIds, 3));
        sequences.push_back(makeSequence(*model, runtime, golden.promptIds, 2 * window + 5));
        sequences.push_back(makeSequence(*model, runtime, golden.promptIds, 0));
        sequences.push_back(makeSequence(*model, runtime, golden.promptIds, window - 1));
        sequences.push_back(makeSequence(*model, runtime, golden.promptIds, window + 2, 80'000));
        for (int64_t extra = 1; static_cast<int>(sequences.size()) < width; ++extra) {
            sequences.push_back(makeSequence(*model, runtime, golden.promptIds, extra * 3));
        }
        const std::size_t count = sequences.size();

        std::vector<float> batchLogits, aloneLogits;
        std::vector<State*> states;
        std::vector<TokenId> tokens(count);
        for (Sequence& s : sequences) states.push_back(&s.state);
        float worst = 0.0f;
        for (int64_t step = 0; step < 2 * window + 3; ++step) {  // past two wraps of every ring buffer
            for (std::size_t b = 0; b < count; ++b) tokens[b] = sequences[b].next;
            QVERIFY(model->forwardBatch(runtime, states, tokens, batchLogits).has_value());
            QCOMPARE(batchLogits.size(), count * static_cast<std::size_t>(vocab));
            for (std::size_t b = 0; b < count; ++b) {
                Sequence& s = sequences[b];
                const TokenId one[] = {s.next};
                QVERIFY(model->forward(runtime, s.alone, one, LogitsMode::Last, aloneLogits).has_value());
                const float* row = batchLogits.data() + b * static_cast<std::size_t>(vocab);
                const float diff = maxAbsDiff(row, aloneLogits.data(), static_cast<std::size_t>(vocab));
                worst = std::max(worst, diff);
                QVERIFY2(diff <= kTolerance, qPrintable(QString("step %1, sequence %2 at position %3: max |diff| %4")
                                                            .arg(step)
                                                            .arg(b)
                                                            .arg(s.alone.position - 1)
                                                            .arg(diff)));
                const TokenId greedy = argmax(aloneLogits.data(), vocab);
                QCOMPARE(argmax(row, vocab), greedy);
                QCOMPARE(s.state.position, s.alone.position);
                s.next = greedy;
            }
        }
        qInfo("largest |batch - alone| logit difference: %g", static_cast<double>(worst));
        if (isa != Isa::Portable && copy != "f16" && width <= kMaxDecodeColumns) QCOMPARE(worst, 0.0f);
    }

    // A batch of one is forward() of one token, bit for bit.
    void batchOfOneIsForward() {
        const GoldenCase golden = loadGoldenCase(goldenCaseNames().front());
        const auto model = loadModel(golden.directory.toStdString());
        Runtime runtime(2);
        Sequence s = makeSequence(*model, runtime, golden.promptIds, 11);
        State* states[] = {&s.state};
        const TokenId one[] = {s.next};
        std::vector<float> batch, alone;
        QVERIFY(model->forwardBatch(runtime, states, one, batch).has_value());
        QVERIFY(model->forward(runtime, s.alone, one, LogitsMode::Last, alone).has_value());
        QVERIFY(batch == alone);
    }

    // Mismatched sizes, a state given twice, a token outside the vocabulary: an error, and no state changed.
    void rejectsBadBatches() {
        const GoldenCase golden = loadGoldenCase(goldenCaseNames().front());
        const auto model = loadModel(golden.directory.toStdString());
        Runtime runtime(1);
        State a = model->newState(), b = model->newState();
        std::vector<float> logits;
        State* two[] = {&a, &b};
        State* twice[] = {&a, &a};
        const TokenId oneToken[] = {2};
        const TokenId good[] = {2, 3};
        const TokenId outside[] = {2, static_cast<TokenId>(model->config().vocabSize)};
        QVERIFY(!model->forwardBatch(runtime, two, oneToken, logits).has_value());
        QVERIFY(!model->forwardBatch(runtime, twice, good, logits).has_value());
        QVERIFY(!model->forwardBatch(runtime, two, outside, logits).has_value());
        QVERIFY(!model->forwardBatch(runtime, {}, {}, logits).has_value());
        QCOMPARE(a.position, int64_t{0});
        QCOMPARE(b.position, int64_t{0});
        QVERIFY(model->forwardBatch(runtime, two, good, logits).has_value());
        QCOMPARE(a.position, int64_t{1});
        QCOMPARE(b.position, int64_t{1});
    }
};

QTEST_GUILESS_MAIN(TestBatch)
#include "test_batch.moc"
