// test_tokenizer — the tokenizer and the chat format against the reference vectors (tokenizer_cases.json, and the
// prompt, greedy text and chat turn of every golden case), hostile text and files, and StreamingDecoder's promise
// that its pieces concatenate to exactly decode(all ids).
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "rgemma/chat_format.h"
#include "rgemma/tokenizer.h"

using namespace rgemma;

namespace {

const QStringList kGoldenCases{"tiny-f32", "tiny-bf16", "2b-shape-bf16"};

QString dataPath(const QString& relative) { return QStringLiteral(RC_TEST_DATA_DIR "/") + relative; }

QJsonObject readJson(const QString& relative) {
    QFile file(dataPath(relative));
    if (!file.open(QIODevice::ReadOnly)) qFatal("cannot open %s", qPrintable(file.fileName()));
    return QJsonDocument::fromJson(file.readAll()).object();
}

QList<int> toList(const std::vector<TokenId>& ids) { return QList<int>(ids.begin(), ids.end()); }

std::vector<TokenId> toIds(const QJsonValue& array) {
    std::vector<TokenId> ids;
    for (const QJsonValue& value : array.toArray()) ids.push_back(value.toInt());
    return ids;
}

QByteArray bytesOf(const std::string& text) { return QByteArray::fromStdString(text); }

// Written from Unicode's table of well-formed byte sequences (3-7), independently of the engine's check.
std::size_t wellFormedLength(std::string_view text) {
    const auto at = [&](std::size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0x100u; };
    const auto in = [](unsigned value, unsigned low, unsigned high) { return value >= low && value <= high; };
    const unsigned b0 = at(0);
    if (b0 <= 0x7F) return 1;
    if (in(b0, 0xC2, 0xDF)) return in(at(1), 0x80, 0xBF) ? 2 : 0;
    if (in(b0, 0xE0, 0xEF)) {
        const unsigned low = b0 == 0xE0 ? 0xA0 : 0x80;
        const unsigned high = b0 == 0xED ? 0x9F : 0xBF;
        return in(at(1), low, high) && in(at(2), 0x80, 0xBF) ? 3 : 0;
    }
    if (in(b0, 0xF0, 0xF4)) {
        const unsigned low = b0 == 0xF0 ? 0x90 : 0x80;
        const unsigned high = b0 == 0xF4 ? 0x8F : 0xBF;
        return in(at(1), low, high) && in(at(2), 0x80, 0xBF) && in(at(3), 0x80, 0xBF) ? 4 : 0;
    }
    return 0;
}

bool isValidUtf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = wellFormedLength(text.substr(i));
        if (length == 0) return false;
        i += length;
    }
    return true;
}

// What decode(encode(text)) must give: every byte outside a well-formed sequence becomes U+FFFD, and "▁" (U+2581,
// sentencepiece's space symbol) reads back as a space.
std::string expectedRoundTrip(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = wellFormedLength(text.substr(i));
        const std::string_view unit = length == 0 ? std::string_view("\xEF\xBF\xBD") : text.substr(i, length);
        out += unit == "\xE2\x96\x81" ? std::string_view(" ") : unit;
        i += length == 0 ? 1 : length;
    }
    return out;
}

// Feeds `ids` one at a time; fails the test if a piece is not valid UTF-8, returns the concatenation.
std::string streamAll(const Tokenizer& tokenizer, const std::vector<TokenId>& ids, bool* allValid) {
    StreamingDecoder decoder(tokenizer);
    std::string text;
    *allValid = true;
    for (TokenId id : ids) {
        const std::string piece = decoder.push(id);
        *allValid = *allValid && isValidUtf8(piece);
        text += piece;
    }
    const std::string rest = decoder.flush();
    *allValid = *allValid && isValidUtf8(rest);
    return text + rest;
}

}  // namespace

