// test_q4_checkpoint.cpp — the loader on 4-bit (Q4K) checkpoints that are broken or hostile (docs/checkpoint-format.md
// §7): a U8 tensor without the layout's version or with another one, headers missing, of another dtype or shape,
// nibbles of the wrong shape, U8 where only floats or int8 may be, a truncated file; each is a clear error naming
// what failed. Headers whose f16 units are NaN or infinite load and give non-finite logits at every kernel level,
// never a crash. The copies are edited from a real `quantizeCheckpoint(..., Q4K)` of the tiny golden model.
// The engine's internal headers include oneTBB, which must come before Qt defines its `emit` macro.
#include "io/safetensors.h"
#include "kernels/matmul_kernels.h"
#include "kernels/q4_format.h"
#include "rgemma/checkpoint.h"
#include "runtime/runtime_impl.h"

// Qt after oneTBB.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "rgemma/model.h"
#include "safetensors_writer.h"

using namespace rgemma;
using rctest::TensorBlob;

namespace {

const QString kTiny = QStringLiteral(RC_TEST_DATA_DIR) + "/tiny-f32";
// A dense layer past layer 0 (4-bit in the mixed scheme), with in = 96: one short super-block per row.
const std::string kMatrix = "model.layers.1.mlp_block.gate_proj.weight";
const SafetensorsMetadata kVersion{{std::string(kQ4LayoutKey), std::string(kQ4LayoutVersion)}};

TensorBlob* blobNamed(std::vector<TensorBlob>& blobs, const std::string& name) {
    for (TensorBlob& blob : blobs) {
        if (blob.name == name) return &blob;
    }
    qFatal("no tensor %s", name.c_str());
}

}  // namespace

