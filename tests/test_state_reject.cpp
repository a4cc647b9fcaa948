// test_state_reject — a state file that is truncated (at every byte of a tiny one, at every section boundary of
// each golden model's), has a flipped byte, the wrong version, belongs to another model of the same shape, or
// declares absurd sizes under a valid checksum: each is rejected with an error naming the file and the problem.
// Engine internal headers come before Qt, the rule for all of them: some include oneTBB, which Qt's `emit` breaks.
#include "io/xxhash64.h"
#include "state/state_file_format.h"

// Qt after oneTBB.
#include <QTemporaryDir>
#include <QtTest>
#include <climits>
#include <cstring>

#include "state_test_support.h"

using namespace rgemma;
using namespace rctest;

namespace {

// Overwrites a little-endian value at `offset` and recomputes the checksum, as a hostile writer would.
template <class T>
std::string forged(std::string bytes, std::size_t offset, T value) {
    std::memcpy(bytes.data() + offset, &value, sizeof value);
    const uint64_t sum = xxh64(bytes.data(), bytes.size() - 8);
    std::memcpy(bytes.data() + bytes.size() - 8, &sum, 8);
    return bytes;
}

// Offsets of the header fields after the two length-prefixed strings.
struct HeaderOffsets {
    std::size_t engineVersionLength = 20, fingerprint, position, layers, window, headDim, lru, conv, sections;
};

HeaderOffsets headerOffsets(const std::string& bytes) {
    HeaderOffsets h;
    uint16_t length = 0;
    std::memcpy(&length, bytes.data() + 20, 2);
    h.fingerprint = 22 + length;
    std::memcpy(&length, bytes.data() + h.fingerprint, 2);
    h.position = h.fingerprint + 2 + length;
    h.layers = h.position + 8;
    h.window = h.layers + 4;
    h.headDim = h.window + 4;
    h.lru = h.headDim + 4;
    h.conv = h.lru + 4;
    h.sections = h.conv + 4;
    return h;
}

}  // namespace