class TestTokenizer : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void referenceCases_data();
    void referenceCases();
    void specialIds();
    void pieceLookup();
    void goldenCase_data();
    void goldenCase();
    void nextTurnClosesTheReply();
    void endOfTurnTokens();
    void invalidUtf8KeptByteForByte();
    void randomBytesRoundTrip();
    void embeddedNul();
    void megabyteText();
    void outOfRangeIdsSkipped();
    void badFiles_data();
    void badFiles();
    void missingFileAndDirectory();
    void fromBytesRejectsGarbage();
    void streamingGreedyGolden_data();
    void streamingGreedyGolden();
    void streamingEmojiByteByByte();
    void streamingDanglingBytes();
    void streamingRandomSequences();
    void streamingLongReplyStaysFast();
    void streamingStartsAfreshAfterFlush();

  private:
    const Tokenizer& tokenizer() const { return *m_tokenizer; }
    TokenId byteId(int byte) const {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", byte);
        return *m_tokenizer->pieceId(name);
    }

    std::optional<Tokenizer> m_tokenizer;
    QByteArray m_modelBytes;
};

void TestTokenizer::initTestCase() {
    auto loaded = Tokenizer::load(dataPath("tiny-f32/tokenizer.model").toStdString());
    QVERIFY2(loaded, loaded ? "" : loaded.error().message.c_str());
    m_tokenizer.emplace(std::move(*loaded));
    QFile model(dataPath("tiny-f32/tokenizer.model"));
    QVERIFY(model.open(QIODevice::ReadOnly));
    m_modelBytes = model.readAll();
}

void TestTokenizer::referenceCases_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QList<int>>("ids");
    QTest::addColumn<QStringList>("pieces");
    QTest::addColumn<QByteArray>("decoded");
    const QJsonObject cases = readJson("tokenizer_cases.json");
    QCOMPARE(cases["vocab_size"].toInt(), 1000);
    for (const QJsonValue& value : cases["cases"].toArray()) {
        const QJsonObject row = value.toObject();
        QStringList pieces;
        for (const QJsonValue& piece : row["pieces"].toArray()) pieces << piece.toString();
        const QByteArray text = row["text"].toString().toUtf8();
        QTest::newRow(text.left(40).constData())
            << text << toList(toIds(row["ids"])) << pieces << row["decoded"].toString().toUtf8();
    }
}

void TestTokenizer::referenceCases() {
    QFETCH(QByteArray, text);
    QFETCH(QList<int>, ids);
    QFETCH(QStringList, pieces);
    QFETCH(QByteArray, decoded);
    const std::vector<TokenId> encoded = tokenizer().encode(text.toStdString());
    QCOMPARE(toList(encoded), ids);
    QStringList encodedPieces;
    for (TokenId id : encoded) encodedPieces << QString::fromStdString(tokenizer().piece(id));
    QCOMPARE(encodedPieces, pieces);
    const std::vector<TokenId> reference(ids.begin(), ids.end());
    QCOMPARE(bytesOf(tokenizer().decode(reference)), decoded);
}

void TestTokenizer::specialIds() {
    QCOMPARE(tokenizer().vocabSize(), 1000);
    QCOMPARE(tokenizer().bos(), 2);
    QCOMPARE(tokenizer().eos(), 1);
    QCOMPARE(tokenizer().pad(), 0);
    QCOMPARE(tokenizer().startOfTurn(), std::optional<TokenId>(106));
    QCOMPARE(tokenizer().endOfTurn(), std::optional<TokenId>(107));
    // Control pieces are invisible in text.
    const std::vector<TokenId> controls{0, 1, 2};
    QCOMPARE(bytesOf(tokenizer().decode(controls)), QByteArray());
}

void TestTokenizer::pieceLookup() {
    QCOMPARE(tokenizer().pieceId("<unk>"), std::optional<TokenId>(3));  // really the unknown piece
    QCOMPARE(tokenizer().pieceId("<no such piece>"), std::nullopt);     // sentencepiece says unk_id: absent
    QCOMPARE(tokenizer().pieceId(""), std::nullopt);
    QCOMPARE(tokenizer().pieceId("<0xF0>"), std::optional<TokenId>(359));
    QCOMPARE(QByteArray::fromStdString(tokenizer().piece(108)), QByteArray("\n"));
    QCOMPARE(QByteArray::fromStdString(tokenizer().piece(-1)), QByteArray());
    QCOMPARE(QByteArray::fromStdString(tokenizer().piece(1000)), QByteArray());
}

void TestTokenizer::goldenCase_data() {
    QTest::addColumn<QString>("name");
    for (const QString& name : kGoldenCases) QTest::newRow(qPrintable(name)) << name;
}