class TestQ4Checkpoint : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::vector<TensorBlob> m_blobs;  // the tensors of tiny-f32's Q4K copy

    // A checkpoint folder of `blobs` with `metadata`, and tiny-f32's config.
    QString writeFolder(const QString& name, const std::vector<TensorBlob>& blobs,
                        const SafetensorsMetadata& metadata = kVersion) {
        const QString dir = m_dir.filePath(name);
        QDir().mkpath(dir);
        if (!rctest::writeFile(dir + "/model.safetensors", rctest::serializeSafetensors(blobs, metadata)) ||
            !QFile::copy(kTiny + "/config.json", dir + "/config.json")) {
            qFatal("cannot write %s", qPrintable(dir));
        }
        return dir;
    }

    // Model::load's error on the folder, which must fail, with `code` and a message containing every one of `parts`.
    void expectRefused(const QString& dir, ErrorCode code, std::initializer_list<const char*> parts) {
        auto model = Model::load(dir.toStdString());
        QVERIFY2(!model.has_value(), qPrintable(dir));
        const std::string& message = model.error().message;
        QVERIFY2(model.error().code == code, message.c_str());
        for (const char* part : parts) QVERIFY2(message.find(part) != std::string::npos, message.c_str());
    }

  private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const std::filesystem::path out = m_dir.filePath("q4k").toStdString();
        auto report = quantizeCheckpoint(kTiny.toStdString(), out, QuantizeFormat::Q4K);
        QVERIFY2(report.has_value(), report ? "" : report.error().message.c_str());
        auto file = SafetensorsFile::open(out / "model.safetensors");
        QVERIFY(file.has_value());
        for (const TensorView& view : file->tensors) m_blobs.push_back(rctest::blobOf(view));
        QVERIFY(blobNamed(m_blobs, kMatrix)->dtype == "U8");
        // As written (with the layout's version), it loads.
        QVERIFY(Model::load(writeFolder("as-written", m_blobs).toStdString()).has_value());
    }

    // The parser: U8 only in a file whose metadata names the layout's version this engine reads.
    void layoutVersionIsRequired() {
        expectRefused(writeFolder("no-version", m_blobs, {{"format", "pt"}}), ErrorCode::InvalidCheckpoint,
                      {"4-bit layout version 1", "rgemma_q4k", "found none"});
        expectRefused(writeFolder("version-2", m_blobs, {{std::string(kQ4LayoutKey), "2"}}),
                      ErrorCode::InvalidCheckpoint, {"4-bit layout version 1", "found '2'"});
    }

    void headersMissing() {
        std::vector<TensorBlob> blobs = m_blobs;
        std::erase_if(blobs, [](const TensorBlob& b) { return b.name == kMatrix + "_scale"; });
        expectRefused(writeFolder("no-headers", blobs), ErrorCode::InvalidCheckpoint,
                      {"has no tensor", "gate_proj.weight_scale", "4-bit headers"});
    }

    // Headers as F32 of the same bytes: the dtype is checked, not guessed from the size.
    void headersOfAnotherDtype() {
        std::vector<TensorBlob> blobs = m_blobs;
        TensorBlob* headers = blobNamed(blobs, kMatrix + "_scale");
        headers->dtype = "F32";
        headers->shape = {headers->shape[0], headers->shape[1], 4};
        expectRefused(writeFolder("f32-headers", blobs), ErrorCode::InvalidCheckpoint,
                      {"gate_proj.weight_scale", "is F32", "U8"});
    }

    void headersOfAnotherShape() {
        std::vector<TensorBlob> blobs = m_blobs;
        TensorBlob* headers = blobNamed(blobs, kMatrix + "_scale");
        headers->shape = {headers->shape[0], 2, 8};  // the same bytes, another layout
        expectRefused(writeFolder("headers-shape", blobs), ErrorCode::InvalidConfig,
                      {"gate_proj.weight_scale", "expected [288, 1, 16]", "found [288, 2, 8]"});
        // One header short per row, the data cut to match.
        blobs = m_blobs;
        headers = blobNamed(blobs, kMatrix + "_scale");
        headers->shape = {headers->shape[0] - 1, 1, 16};
        headers->data.chop(16);
        expectRefused(writeFolder("headers-short", blobs), ErrorCode::InvalidConfig, {"found [287, 1, 16]"});
    }

    // Nibbles shaped as the float matrix (one byte per value) are not the layout: a shape error.
    void nibblesOfAnotherShape() {
        std::vector<TensorBlob> blobs = m_blobs;
        TensorBlob* nibbles = blobNamed(blobs, kMatrix);
        nibbles->shape = {nibbles->shape[0], nibbles->shape[1] * 2};
        nibbles->data.append(nibbles->data);
        expectRefused(writeFolder("nibbles-shape", blobs), ErrorCode::InvalidConfig,
                      {"gate_proj.weight'", "expected [288, 48]", "found [288, 96]"});
    }

    // U8 where the role may not be 4-bit: the embedding (its lookup and the output layer stay 8-bit or float), a
    // norm, an I8 matrix's scales.
    void u8OutsideDenseLayers() {
        std::vector<TensorBlob> blobs = m_blobs;
        TensorBlob* embedding = blobNamed(blobs, std::string(kEmbeddingTensor));
        embedding->dtype = "U8";  // I8 [V, D] as U8: the same bytes
        expectRefused(writeFolder("u8-embedding", blobs), ErrorCode::InvalidCheckpoint,
                      {"model.embed_tokens.weight", "only dense layers' weights may be 4-bit"});
        blobs = m_blobs;
        TensorBlob* norm = blobNamed(blobs, "model.final_norm.weight");
        norm->dtype = "U8";
        norm->data.truncate(norm->data.size() / 4);
        expectRefused(writeFolder("u8-norm", blobs), ErrorCode::InvalidCheckpoint,
                      {"model.final_norm.weight", "4-bit"});
    }

    // A file cut inside the nibbles: the parser's offsets check names the tensor past the end.
    void truncatedFile() {
        const QByteArray whole = rctest::serializeSafetensors(m_blobs, kVersion);
        const QString dir = m_dir.filePath("truncated");
        QDir().mkpath(dir);
        QVERIFY(rctest::writeFile(dir + "/model.safetensors", whole.left(whole.size() * 2 / 3)));
        QVERIFY(QFile::copy(kTiny + "/config.json", dir + "/config.json"));
        expectRefused(dir, ErrorCode::InvalidCheckpoint, {"model.safetensors", "data_offsets"});
    }

    // Headers are data, not sizes: NaN and infinite units load, and the logits they reach are non-finite, at every
    // level, in prefill and decode, without a crash or a read outside the tensors (ASan in the sanitizer run).
    void hostileHeaderUnits() {
        std::vector<TensorBlob> blobs = m_blobs;
        QByteArray& headers = blobNamed(blobs, kMatrix + "_scale")->data;
        for (qsizetype h = 0; h < headers.size(); h += kQ4HeaderBytes) {
            headers[h + 0] = 0x00;  // d = +inf (0x7C00)
            headers[h + 1] = 0x7C;
            headers[h + 2] = 0x01;  // dmin = NaN (0x7C01)
            headers[h + 3] = 0x7C;
            headers[h + 4] = static_cast<char>(0xFF);  // every 6-bit scale and min at its largest
        }
        auto model = Model::load(writeFolder("hostile-units", blobs).toStdString());
        QVERIFY2(model.has_value(), model ? "" : model.error().message.c_str());
        const std::vector<TokenId> prompt{2, 17, 300, 5};
        Runtime runtime(2);
        for (Isa isa : {Isa::Portable, Isa::Avx2, Isa::Avx512, Isa::Avx512Vnni, Isa::Avx512Bf16}) {
            if (!isaSupported(isa)) continue;
            runtime.impl().kernels = &matmulKernels(isa);
            State state = (*model)->newState();
            std::vector<float> logits;
            QVERIFY((*model)->forward(runtime, state, prompt, LogitsMode::AllPositions, logits).has_value());
            QVERIFY((*model)->forward(runtime, state, std::span(prompt).first(1), LogitsMode::Last, logits));
            QVERIFY2(std::any_of(logits.begin(), logits.end(), [](float v) { return !std::isfinite(v); }),
                     isaName(isa).data());
        }
    }
};

QTEST_GUILESS_MAIN(TestQ4Checkpoint)
#include "test_q4_checkpoint.moc"
