// test_safetensors — the safetensors parser, the file mapping and the folder/shard index (WeightStore): golden
// checkpoints load exactly as golden.json lists them, and every kind of broken file is rejected with a message
// that names the file, the tensor and the problem.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cstring>
#include <map>

#include "io/dtype_convert.h"
#include "io/mapped_file.h"
#include "io/safetensors.h"
#include "io/weight_store.h"
#include "safetensors_writer.h"

using namespace rgemma;
using rctest::TensorBlob;

namespace {

const QString kDataDir = QStringLiteral(RC_TEST_DATA_DIR);
const QString kShard1 = QStringLiteral("model-00001-of-00002.safetensors");
const QString kShard2 = QStringLiteral("model-00002-of-00002.safetensors");

Result<std::vector<TensorView>> parseBytes(const QByteArray& bytes) {
    return parseSafetensors(
        std::span<const std::byte>(reinterpret_cast<const std::byte*>(bytes.constData()), bytes.size()),
        "mem.safetensors");
}

QString messageOf(const Error& error) { return QString::fromStdString(error.message); }

std::vector<TensorBlob> goldenBlobs(const QString& folder) {
    auto file = SafetensorsFile::open((kDataDir + "/" + folder + "/model.safetensors").toStdString());
    std::vector<TensorBlob> blobs;
    if (file) {
        for (const auto& view : file->tensors) blobs.push_back(rctest::blobOf(view));
    }
    return blobs;
}

// A single-tensor header with the given entry JSON, plus `dataBytes` bytes of data.
QByteArray oneEntry(const std::string& entry, int dataBytes) {
    return rctest::imageFor(R"({"w":)" + entry + "}", QByteArray(dataBytes, '\0'));
}

// The tiny-f32 golden checkpoint split into two shards (alternate tensors), with the matching weight_map.
struct ShardPlan {
    std::map<QString, std::vector<TensorBlob>> shards;
    QJsonObject weightMap;
};

ShardPlan splitGolden() {
    ShardPlan plan;
    const auto blobs = goldenBlobs("tiny-f32");
    for (std::size_t i = 0; i < blobs.size(); ++i) {
        const QString shard = (i % 2 == 0) ? kShard1 : kShard2;
        plan.shards[shard].push_back(blobs[i]);
        plan.weightMap[QString::fromStdString(blobs[i].name)] = shard;
    }
    return plan;
}

bool writePlan(const QString& dir, const ShardPlan& plan, const QString& skipShard = {}) {
    QJsonObject index{{"metadata", QJsonObject{{"total_size", 0}}}, {"weight_map", plan.weightMap}};
    bool ok = rctest::writeFile(dir + "/model.safetensors.index.json", QJsonDocument(index).toJson());
    for (const auto& [name, blobs] : plan.shards) {
        if (name != skipShard) ok = ok && rctest::writeFile(dir + "/" + name, rctest::serializeSafetensors(blobs));
    }
    return ok;
}

}  // namespace

class TestSafetensors : public QObject {
    Q_OBJECT

  private slots:
    void goldenMatchesGoldenJson_data() {
        QTest::addColumn<QString>("folder");
        for (const char* folder : {"tiny-f32", "tiny-bf16", "2b-shape-bf16"}) QTest::newRow(folder) << folder;
    }