// Each golden folder carries its own tokenizer.model: load it and reproduce the reference's ids and text.
void TestTokenizer::goldenCase() {
    QFETCH(QString, name);
    auto loaded = Tokenizer::load(dataPath(name + "/tokenizer.model").toStdString());
    QVERIFY2(loaded, loaded ? "" : loaded.error().message.c_str());
    const Tokenizer& tok = *loaded;
    const QJsonObject golden = readJson(name + "/golden.json");

    const QJsonObject prompt = golden["prompt"].toObject();
    std::vector<TokenId> promptIds{tok.bos()};
    const std::vector<TokenId> encoded = tok.encode(prompt["text"].toString().toStdString());
    promptIds.insert(promptIds.end(), encoded.begin(), encoded.end());
    QCOMPARE(toList(promptIds), toList(toIds(prompt["ids"])));

    const QJsonObject greedy = golden["greedy"].toObject();
    QCOMPARE(bytesOf(tok.decode(toIds(greedy["tokens"]))), greedy["text"].toString().toUtf8());

    const QJsonObject chat = golden["chat"].toObject();
    const std::string message = chat["user_message"].toString().toStdString();
    QCOMPARE(bytesOf(formatUserTurn(message)), chat["formatted"].toString().toUtf8());
    const std::vector<TokenId> turn = firstTurnTokens(tok, message);
    QCOMPARE(toList(turn), toList(toIds(chat["ids"])));
    QStringList pieces;
    for (TokenId id : turn) pieces << QString::fromStdString(tok.piece(id));
    QStringList expectedPieces;
    for (const QJsonValue& piece : chat["pieces"].toArray()) expectedPieces << piece.toString();
    QCOMPARE(pieces, expectedPieces);
}

void TestTokenizer::nextTurnClosesTheReply() {
    const std::string message = "And now?  Tell me more: 😀";
    const std::vector<TokenId> ids = nextTurnTokens(tokenizer(), message);
    QVERIFY(ids.size() > 2);
    QCOMPARE(ids[0], 107);
    QCOMPARE(ids[1], 108);
    // The rest is the same user turn the first turn would have opened with, minus BOS.
    const std::vector<TokenId> first = firstTurnTokens(tokenizer(), message);
    QCOMPARE(toList({ids.begin() + 2, ids.end()}), toList({first.begin() + 1, first.end()}));
    QCOMPARE(bytesOf(tokenizer().decode(ids)), QByteArray("<end_of_turn>\n") + bytesOf(formatUserTurn(message)));
}

void TestTokenizer::endOfTurnTokens() {
    QVERIFY(isEndOfTurn(tokenizer(), 1));
    QVERIFY(isEndOfTurn(tokenizer(), 107));
    QVERIFY(!isEndOfTurn(tokenizer(), 106));
    QVERIFY(!isEndOfTurn(tokenizer(), 2));
    QVERIFY(!isEndOfTurn(tokenizer(), 108));
    QVERIFY(!isEndOfTurn(tokenizer(), -1));
}

// sentencepiece alone would replace each bad byte with U+FFFD's three bytes; the header promises the byte itself.
void TestTokenizer::invalidUtf8KeptByteForByte() {
    const auto concat = [](std::initializer_list<std::vector<TokenId>> parts) {
        std::vector<TokenId> all;
        for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
        return toList(all);
    };
    const Tokenizer& tok = tokenizer();
    QCOMPARE(toList(tok.encode("a\xFFz")), concat({tok.encode("a"), {byteId(0xFF)}, tok.encode("z")}));
    QCOMPARE(toList(tok.encode("caf\xC3")), concat({tok.encode("caf"), {byteId(0xC3)}}));
    QCOMPARE(toList(tok.encode("\xED\xA0\x80")), concat({{byteId(0xED), byteId(0xA0), byteId(0x80)}}));  // surrogate
    QCOMPARE(toList(tok.encode("\xC0\xAF")), concat({{byteId(0xC0), byteId(0xAF)}}));                    // overlong
    QCOMPARE(toList(tok.encode("\xF4\x90\x80\x80")),                                                     // > U+10FFFF
             concat({{byteId(0xF4), byteId(0x90), byteId(0x80), byteId(0x80)}}));
    QCOMPARE(toList(tok.encode("\x80<start_of_turn>")), concat({{byteId(0x80), 106}}));
    QCOMPARE(bytesOf(tok.decode(tok.encode("a\xFFz"))), QByteArray("a\xEF\xBF\xBDz"));
    QCOMPARE(bytesOf(tok.decode(tok.encode("\xF0\x9F\x98"))), QByteArray("\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"));
}

