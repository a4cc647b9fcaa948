// test_state_file — conversation state on disk: a saved and reloaded state continues bit-for-bit like the live
// one (before the window is full, right after the ring buffer wraps, after a long prompt) on every golden model;
// the hash and the model fingerprint; saves replace files atomically, and a failed one keeps the old file.
// Rejections: test_state_reject. A writer killed mid-save: test_state_crash.
// Engine internal headers come before Qt, the rule for all of them: some include oneTBB, which Qt's `emit` breaks.
#include <sys/resource.h>

#include "io/xxhash64.h"
#include "state/model_fingerprint.h"

// Qt after oneTBB.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <cstring>

#include "file_bytes.h"
#include "rgemma/generate.h"
#include "state_test_support.h"

using namespace rgemma;
using namespace rctest;

namespace {

TokenId argmax(const std::vector<float>& logits) {
    return static_cast<TokenId>(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

// Greedy decoding by hand, keeping every step's logits. When saveAt is set, the state is saved to `file` and
// replaced by the loaded copy just before the token of step saveAt is fed (so the file holds everything before
// the last sampled token, as `generate --state-out` saves it).
struct Trace {
    std::vector<TokenId> tokens;
    std::vector<std::vector<float>> logits;
    int64_t positionAtSave = -1;
};

Trace greedyTrace(const Model& model, std::span<const TokenId> prompt, int steps, int saveAt = -1,
                  const QString& file = {}) {
    Runtime runtime(2);
    State state = model.newState();
    std::vector<float> logits;
    Trace trace;
    if (!model.forward(runtime, state, prompt, LogitsMode::Last, logits)) qFatal("prefill failed");
    for (int step = 0; step < steps; ++step) {
        trace.logits.push_back(logits);
        trace.tokens.push_back(argmax(logits));
        if (step == saveAt) {
            trace.positionAtSave = state.position;
            if (auto saved = saveStateFile(file.toStdString(), state, model); !saved)
                qFatal("%s", saved.error().message.c_str());
            auto loaded = loadStateFile(file.toStdString(), model);
            if (!loaded) qFatal("%s", loaded.error().message.c_str());
            state = std::move(*loaded);
        }
        const TokenId one[] = {trace.tokens.back()};
        if (!model.forward(runtime, state, one, LogitsMode::Last, logits)) qFatal("decode failed");
    }
    return trace;
}

bool sameBits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

}  // namespace

class TestStateFile : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

  private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void xxh64KnownAnswers() {
        QCOMPARE(xxh64(""), 0xEF46DB3751D8E999ull);
        QCOMPARE(xxh64("a"), 0xD24EC4F1A98C6E5Bull);
        QCOMPARE(xxh64("abc"), 0x44BC2CF5AD770999ull);
        QCOMPARE(xxh64("1234"), 0xD8316E61D84F6BA4ull);
        QCOMPARE(xxh64("1234567890123456"), 0xB61C33DC6C59F270ull);
        QCOMPARE(xxh64("1234567890123456789012345678901"), 0x8F367CB873A5376Eull);
        QCOMPARE(xxh64("12345678901234567890123456789012"), 0x40FD1AA52D98274Cull);
        QCOMPARE(xxh64("The quick brown fox jumps over the lazy dog"), 0x0B242D361FDA71BCull);
        // xxHash's own sanity vectors (cli/xsum_sanity_check.c): its generated buffer, seeds 0 and PRIME32_1.
        std::string buffer(222, '\0');
        uint64_t generator = 2654435761u;
        for (char& byte : buffer) {
            byte = static_cast<char>(generator >> 56);
            generator *= 11400714785074694797ull;
        }
        const uint64_t prime = 2654435761u;
        QCOMPARE(xxh64(buffer.data(), 0, prime), 0xAC75FDA2929B17EFull);
        QCOMPARE(xxh64(buffer.data(), 1, 0), 0xE934A84ADB052768ull);
        QCOMPARE(xxh64(buffer.data(), 1, prime), 0x5014607643A9B4C3ull);
        QCOMPARE(xxh64(buffer.data(), 4, 0), 0x9136A0DCA57457EEull);
        QCOMPARE(xxh64(buffer.data(), 14, 0), 0x8282DCC4994E35C8ull);
        QCOMPARE(xxh64(buffer.data(), 14, prime), 0xC3BD6BF63DEB6DF0ull);
        QCOMPARE(xxh64(buffer.data(), 222, 0), 0xB641AE8CB691C174ull);
        QCOMPARE(xxh64(buffer.data(), 222, prime), 0x20CB8AB7AE10C14Aull);
        // Streaming in uneven pieces gives the one-shot digest.
        const std::string text(1000, 'x');
        Xxh64 pieces(7);
        for (std::size_t at = 0, step = 1; at < text.size(); at += step, step = step * 2 % 61 + 1) {
            pieces.update(text.data() + at, std::min(step, text.size() - at));
        }
        QCOMPARE(pieces.digest(), xxh64(text, 7));
    }

    // Stable across loads, distinct across checkpoints of the same shape.
    void fingerprint() {
        const auto f32 = loadModel("tiny-f32");
        const auto again = loadModel("tiny-f32");
        const auto bf16 = loadModel("tiny-bf16");
        QCOMPARE(f32->info().fingerprint.size(), std::size_t{32});
        QCOMPARE(f32->info().fingerprint, again->info().fingerprint);
        QVERIFY(f32->info().fingerprint != bf16->info().fingerprint);

        // Same config and dtype, every weight scaled by 1.001: another checkpoint of the same shape.
        const QString copy = path("tiny-f32-changed");
        QVERIFY(QDir().mkpath(copy));
        const QString source = QStringLiteral(RC_TEST_DATA_DIR "/tiny-f32/");
        for (const char* name : {"config.json", "tokenizer.model"})
            QVERIFY(QFile::copy(source + name, copy + "/" + name));
        QByteArray weights = readAll(source + "model.safetensors");
        QFile out(copy + "/model.safetensors");
        uint64_t headerLength = 0;
        std::memcpy(&headerLength, weights.constData(), 8);
        for (qsizetype i = static_cast<qsizetype>(8 + headerLength); i + 4 <= weights.size(); i += 4) {
            float value;
            std::memcpy(&value, weights.constData() + i, 4);
            value *= 1.001f;
            std::memcpy(weights.data() + i, &value, 4);
        }
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(weights);
        out.close();
        const auto changed = loadModel(copy);
        QVERIFY(changed->info().fingerprint != f32->info().fingerprint);
        QCOMPARE(computeModelFingerprint(f32->config(), f32->store()), f32->info().fingerprint);
    }

    // The test: generate, save, load, generate more == one run, tokens and logits to the bit.
    void continuationIsBitIdentical_data() {
        QTest::addColumn<QString>("modelName");
        QTest::addColumn<int>("promptLength");
        QTest::addColumn<int>("saveAt");
        QTest::addColumn<int>("steps");
        for (const QString& name : kStateTestModels) {
            const int window = name.startsWith("tiny") ? 8 : 16;
            QTest::newRow(qPrintable(name + " 20+20 after a long prompt")) << name << 40 << 19 << 40;
            QTest::newRow(qPrintable(name + " before the window is full")) << name << 3 << 0 << 40;
            QTest::newRow(qPrintable(name + " right after the ring wrapped")) << name << window << 1 << 40;
            QTest::newRow(qPrintable(name + " window exactly full")) << name << window - 1 << 1 << 30;
        }
    }
    void continuationIsBitIdentical() {
        QFETCH(QString, modelName);
        QFETCH(int, promptLength);
        QFETCH(int, saveAt);
        QFETCH(int, steps);
        const auto model = loadModel(modelName);
        const auto prompt = promptOf(static_cast<std::size_t>(promptLength));
        const QString file = path(modelName + QString("-%1-%2.rgstate").arg(promptLength).arg(saveAt));
        const Trace direct = greedyTrace(*model, prompt, steps);
        const Trace resumed = greedyTrace(*model, prompt, steps, saveAt, file);
        QCOMPARE(resumed.positionAtSave, int64_t{promptLength + saveAt});
        QCOMPARE(resumed.tokens, direct.tokens);
        for (int i = 0; i < steps; ++i) {
            QVERIFY2(sameBits(resumed.logits[i], direct.logits[i]), qPrintable(QString("step %1").arg(i)));
        }

        // Only the filled slots are stored.
        auto info = inspectStateFile(file.toStdString());
        QVERIFY(info.has_value());
        const int64_t window = model->config().attentionWindow;
        QCOMPARE(info->attentionSlotsStored, std::min(resumed.positionAtSave, window));
        const uint64_t full = serializeState(model->newState(), *model).size() +
                              static_cast<uint64_t>(info->attentionLayers * 2 * window * model->config().headDim * 4);
        if (resumed.positionAtSave < window) QVERIFY(info->fileBytes < full);
        if (resumed.positionAtSave >= window) QCOMPARE(info->fileBytes, full);
    }

    // The same through generate(): 20 tokens, save, load, 20 more (feeding the unfed 20th) == 40 in one go.
    void generateTwentyPlusTwenty_data() {
        QTest::addColumn<QString>("modelName");
        for (const QString& name : kStateTestModels) QTest::newRow(qPrintable(name)) << name;
    }
    void generateTwentyPlusTwenty() {
        QFETCH(QString, modelName);
        const auto model = loadModel(modelName);
        Runtime runtime(2);
        SamplerSettings greedy;
        greedy.greedy = true;
        GenerateOptions options;
        options.stopAtEndOfTurn = false;
        const auto prompt = promptOf(12);

        State whole = model->newState();
        Sampler sampler(greedy);
        options.maxNewTokens = 40;
        auto all = generate(*model, runtime, whole, prompt, sampler, options);
        QVERIFY(all.has_value());

        State first = model->newState();
        options.maxNewTokens = 20;
        auto head = generate(*model, runtime, first, prompt, sampler, options);
        QVERIFY(head.has_value());
        const QString file = path(modelName + "-generate.rgstate");
        QVERIFY(saveStateFile(file.toStdString(), first, *model).has_value());
        auto loaded = loadStateFile(file.toStdString(), *model);
        QVERIFY2(loaded.has_value(), loaded ? "" : loaded.error().message.c_str());
        QCOMPARE(loaded->position, first.position);
        const TokenId last[] = {head->tokens.back()};
        auto tail = generate(*model, runtime, *loaded, last, sampler, options);
        QVERIFY(tail.has_value());

        std::vector<TokenId> joined = head->tokens;
        joined.insert(joined.end(), tail->tokens.begin(), tail->tokens.end());
        QCOMPARE(joined, all->tokens);
        QCOMPARE(loaded->position, whole.position);
        for (std::size_t i = 0; i < whole.layers.size(); ++i) {
            const LayerState& a = whole.layers[i];
            const LayerState& b = loaded->layers[i];
            QVERIFY(sameBits(a.recurrent.conv, b.recurrent.conv) && sameBits(a.recurrent.h, b.recurrent.h));
            QVERIFY(sameBits(a.attention.keys, b.attention.keys) && sameBits(a.attention.values, b.attention.values));
        }
    }

    void missingFileAndFolder() {
        const auto model = loadModel("tiny-f32");
        auto missing = loadStateFile(path("no-such.rgstate").toStdString(), *model);
        QVERIFY(!missing.has_value());
        QCOMPARE(missing.error().code, ErrorCode::Io);
        QVERIFY(missing.error().message.find("No such file") != std::string::npos);

        const std::string target = path("no-such-folder/state.rgstate").toStdString();
        auto saved = saveStateFile(target, model->newState(), *model);
        QVERIFY(!saved.has_value());
        QCOMPARE(saved.error().code, ErrorCode::Io);
        QVERIFY2(saved.error().message.find(target) != std::string::npos, saved.error().message.c_str());

        // A state of another layout is refused, not written.
        const auto other = loadModel("2b-shape-bf16");
        QVERIFY(!saveStateFile(path("mismatch.rgstate").toStdString(), other->newState(), *model).has_value());
        QVERIFY(!QFile::exists(path("mismatch.rgstate")));
    }

    // Saving replaces the old file and leaves no temporary behind.
    void saveReplacesAtomically() {
        const auto model = loadModel("tiny-f32");
        QTemporaryDir dir;
        const std::string file = dir.filePath("s.rgstate").toStdString();
        Runtime runtime(1);
        State state = model->newState();
        std::vector<float> logits;
        for (int round = 0; round < 3; ++round) {
            QVERIFY(model->forward(runtime, state, promptOf(4), LogitsMode::None, logits).has_value());
            QVERIFY(saveStateFile(file, state, *model).has_value());
            auto loaded = loadStateFile(file, *model);
            QVERIFY(loaded.has_value());
            QCOMPARE(loaded->position, state.position);
        }
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"s.rgstate"});
        QCOMPARE(QFile::permissions(dir.filePath("s.rgstate")) & (QFile::ReadOther | QFile::WriteOther),
                 QFile::Permissions());
    }

    // A write that fails half-way (here: a file size limit, as a full disk would) is reported with the path and
    // the reason, removes its temporary file and leaves the previous state file as it was.
    void failedWriteKeepsOldFile() {
        const auto model = loadModel("tiny-f32");
        QTemporaryDir dir;
        const std::string file = dir.filePath("s.rgstate").toStdString();
        QVERIFY(saveStateFile(file, model->newState(), *model).has_value());
        const QByteArray before = readAll(dir.filePath("s.rgstate"));

        Runtime runtime(1);
        State longer = model->newState();
        std::vector<float> logits;
        QVERIFY(model->forward(runtime, longer, promptOf(30), LogitsMode::None, logits).has_value());
        rlimit saved{};
        QVERIFY(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);  // write() then fails with EFBIG instead
        rlimit small = saved;
        small.rlim_cur = static_cast<rlim_t>(before.size() + 100);
        QVERIFY(::setrlimit(RLIMIT_FSIZE, &small) == 0);
        auto result = saveStateFile(file, longer, *model);
        ::setrlimit(RLIMIT_FSIZE, &saved);
        std::signal(SIGXFSZ, oldHandler);

        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, ErrorCode::Io);
        QVERIFY2(result.error().message.find(file) != std::string::npos, result.error().message.c_str());
        QVERIFY2(result.error().message.find("File too large") != std::string::npos, result.error().message.c_str());
        QCOMPARE(readAll(dir.filePath("s.rgstate")), before);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"s.rgstate"});
    }
};

QTEST_GUILESS_MAIN(TestStateFile)
#include "test_state_file.moc"