    void goldenMatchesGoldenJson() {
        QFETCH(QString, folder);
        const auto golden = QJsonDocument::fromJson(rctest::readAll(kDataDir + "/" + folder + "/golden.json"));
        const QJsonObject expected = golden.object().value("tensors").toObject();
        QVERIFY(!expected.isEmpty());

        auto store = WeightStore::open((kDataDir + "/" + folder).toStdString());
        QVERIFY2(store, store ? "" : store.error().message.c_str());
        const auto tensors = store->tensors();
        QCOMPARE(static_cast<qsizetype>(tensors.size()), expected.size());
        uint64_t total = 0;
        for (const TensorView* tensor : tensors) {
            const QString name = QString::fromStdString(tensor->name);
            QVERIFY2(expected.contains(name), qPrintable(name));
            const QJsonObject info = expected.value(name).toObject();
            QCOMPARE(QString::fromUtf8(dtypeName(tensor->dtype)), info.value("dtype").toString());
            QJsonArray shape;
            for (const int64_t d : tensor->shape) shape.append(static_cast<qint64>(d));
            QCOMPARE(shape, info.value("shape").toArray());
            QCOMPARE(static_cast<qint64>(tensor->byteSize), info.value("bytes").toInteger());
            QCOMPARE(static_cast<uint64_t>(tensor->numel()) * dtypeSize(tensor->dtype), tensor->byteSize);
            QCOMPARE(store->find(tensor->name), tensor);
            total += tensor->byteSize;
        }
        QCOMPARE(store->totalBytes(), total);
        QCOMPARE(store->find("no.such.tensor"), nullptr);
        QCOMPARE(store->files().size(), std::size_t{1});
    }

    // The views must point where the header says; checked against an independent read of the file with QJson.
    void viewsPointAtTheirBytes() {
        const QString path = kDataDir + "/tiny-f32/model.safetensors";
        const QByteArray raw = rctest::readAll(path);
        auto file = SafetensorsFile::open(path.toStdString());
        QVERIFY(file);
        quint64 headerLength = 0;
        std::memcpy(&headerLength, raw.constData(), 8);
        const QJsonObject header = QJsonDocument::fromJson(raw.mid(8, static_cast<qsizetype>(headerLength))).object();
        QCOMPARE(static_cast<qsizetype>(file->tensors.size()), header.size() - 1);  // minus __metadata__
        const auto* base = static_cast<const char*>(static_cast<const void*>(file->file.data()));
        for (const auto& view : file->tensors) {
            const auto begin = header.value(QString::fromStdString(view.name)).toObject()["data_offsets"][0];
            const qint64 offset = 8 + static_cast<qint64>(headerLength) + begin.toInteger();
            QCOMPARE(static_cast<const char*>(view.data) - base, offset);
            QVERIFY(std::memcmp(view.data, raw.constData() + offset, view.byteSize) == 0);
        }
    }

    // The bf16 golden is the f32 golden rounded to nearest even, tensor by tensor.
    void bf16GoldenIsRoundedF32() {
        auto f32 = WeightStore::open((kDataDir + "/tiny-f32").toStdString());
        auto bf16 = WeightStore::open((kDataDir + "/tiny-bf16").toStdString());
        QVERIFY(f32 && bf16);
        for (const TensorView* wide : f32->tensors()) {
            const TensorView* narrow = bf16->find(wide->name);
            QVERIFY(narrow != nullptr);
            QCOMPARE(narrow->numel(), wide->numel());
            std::vector<float> values(static_cast<std::size_t>(wide->numel()));
            convertToFloat(DType::F32, wide->data, values.data(), wide->numel());
            for (std::size_t i = 0; i < values.size(); ++i) {
                uint16_t stored;
                std::memcpy(&stored, static_cast<const char*>(narrow->data) + 2 * i, 2);
                QCOMPARE(stored, floatToBf16(values[i]));
            }
        }
    }

    void truncatedGoldenIsRejected() {
        const QString path = kDataDir + "/tiny-bf16/model.safetensors";
        const QByteArray whole = rctest::readAll(path);
        quint64 headerLength = 0;
        std::memcpy(&headerLength, whole.constData(), 8);
        const auto n = static_cast<qsizetype>(headerLength);
        QVERIFY(parseBytes(whole));
        for (const qsizetype cut : {qsizetype{0}, qsizetype{3}, qsizetype{7}, qsizetype{8}, qsizetype{9}, 8 + n / 2,
                                    8 + n - 1, 8 + n, 8 + n + 1, whole.size() / 2, whole.size() - 1}) {
            const auto result = parseBytes(whole.left(cut));
            QVERIFY2(!result, qPrintable(QString("cut at %1").arg(cut)));
            QCOMPARE(result.error().code, ErrorCode::InvalidCheckpoint);
            QVERIFY(messageOf(result.error()).startsWith("mem.safetensors: "));
        }
        // Cut inside the data: the last tensor's end is past the data region.
        const auto cutData = parseBytes(whole.left(whole.size() - 1));
        QVERIFY(messageOf(cutData.error()).contains("end past the data region"));

        QTemporaryDir dir;
        const QString truncated = dir.path() + "/model.safetensors";
        QVERIFY(rctest::writeFile(truncated, whole.left(8 + n / 2)));
        const auto fromFile = SafetensorsFile::open(truncated.toStdString());
        QVERIFY(!fromFile);
        QVERIFY2(messageOf(fromFile.error()).contains(truncated), qPrintable(messageOf(fromFile.error())));
    }