void TestTokenizer::randomBytesRoundTrip() {
    // Bytes weighted towards the troublesome ones, plus fragments of real text and markers.
    const std::vector<std::string> fragments{"a",  " ", "\n",           "<start_of_turn>", "<bos>",
                                             "é",  "😀", "\xE2\x96\x81", "Hello world",     std::string(1, '\0'),
                                             "  ", "\t"};
    std::mt19937 random(20240611);
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        const int length = static_cast<int>(random() % 24);
        for (int i = 0; i < length; ++i) {
            if (random() % 3 == 0) {
                text += fragments[random() % fragments.size()];
            } else {
                text += static_cast<char>(random() % 4 == 0 ? random() % 0x80 : 0x80 + random() % 0x80);
            }
        }
        const std::vector<TokenId> ids = tokenizer().encode(text);
        for (TokenId id : ids) QVERIFY(id >= 0 && id < tokenizer().vocabSize());
        const std::string decoded = tokenizer().decode(ids);
        if (decoded != expectedRoundTrip(text)) {
            QFAIL(qPrintable("round trip of " + QByteArray::fromStdString(text).toHex(' ') + " gave " +
                             QByteArray::fromStdString(decoded).toHex(' ')));
        }
    }
}

void TestTokenizer::embeddedNul() {
    const std::string text("x\0y\0", 4);
    const std::vector<TokenId> ids = tokenizer().encode(text);
    QCOMPARE(toList(ids), QList<int>({966, byteId(0x00), 940, byteId(0x00)}));
    QCOMPARE(bytesOf(tokenizer().decode(ids)), QByteArray(text.data(), 4));
    QCOMPARE(toList(tokenizer().encode(std::string(1, '\0'))), QList<int>({byteId(0x00)}));
}

void TestTokenizer::megabyteText() {
    std::string text;
    std::mt19937 random(7);
    const std::vector<std::string> words{"Permission ", "is ",  "granted",         "\n",   "naïve ", "café", "😀",
                                         "  ",          "\xFF", "<start_of_turn>", "3.14", "\t",     "GNU "};
    while (text.size() < (1u << 20)) text += words[random() % words.size()];
    QElapsedTimer timer;
    timer.start();
    const std::vector<TokenId> ids = tokenizer().encode(text);
    const std::string decoded = tokenizer().decode(ids);
    // Measured at well under a second; the bound only catches a blow-up (quadratic or worse).
    QVERIFY2(timer.elapsed() < 30000, qPrintable(QString::number(timer.elapsed()) + " ms"));
    QVERIFY(ids.size() > 100000);
    QVERIFY(decoded == expectedRoundTrip(text));
}

void TestTokenizer::outOfRangeIdsSkipped() {
    const std::vector<TokenId> ids{-7, 969, 1000, 925, 2147483647, 470, 927, -2147483647 - 1};
    QCOMPARE(bytesOf(tokenizer().decode(ids)), QByteArray("Hello"));
    QCOMPARE(bytesOf(tokenizer().decode({})), QByteArray());
}

void TestTokenizer::badFiles_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("text") << QByteArray("this is not a sentencepiece model\n");
    QTest::newRow("first half") << m_modelBytes.left(m_modelBytes.size() / 2);
    QTest::newRow("first 100 bytes") << m_modelBytes.left(100);
    QTest::newRow("one byte") << m_modelBytes.left(1);
    QByteArray noise;
    std::mt19937 random(99);
    for (int i = 0; i < 4096; ++i) noise.append(static_cast<char>(random()));
    QTest::newRow("noise") << noise;
    QTest::newRow("json") << QByteArray(R"({"model": "tokenizer", "vocab": []})");
}

void TestTokenizer::badFiles() {
    QFETCH(QByteArray, content);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("tokenizer.model");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    file.close();
    const auto loaded = Tokenizer::load(path.toStdString());
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().code, ErrorCode::InvalidTokenizer);
    QVERIFY2(QString::fromStdString(loaded.error().message).contains(path), loaded.error().message.c_str());
}