class TestStateReject : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

    void expectRejected(const std::string& bytes, const Model& model, const char* expected, const char* label) {
        auto state = deserializeState(bytes, model, "test.rgstate");
        QVERIFY2(!state.has_value(), label);
        QCOMPARE(state.error().code, ErrorCode::InvalidState);
        const std::string& message = state.error().message;
        QVERIFY2(message.find("test.rgstate") != std::string::npos, message.c_str());
        QVERIFY2(message.find(expected) != std::string::npos, (std::string(label) + ": " + message).c_str());
    }

  private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // Every prefix of a tiny state file, and every section boundary of each golden model's, is rejected.
    void truncated() {
        for (const QString& name : kStateTestModels) {
            const auto model = loadModel(name);
            const std::string bytes = stateBytes(*model, 20);
            auto parsed = state_format::parseStateFile(bytes, "test.rgstate");
            QVERIFY(parsed.has_value());
            std::vector<std::size_t> cuts{
                0, 1, 8, 12, 20, headerOffsets(bytes).sections, bytes.size() - 8, bytes.size() - 1};
            for (const auto& section : parsed->sections) {
                cuts.push_back(section.offset);
                cuts.push_back(static_cast<std::size_t>(section.second.data() - bytes.data()));
            }
            if (name == "tiny-f32") {
                for (std::size_t cut = 0; cut < bytes.size(); ++cut) cuts.push_back(cut);
            }
            for (std::size_t cut : cuts) expectRejected(bytes.substr(0, cut), *model, "truncated", "truncated");
        }
    }

    // Any single flipped byte is caught: in the magic, the version, the length, or by the checksum.
    void flippedByte() {
        const auto model = loadModel("tiny-f32");
        const std::string bytes = stateBytes(*model, 11);
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            std::string damaged = bytes;
            damaged[i] = static_cast<char>(damaged[i] ^ 0x10);
            const char* expected = i < 8    ? "not a state file"
                                   : i < 12 ? "format version"
                                   : i < 20 ? "bytes"
                                            : "checksum";
            expectRejected(damaged, *model, expected, qPrintable(QString("byte %1").arg(i)));
        }
    }

    void wrongVersion() {
        const auto model = loadModel("tiny-f32");
        expectRejected(forged<uint32_t>(stateBytes(*model, 5), 8, 2), *model, "format version 2", "version");
        expectRejected(forged<uint32_t>(stateBytes(*model, 5), 8, 0), *model, "format version 0", "version");
    }

    // tiny-bf16 has tiny-f32's shape but other weights.
    void otherModel() {
        const auto f32 = loadModel("tiny-f32");
        const auto bf16 = loadModel("tiny-bf16");
        const QString file = path("bf16.rgstate");
        Runtime runtime(2);
        State state = bf16->newState();
        std::vector<float> logits;
        QVERIFY(bf16->forward(runtime, state, promptOf(9), LogitsMode::None, logits).has_value());
        QVERIFY(saveStateFile(file.toStdString(), state, *bf16).has_value());
        QVERIFY(loadStateFile(file.toStdString(), *bf16).has_value());
        auto foreign = loadStateFile(file.toStdString(), *f32);
        QVERIFY(!foreign.has_value());
        QCOMPARE(foreign.error().code, ErrorCode::InvalidState);
        QVERIFY2(foreign.error().message.find("another model") != std::string::npos, foreign.error().message.c_str());
    }

    // A well-sealed file whose sizes lie: rejected before anything is allocated by them.
    void absurdSizes() {
        const auto model = loadModel("tiny-f32");
        const std::string bytes = stateBytes(*model, 12);
        const HeaderOffsets h = headerOffsets(bytes);
        expectRejected(forged<uint16_t>(bytes, h.engineVersionLength, 0xFFFF), *model, "engine version length", "ev");
        expectRejected(forged<uint16_t>(bytes, h.fingerprint, 0xFFFF), *model, "fingerprint length", "fp");
        expectRejected(forged<int64_t>(bytes, h.position, -1), *model, "position -1", "position");
        expectRejected(forged<int64_t>(bytes, h.position, INT64_MAX), *model, "out of range", "position");
        expectRejected(forged<int64_t>(bytes, h.position, 3), *model, "row count", "slots vs position");
        expectRejected(forged<uint32_t>(bytes, h.layers, 0xFFFFFFFF), *model, "layer count", "layers");
        expectRejected(forged<uint32_t>(bytes, h.layers, 4000), *model, "layer count", "layers");
        expectRejected(forged<uint32_t>(bytes, h.window, 0x7FFFFFFF), *model, "attention window", "window");
        expectRejected(forged<uint32_t>(bytes, h.headDim, 1u << 20), *model, "row width", "head_dim");
        expectRejected(forged<uint32_t>(bytes, h.lru, 0), *model, "lru_width 0", "lru");
        expectRejected(forged<uint32_t>(bytes, h.conv, 1000), *model, "conv1d_width", "conv");
        const std::size_t first = h.sections;
        expectRejected(forged<uint32_t>(bytes, first, 0x12345678), *model, "unknown type tag", "tag");
        expectRejected(forged<uint32_t>(bytes, first + 4, 7), *model, "labelled layer 7", "index");
        expectRejected(forged<uint32_t>(bytes, first + 8, 0xFFFFFFFF), *model, "row count", "rows");
        expectRejected(forged<uint32_t>(bytes, first + 12, 0xFFFFFFFF), *model, "row width", "width");
        std::string trailing = bytes;
        trailing.insert(trailing.size() - 8, "xyz");
        expectRejected(forged<uint64_t>(trailing, 12, trailing.size()), *model, "unexpected bytes", "trailing");
        expectRejected(bytes + "tail", *model, "trailing data", "appended");
        expectRejected(forged<uint64_t>(bytes, 12, 1ull << 62), *model, "truncated", "length");
        expectRejected(std::string(), *model, "truncated", "empty");
        expectRejected(std::string(5000, 'x'), *model, "not a state file", "garbage");

        // A consistent file of another shape, its fingerprint forged to this model's: the shape check catches it.
        const auto other = loadModel("2b-shape-bf16");
        std::string shaped = stateBytes(*other, 12);
        const std::string& fingerprint = model->info().fingerprint;
        std::memcpy(shaped.data() + headerOffsets(shaped).fingerprint + 2, fingerprint.data(), fingerprint.size());
        expectRejected(forged<uint8_t>(shaped, 0, 'R'), *model, "layer count is 6 but the model's is 5", "shape");
    }
};

QTEST_GUILESS_MAIN(TestStateReject)
#include "test_state_reject.moc"