    void badImageIsRejected_data() {
        QTest::addColumn<QByteArray>("image");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("shorter than the length") << QByteArray(5, '\0') << QStringList{"5 bytes", "too short"};
        QTest::newRow("header length past the file")
            << rctest::withLength(1000, "{}") << QStringList{"header length 1000", "past the end"};
        QTest::newRow("header length 2^63")
            << rctest::withLength(1ull << 63, "{}") << QStringList{"header length 9223372036854775808", "limit"};
        QTest::newRow("invalid JSON") << rctest::imageFor(R"({"w": {"dtype")", {}) << QStringList{"not valid JSON"};
        QTest::newRow("NUL in header") << rctest::imageFor(std::string("{}\0", 3), {}) << QStringList{"NUL byte"};
        QTest::newRow("header not an object") << rctest::imageFor("[1, 2]", {}) << QStringList{"not a JSON object"};
        QTest::newRow("metadata not strings")
            << rctest::imageFor(R"({"__metadata__": {"format": 1}})", {}) << QStringList{"__metadata__"};
        QTest::newRow("entry not an object") << oneEntry("5", 0) << QStringList{"tensor 'w'", "must be an object"};
        QTest::newRow("unknown dtype") << oneEntry(R"({"dtype":"Q7","shape":[1],"data_offsets":[0,4]})", 4)
                                       << QStringList{"tensor 'w'", "unknown dtype 'Q7'"};
        QTest::newRow("unsupported dtype") << oneEntry(R"({"dtype":"F64","shape":[1],"data_offsets":[0,8]})", 8)
                                           << QStringList{"tensor 'w'", "unsupported dtype 'F64'"};
        QTest::newRow("dtype not a string") << oneEntry(R"({"dtype":4,"shape":[1],"data_offsets":[0,4]})", 4)
                                            << QStringList{"tensor 'w'", "'dtype' must be a string"};
        QTest::newRow("missing shape") << oneEntry(R"({"dtype":"F32","data_offsets":[0,4]})", 4)
                                       << QStringList{"tensor 'w'", "missing 'shape'"};
        QTest::newRow("wrong byte length") << oneEntry(R"({"dtype":"F32","shape":[2,3],"data_offsets":[0,12]})", 12)
                                           << QStringList{"tensor 'w'", "hold 12 bytes", "F32 [2, 3] needs 24"};
        QTest::newRow("bf16 byte length") << oneEntry(R"({"dtype":"BF16","shape":[3],"data_offsets":[0,12]})", 12)
                                          << QStringList{"tensor 'w'", "needs 6"};
        QTest::newRow("offsets past the data")
            << oneEntry(R"({"dtype":"F32","shape":[3],"data_offsets":[12,24]})", 16)
            << QStringList{"tensor 'w'", "data_offsets [12, 24] end past the data region (size 16 bytes)"};
        QTest::newRow("begin after end") << oneEntry(R"({"dtype":"F32","shape":[1],"data_offsets":[8,4]})", 16)
                                         << QStringList{"tensor 'w'", "[8, 4] begin after end"};
        QTest::newRow("three offsets") << oneEntry(R"({"dtype":"F32","shape":[1],"data_offsets":[0,4,8]})", 8)
                                       << QStringList{"tensor 'w'", "data_offsets"};
        QTest::newRow("negative offset") << oneEntry(R"({"dtype":"F32","shape":[1],"data_offsets":[-4,0]})", 8)
                                         << QStringList{"tensor 'w'", "non-negative integers"};
        QTest::newRow("offset beyond u64") << oneEntry(R"({"dtype":"F32","shape":[1],"data_offsets":[0,1e30]})", 8)
                                           << QStringList{"tensor 'w'", "non-negative integers"};
        QTest::newRow("missing offsets") << oneEntry(R"({"dtype":"F32","shape":[1]})", 4)
                                         << QStringList{"tensor 'w'", "missing 'data_offsets'"};
        QTest::newRow("negative dimension") << oneEntry(R"({"dtype":"F32","shape":[-1,4],"data_offsets":[0,0]})", 0)
                                            << QStringList{"tensor 'w'", "negative dimension"};
        QTest::newRow("fractional dimension") << oneEntry(R"({"dtype":"F32","shape":[2.5],"data_offsets":[0,0]})", 0)
                                              << QStringList{"tensor 'w'", "not an integer"};
        QTest::newRow("shape not an array") << oneEntry(R"({"dtype":"F32","shape":4,"data_offsets":[0,16]})", 16)
                                            << QStringList{"tensor 'w'", "'shape' must be an array"};
        QTest::newRow("shape product overflow")
            << oneEntry(R"({"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]})", 0)
            << QStringList{"tensor 'w'", "overflows"};
        QTest::newRow("overflow before a zero")
            << oneEntry(R"({"dtype":"F32","shape":[4294967296,4294967296,0],"data_offsets":[0,0]})", 0)
            << QStringList{"tensor 'w'", "overflows"};
        QTest::newRow("byte size overflow")
            << oneEntry(R"({"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,0]})", 0)
            << QStringList{"tensor 'w'", "more than 2^64"};
        QTest::newRow("overlapping tensors")
            << rctest::imageFor(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},)"
                                R"("b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}})",
                                QByteArray(24, '\0'))
            << QStringList{"tensor 'b'", "[8, 24] overlap tensor 'a'"};
        QTest::newRow("identical ranges")
            << rctest::imageFor(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                R"("b":{"dtype":"BF16","shape":[4],"data_offsets":[0,8]}})",
                                QByteArray(8, '\0'))
            << QStringList{"overlap tensor"};
        QTest::newRow("range inside another")
            << rctest::imageFor(R"({"a":{"dtype":"F32","shape":[8],"data_offsets":[0,32]},)"
                                R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},)"
                                R"("c":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}})",
                                QByteArray(32, '\0'))
            << QStringList{"overlap tensor 'a'"};
    }

    void badImageIsRejected() {
        QFETCH(QByteArray, image);
        QFETCH(QStringList, expected);
        const auto result = parseBytes(image);
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::InvalidCheckpoint);
        const QString message = messageOf(result.error());
        QVERIFY2(message.startsWith("mem.safetensors: "), qPrintable(message));
        for (const QString& part : expected) QVERIFY2(message.contains(part), qPrintable(message));
    }

    void unusualButValidImages() {
        // Empty header, a header padded with spaces, zero-length tensors sharing an offset with a real one.
        const auto empty = parseBytes(rctest::imageFor("{}", {}));
        QVERIFY(empty && empty->empty());
        const auto padded = parseBytes(
            rctest::imageFor(R"({"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}    )", QByteArray(4, '\0')));
        QVERIFY(padded && padded->size() == 1);
        const auto zeros = parseBytes(rctest::imageFor(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                                       R"("z":{"dtype":"F32","shape":[0,5],"data_offsets":[4,4]},)"
                                                       R"("y":{"dtype":"BF16","shape":[0],"data_offsets":[4,4]}})",
                                                       QByteArray(8, '\0')));
        QVERIFY2(zeros, zeros ? "" : zeros.error().message.c_str());
        QCOMPARE(zeros->size(), std::size_t{3});
    }

    // Data at an odd address is accepted: consumers read through memcpy.
    void unalignedDataIsAccepted() {
        const std::string header = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[1,9]}})";
        QByteArray data(9, '\0');
        const float values[2] = {1.5f, -2.25f};
        std::memcpy(data.data() + 1, values, 8);
        const QByteArray image = rctest::imageFor(header, data);
        const auto result = parseBytes(image);
        QVERIFY(result);
        const TensorView& view = result->front();
        QCOMPARE(static_cast<const char*>(view.data) - image.constData(), qsizetype(8 + header.size() + 1));
        float read[2];
        convertToFloat(view.dtype, view.data, read, 2);
        QCOMPARE(read[0], 1.5f);
        QCOMPARE(read[1], -2.25f);
    }

    void mappedFileErrors() {
        QTemporaryDir dir;
        const QString missing = dir.path() + "/absent.safetensors";
        const auto absent = MappedFile::open(missing.toStdString());
        QVERIFY(!absent);
        QCOMPARE(absent.error().code, ErrorCode::Io);
        QVERIFY(messageOf(absent.error()).contains(missing));
        QVERIFY(messageOf(absent.error()).contains("No such file"));

        const auto folder = MappedFile::open(dir.path().toStdString());
        QVERIFY(!folder);
        QVERIFY(messageOf(folder.error()).contains(dir.path()));

        const QString emptyPath = dir.path() + "/empty.safetensors";
        QVERIFY(rctest::writeFile(emptyPath, {}));
        auto empty = MappedFile::open(emptyPath.toStdString());
        QVERIFY(empty);
        QCOMPARE(empty->size(), std::size_t{0});
        const auto emptyParsed = SafetensorsFile::open(emptyPath.toStdString());
        QVERIFY(!emptyParsed);
        QVERIFY(messageOf(emptyParsed.error()).contains("too short"));

        // Moving keeps the mapping valid; the moved-from object is empty.
        auto golden = MappedFile::open((kDataDir + "/tiny-f32/model.safetensors").toStdString());
        QVERIFY(golden);
        const std::byte* data = golden->data();
        MappedFile moved = std::move(*golden);
        QCOMPARE(moved.data(), data);
        QCOMPARE(golden->data(), nullptr);
        moved = std::move(*empty);
        QCOMPARE(moved.size(), std::size_t{0});
    }

    void shardedFolderFindsEveryTensor() {
        QTemporaryDir dir;
        const ShardPlan plan = splitGolden();
        QVERIFY(writePlan(dir.path(), plan));
        auto sharded = WeightStore::open(dir.path().toStdString());
        QVERIFY2(sharded, sharded ? "" : sharded.error().message.c_str());
        auto single = WeightStore::open((kDataDir + "/tiny-f32").toStdString());
        QVERIFY(single);
        QCOMPARE(sharded->files().size(), std::size_t{2});
        QCOMPARE(sharded->totalBytes(), single->totalBytes());
        const auto expected = single->tensors();
        const auto actual = sharded->tensors();
        QCOMPARE(actual.size(), expected.size());
        for (std::size_t i = 0; i < actual.size(); ++i) {
            QCOMPARE(actual[i]->name, expected[i]->name);  // both sorted by name
            QCOMPARE(actual[i]->shape, expected[i]->shape);
            QCOMPARE(actual[i]->dtype, expected[i]->dtype);
            QCOMPARE(actual[i]->byteSize, expected[i]->byteSize);
            QVERIFY(std::memcmp(actual[i]->data, expected[i]->data, actual[i]->byteSize) == 0);
        }
    }

    void missingShard() {
        QTemporaryDir dir;
        QVERIFY(writePlan(dir.path(), splitGolden(), kShard2));
        const auto store = WeightStore::open(dir.path().toStdString());
        QVERIFY(!store);
        QCOMPARE(store.error().code, ErrorCode::Io);
        QVERIFY2(messageOf(store.error()).contains(kShard2), qPrintable(messageOf(store.error())));
    }

    void indexedTensorMissingFromShard() {
        QTemporaryDir dir;
        ShardPlan plan = splitGolden();
        plan.weightMap["model.extra.weight"] = kShard1;
        QVERIFY(writePlan(dir.path(), plan));
        const auto store = WeightStore::open(dir.path().toStdString());
        QVERIFY(!store);
        const QString message = messageOf(store.error());
        QVERIFY2(message.contains("'model.extra.weight'") && message.contains("missing from shard") &&
                     message.contains(kShard1) && message.contains("model.safetensors.index.json"),
                 qPrintable(message));
    }

    void shardTensorAbsentFromIndex() {
        QTemporaryDir dir;
        ShardPlan plan = splitGolden();
        plan.weightMap.remove("model.final_norm.weight");
        QVERIFY(writePlan(dir.path(), plan));
        const auto store = WeightStore::open(dir.path().toStdString());
        QVERIFY(!store);
        const QString message = messageOf(store.error());
        QVERIFY2(message.contains("'model.final_norm.weight'") && message.contains("does not list"),
                 qPrintable(message));
    }

    void tensorDuplicatedAcrossShards() {
        QTemporaryDir dir;
        ShardPlan plan = splitGolden();
        const TensorBlob copy = plan.shards[kShard1].front();
        plan.shards[kShard2].push_back(copy);
        QVERIFY(writePlan(dir.path(), plan));
        const auto store = WeightStore::open(dir.path().toStdString());
        QVERIFY(!store);
        const QString message = messageOf(store.error());
        QVERIFY2(message.contains(QString::fromStdString("'" + copy.name + "'")) && message.contains(kShard1) &&
                     message.contains(kShard2),
                 qPrintable(message));
    }

    void shardNameOutsideFolder_data() {
        QTest::addColumn<QString>("shardName");
        QTest::newRow("parent") << "../evil.safetensors";
        QTest::newRow("nested parent") << "sub/../../evil.safetensors";
        QTest::newRow("absolute") << "/etc/passwd";
        QTest::newRow("dot dot") << "..";
        QTest::newRow("empty") << "";
    }

    void shardNameOutsideFolder() {
        QFETCH(QString, shardName);
        QTemporaryDir dir;
        ShardPlan plan = splitGolden();
        plan.weightMap["model.final_norm.weight"] = shardName;
        QVERIFY(writePlan(dir.path(), plan));
        const auto store = WeightStore::open(dir.path().toStdString());
        QVERIFY(!store);
        const QString message = messageOf(store.error());
        QVERIFY2(message.contains("'" + shardName + "'") && message.contains("not a plain file name"),
                 qPrintable(message));
    }

    void badIndexFile_data() {
        QTest::addColumn<QByteArray>("index");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not JSON") << QByteArray("{\"weight_map\": ") << "not valid JSON";
        QTest::newRow("not an object") << QByteArray("[]") << "not a JSON object";
        QTest::newRow("no weight_map") << QByteArray(R"({"metadata": {}})") << "weight_map";
        QTest::newRow("empty weight_map") << QByteArray(R"({"weight_map": {}})") << "empty";
        QTest::newRow("shard not a string") << QByteArray(R"({"weight_map": {"a": 3}})") << "tensor 'a'";
    }

    void badIndexFile() {
        QFETCH(QByteArray, index);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        QVERIFY(rctest::writeFile(dir.path() + "/model.safetensors.index.json", index));
        const auto store = WeightStore::open(dir.path().toStdString());
        QVERIFY(!store);
        QCOMPARE(store.error().code, ErrorCode::InvalidCheckpoint);
        QVERIFY2(messageOf(store.error()).contains(expected), qPrintable(messageOf(store.error())));
    }

    void folderWithoutWeights() {
        QTemporaryDir dir;
        const auto empty = WeightStore::open(dir.path().toStdString());
        QVERIFY(!empty);
        QVERIFY2(
            messageOf(empty.error()).contains(dir.path()) && messageOf(empty.error()).contains("model.safetensors"),
            qPrintable(messageOf(empty.error())));
        const auto absent = WeightStore::open((dir.path() + "/nope").toStdString());
        QVERIFY(!absent);
        QVERIFY(messageOf(absent.error()).contains(dir.path() + "/nope"));
    }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