void TestTokenizer::missingFileAndDirectory() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString missing = dir.filePath("absent.model");
    auto loaded = Tokenizer::load(missing.toStdString());
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().code, ErrorCode::Io);
    QVERIFY(QString::fromStdString(loaded.error().message).contains("absent.model"));

    loaded = Tokenizer::load(dir.path().toStdString());
    QVERIFY(!loaded);

    // A sparse file above the size bound is refused before anything is read.
    QFile huge(dir.filePath("huge.model"));
    QVERIFY(huge.open(QIODevice::WriteOnly));
    QVERIFY(huge.resize(qint64(65) << 20));
    huge.close();
    loaded = Tokenizer::load(huge.fileName().toStdString());
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().code, ErrorCode::InvalidTokenizer);
    QVERIFY(QString::fromStdString(loaded.error().message).contains("huge.model"));
}

void TestTokenizer::fromBytesRejectsGarbage() {
    QVERIFY(!Tokenizer::fromBytes({}));
    QVERIFY(!Tokenizer::fromBytes("\x0a\x05hello"));
    // Every truncation of the real model either fails cleanly or loads something usable.
    for (qsizetype size = 0; size < m_modelBytes.size(); size += 97) {
        const auto loaded = Tokenizer::fromBytes(std::string_view(m_modelBytes.constData(), size_t(size)));
        if (loaded) QVERIFY(loaded->vocabSize() > 0);
    }
    const auto whole = Tokenizer::fromBytes(std::string_view(m_modelBytes.constData(), size_t(m_modelBytes.size())));
    QVERIFY(whole);
    QCOMPARE(toList(whole->encode("Hello")), QList<int>({969, 925, 470, 927}));
}

void TestTokenizer::streamingGreedyGolden_data() { goldenCase_data(); }

void TestTokenizer::streamingGreedyGolden() {
    QFETCH(QString, name);
    const QJsonObject golden = readJson(name + "/golden.json");
    const QJsonObject greedy = golden["greedy"].toObject();
    bool valid = false;
    QCOMPARE(bytesOf(streamAll(tokenizer(), toIds(greedy["tokens"]), &valid)), greedy["text"].toString().toUtf8());
    QVERIFY(valid);
    const std::vector<TokenId> chatReply = toIds(golden["chat"].toObject()["greedy_tokens"]);
    QCOMPARE(bytesOf(streamAll(tokenizer(), chatReply, &valid)), bytesOf(tokenizer().decode(chatReply)));
    QVERIFY(valid);
}

void TestTokenizer::streamingEmojiByteByByte() {
    StreamingDecoder decoder(tokenizer());
    QCOMPARE(bytesOf(decoder.push(969)), QByteArray("H"));
    QCOMPARE(bytesOf(decoder.push(byteId(0xF0))), QByteArray());
    QCOMPARE(bytesOf(decoder.push(byteId(0x9F))), QByteArray());
    QCOMPARE(bytesOf(decoder.push(byteId(0x98))), QByteArray());
    QCOMPARE(bytesOf(decoder.push(byteId(0x80))), QByteArray("😀"));
    QCOMPARE(bytesOf(decoder.push(byteId(0xC3))), QByteArray());
    QCOMPARE(bytesOf(decoder.push(byteId(0xA9))), QByteArray("é"));
    QCOMPARE(bytesOf(decoder.flush()), QByteArray());
}

void TestTokenizer::streamingDanglingBytes() {
    StreamingDecoder decoder(tokenizer());
    QCOMPARE(bytesOf(decoder.push(byteId(0xF0))), QByteArray());
    QCOMPARE(bytesOf(decoder.push(byteId(0x9F))), QByteArray());
    QCOMPARE(bytesOf(decoder.flush()), QByteArray("\xEF\xBF\xBD\xEF\xBF\xBD"));
    // A byte that cannot start a sequence shows at once; a lead cut off by a normal piece resolves with it.
    QCOMPARE(bytesOf(decoder.push(byteId(0xFF))), QByteArray("\xEF\xBF\xBD"));
    QCOMPARE(bytesOf(decoder.push(byteId(0xE2))), QByteArray());
    QCOMPARE(bytesOf(decoder.push(969)), QByteArray("\xEF\xBF\xBDH"));
    // A control piece ends a byte run too.
    QCOMPARE(bytesOf(decoder.push(byteId(0xC3))), QByteArray());
    QCOMPARE(bytesOf(decoder.push(2)), QByteArray("\xEF\xBF\xBD"));
    QCOMPARE(bytesOf(decoder.push(byteId(0xA9))), QByteArray("\xEF\xBF\xBD"));
    QCOMPARE(bytesOf(decoder.flush()), QByteArray());
}

// The defining property, on sequences built to hit every case: byte runs complete, cut short, interrupted by
// control or normal pieces, out-of-range ids, and replies long enough to move the decoder's anchor many times.
void TestTokenizer::streamingRandomSequences() {
    std::vector<TokenId> pool;
    for (int byte : {0x41, 0x0A, 0x00, 0x80, 0x98, 0x9F, 0xA0, 0xA9, 0xBF, 0xC0, 0xC2, 0xC3, 0xE0, 0xE2, 0xED, 0xF0,
                     0xF4, 0xF5, 0xFF}) {
        pool.push_back(byteId(byte));
    }
    for (TokenId special : {0, 1, 2, 3, 106, 107, 108, 112, 924, -1, 1000, 123456}) pool.push_back(special);
    std::mt19937 random(4242);
    for (int round = 0; round < 600; ++round) {
        std::vector<TokenId> ids;
        const int length = static_cast<int>(random() % (round % 10 == 0 ? 600 : 150));
        for (int i = 0; i < length; ++i) {
            const bool fromPool = random() % 2 == 0;
            ids.push_back(fromPool ? pool[random() % pool.size()] : static_cast<TokenId>(random() % 1000));
        }
        bool valid = false;
        const std::string streamed = streamAll(tokenizer(), ids, &valid);
        const std::string whole = tokenizer().decode(ids);
        if (streamed != whole || !valid) {
            QStringList list;
            for (TokenId id : ids) list << QString::number(id);
            QFAIL(qPrintable("ids " + list.join(',') + "\nstreamed " + QByteArray::fromStdString(streamed).toHex(' ') +
                             "\nwhole    " + QByteArray::fromStdString(whole).toHex(' ')));
        }
    }
}

void TestTokenizer::streamingLongReplyStaysFast() {
    // Long replies, one of text and one of byte pieces only (emoji): re-decoding the whole reply for every token
    // would take minutes here; the decoder's anchor keeps each to well under a second.
    std::string prose;
    while (prose.size() < 100000) prose += "The licensee may copy 😀 naïve café — ✓ and\n";
    std::string emoji;
    while (emoji.size() < 100000) emoji += "😀✓é";
    // And 50000 random byte pieces, mostly ill-formed.
    std::mt19937 random(5);
    std::vector<TokenId> garbage;
    for (int i = 0; i < 50000; ++i) garbage.push_back(byteId(static_cast<int>(random() % 256)));
    for (const std::vector<TokenId>& ids : {tokenizer().encode(prose), tokenizer().encode(emoji), garbage}) {
        QVERIFY(ids.size() > 40000);
        QElapsedTimer timer;
        timer.start();
        bool valid = false;
        QVERIFY(streamAll(tokenizer(), ids, &valid) == tokenizer().decode(ids));
        QVERIFY(valid);
        QVERIFY2(timer.elapsed() < 20000, qPrintable(QString::number(timer.elapsed()) + " ms"));
    }
    QVERIFY(tokenizer().decode(tokenizer().encode(emoji)) == emoji);
}

void TestTokenizer::streamingStartsAfreshAfterFlush() {
    StreamingDecoder decoder(tokenizer());
    QCOMPARE(bytesOf(decoder.push(byteId(0xC3))), QByteArray());
    QCOMPARE(bytesOf(decoder.flush()), QByteArray("\xEF\xBF\xBD"));
    QCOMPARE(bytesOf(decoder.push(byteId(0xA9))), QByteArray("\xEF\xBF\xBD"));  // not joined to the flushed C3
    QCOMPARE(bytesOf(decoder.push(395)), QByteArray(" w"));
    QCOMPARE(bytesOf(decoder.flush()), QByteArray());
}

QTEST_GUILESS_MAIN(TestTokenizer)
#include "test_tokenizer.moc"
