// test_chat_file.cpp — the .rgchat reader and writer without a database: a conversation with branches, an
// attachment and real states survives the round trip byte for byte; truncated, bit-flipped and forged files
// (absurd counts, invalid UTF-8, a state of another model or of the wrong length, a broken tree) are refused with
// an error that says what and where; the UTF-8 check follows Unicode's table of well-formed sequences.
#include <QtTest>

#include "chat_file_sample.h"

using chat_file::readChatFile;
using chat_file::writeChatFile;

namespace {

// The offsets where sections start in a file written from `chat` (CHAT, MSGS, ATCH, STAT...) and its end.
std::vector<std::size_t> sectionStarts(const std::string& bytes) {
    std::vector<std::size_t> starts;
    std::size_t at = 24;
    while (at + 12 <= bytes.size() - 8) {
        starts.push_back(at);
        uint64_t length = 0;
        std::memcpy(&length, bytes.data() + at + 4, sizeof length);
        at += 12 + length;
    }
    starts.push_back(at);
    return starts;
}

QString refusal(const std::string& bytes) {
    const auto read = readChatFile(bytes);
    return read ? QString() : QString::fromStdString(read.error().message);
}

}  // namespace

class TestChatFile : public QObject {
    Q_OBJECT

    std::unique_ptr<rgemma::Model> m_model = rctest::loadModel(QStringLiteral("tiny-f32"));
    std::unique_ptr<rgemma::Model> m_other = rctest::loadModel(QStringLiteral("tiny-bf16"));

  private slots:
    void roundTripIsExact() {
        const chat_file::ChatFile chat = rctest::sampleChat(*m_model);
        const std::string bytes = writeChatFile(chat);
        const auto read = readChatFile(bytes);
        QVERIFY2(read, read ? "" : read.error().message.c_str());
        QCOMPARE(read->title, chat.title);
        QCOMPARE(read->systemPrompt, chat.systemPrompt);
        QCOMPARE(read->createdAtMs, chat.createdAtMs);
        QCOMPARE(read->updatedAtMs, chat.updatedAtMs);
        QCOMPARE(read->modelFingerprint, chat.modelFingerprint);
        QCOMPARE(read->modelName, chat.modelName);
        QVERIFY(read->settings == chat.settings);
        QCOMPARE(read->currentLeaf, chat.currentLeaf);
        QCOMPARE(read->messages.size(), chat.messages.size());
        for (std::size_t i = 0; i < chat.messages.size(); ++i) {
            QCOMPARE(read->messages[i].parent, chat.messages[i].parent);
            QVERIFY(read->messages[i].role == chat.messages[i].role);
            QCOMPARE(read->messages[i].createdAtMs, chat.messages[i].createdAtMs);
            QCOMPARE(read->messages[i].content, chat.messages[i].content);
            QCOMPARE(read->messages[i].stopReason, chat.messages[i].stopReason);
            QVERIFY(read->messages[i].tokens == chat.messages[i].tokens);
        }
        QCOMPARE(read->attachments.size(), std::size_t(1));
        QCOMPARE(read->attachments[0].text, chat.attachments[0].text);
        QCOMPARE(read->states.size(), std::size_t(2));
        QVERIFY(read->states[1].bytes == chat.states[1].bytes);  // the state file, bit for bit
        QVERIFY(writeChatFile(*read) == bytes);
        // A chat without messages or states is a file too.
        const auto empty = readChatFile(writeChatFile(chat_file::ChatFile{}));
        QVERIFY2(empty, empty ? "" : empty.error().message.c_str());
    }

    void truncatedAnywhereIsRefused() {
        const std::string bytes = writeChatFile(rctest::sampleChat(*m_model));
        std::vector<std::size_t> cuts = sectionStarts(bytes);
        for (std::size_t at = 0; at < bytes.size(); at += 13) cuts.push_back(at);
        for (const std::size_t section : sectionStarts(bytes)) {
            cuts.push_back(section + 1);
            cuts.push_back(section + 12);
            cuts.push_back(section + 17);
        }
        for (const std::size_t cut : cuts) {
            if (cut >= bytes.size()) continue;
            const std::string truncated = bytes.substr(0, cut);
            QVERIFY2(!refusal(truncated).isEmpty(), qPrintable(QStringLiteral("accepted a cut at %1").arg(cut)));
            if (cut + 8 == bytes.size()) continue;  // only the checksum cut: forging it back makes the original
            // Forged to look whole: the parser behind the checksum must see the missing part.
            std::string forged = truncated + std::string(8, '\0');
            rctest::repair(forged);
            QVERIFY2(!refusal(forged).isEmpty(), qPrintable(QStringLiteral("accepted a forged cut at %1").arg(cut)));
        }
        QVERIFY(refusal(bytes.substr(0, bytes.size() - 100)).contains(QLatin1String("truncated")));
    }

    void everyFlippedByteIsRefused() {
        const std::string bytes = writeChatFile(rctest::sampleChat(*m_model));
        for (std::size_t at = 0; at < bytes.size(); ++at) {
            std::string flipped = bytes;
            flipped[at] = char(flipped[at] ^ 0x10);
            QVERIFY2(!refusal(flipped).isEmpty(), qPrintable(QStringLiteral("accepted a flip at %1").arg(at)));
        }
        std::string flipped = bytes;
        flipped[bytes.size() / 2] ^= 1;
        QVERIFY(refusal(flipped).contains(QLatin1String("checksum")));
    }

    void forgedFilesAreRefusedWithReasons_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("expected");
        const char* const cases[][2] = {
            {"absurd message count", "message count"},
            {"absurd settings count", "settings count"},
            {"absurd token count", "token count"},
            {"absurd string length", "declares"},
            {"absurd section count", "section count"},
            {"absurd section length", "declares"},
            {"invalid UTF-8 title (overlong)", "not valid UTF-8"},
            {"invalid UTF-8 message (surrogate)", "not valid UTF-8"},
            {"invalid UTF-8 attachment (cut sequence)", "not valid UTF-8"},
            {"state of another model", "belongs to model"},
            {"state of the wrong length", "position"},
            {"state file damaged", "not a valid state file"},
            {"state of a user message", "state's message"},
            {"parent after its child", "parent"},
            {"two user turns in a row", "alternation"},
            {"unknown role", "role"},
            {"unknown stop reason", "stop reason"},
            {"negative token", "negative"},
            {"current leaf out of range", "current message"},
            {"duplicate setting", "appears twice"},
            {"fingerprint not hex", "fingerprint"},
            {"attachment of a model message", "attachment's message"},
            {"attachment name with a folder", "attachment's name"},
            {"other version", "format version"},
            {"not an rgchat", "not a Recurrent Chat"},
            {"bytes after the last section", "follow the last section"},
        };
        for (int i = 0; i < int(std::size(cases)); ++i)
            QTest::newRow(cases[i][0]) << i << QString::fromLatin1(cases[i][1]);
    }

    void forgedFilesAreRefusedWithReasons() {
        QFETCH(int, which);
        QFETCH(QString, expected);
        chat_file::ChatFile chat = rctest::sampleChat(*m_model);
        std::string bytes;
        const auto patched = [&](auto edit) {
            bytes = writeChatFile(chat);
            edit();
            rctest::repair(bytes);
        };
        switch (which) {
            case 0:
                patched([&] { rctest::poke<uint32_t>(bytes, rctest::messageCountOffset(chat), 0xFFFFFFF0u); });
                break;
            case 1:
                patched([&] { rctest::poke<uint32_t>(bytes, rctest::settingsCountOffset(chat), 0x7FFFFFFFu); });
                break;
            case 2:
                patched([&] { rctest::poke<uint32_t>(bytes, rctest::firstTokenCountOffset(chat), 0x40000000u); });
                break;
            case 3:
                patched([&] { rctest::poke<uint32_t>(bytes, rctest::kChatPayload, 0xFFFFFFFFu); });
                break;
            case 4:
                patched([&] { rctest::poke<uint32_t>(bytes, 20, 0xFFFFFFFFu); });
                break;
            case 5:
                patched([&] { rctest::poke<uint64_t>(bytes, 28, ~uint64_t(0) >> 1); });
                break;
            case 6:
                chat.title = "\xC0\xAF";
                bytes = writeChatFile(chat);
                break;
            case 7:
                chat.messages[2].content = "a\xED\xA0\x80z";
                bytes = writeChatFile(chat);
                break;
            case 8:
                chat.attachments[0].text = "ok \xE2\x82";
                bytes = writeChatFile(chat);
                break;
            case 9:
                chat.states[1].bytes = rctest::stateBytes(*m_other, 14);
                bytes = writeChatFile(chat);
                break;
            case 10:
                chat.states[1].bytes = rctest::stateBytes(*m_model, 13);
                bytes = writeChatFile(chat);
                break;
            case 11:
                chat.states[0].bytes[40] ^= 1;
                bytes = writeChatFile(chat);
                break;
            case 12:
                chat.states[0].message = 0;
                bytes = writeChatFile(chat);
                break;
            case 13:
                chat.messages[1].parent = 3;
                bytes = writeChatFile(chat);
                break;
            case 14:
                chat.messages[3].role = chat_file::Role::User;
                chat.messages[3].stopReason.clear();
                bytes = writeChatFile(chat);
                break;
            case 15:
                chat.messages[0].role = chat_file::Role(7);
                bytes = writeChatFile(chat);
                break;
            case 16:
                chat.messages[1].stopReason = "tired";
                bytes = writeChatFile(chat);
                break;
            case 17:
                chat.messages[0].tokens[1] = -5;
                bytes = writeChatFile(chat);
                break;
            case 18:
                chat.currentLeaf = 5;
                bytes = writeChatFile(chat);
                break;
            case 19:
                chat.settings.push_back({"temperature", "1"});
                bytes = writeChatFile(chat);
                break;
            case 20:
                chat.modelFingerprint = std::string(32, 'Z');
                bytes = writeChatFile(chat);
                break;
            case 21:
                chat.attachments[0].message = 1;
                bytes = writeChatFile(chat);
                break;
            case 22:
                chat.attachments[0].name = "../etc/passwd";
                bytes = writeChatFile(chat);
                break;
            case 23:
                patched([&] { rctest::poke<uint32_t>(bytes, 8, 2u); });
                break;
            case 24:
                patched([&] { bytes[0] = 'X'; });
                break;
            case 25:
                bytes = writeChatFile(chat);
                bytes.insert(bytes.size() - 8, "junk");
                rctest::repair(bytes);
                break;
        }
        const QString error = refusal(bytes);
        QVERIFY2(error.contains(expected), qPrintable(QStringLiteral("got: \"%1\"").arg(error)));
    }

    // The fuzzer's seeds (written by tests/fuzz/make_corpus.sh, a second writer of the format) are valid files.
    void seedCorpusIsAccepted() {
        const QDir corpus(QStringLiteral(RC_TEST_DATA_DIR "/../fuzz/corpus/chat_file"));
        const QStringList seeds = corpus.entryList(QDir::Files);
        QVERIFY(seeds.size() >= 3);
        for (const QString& seed : seeds) {
            QFile file(corpus.filePath(seed));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray bytes = file.readAll();
            const auto read = readChatFile(std::string_view(bytes.constData(), bytes.size()));
            QVERIFY2(read, qPrintable(seed + QStringLiteral(": ") + (read ? "" : read.error().message.c_str())));
        }
    }

    void utf8IsCheckedByTheTable() {
        using chat_file::isValidUtf8;
        QVERIFY(isValidUtf8(""));
        QVERIFY(isValidUtf8("plain ASCII"));
        QVERIFY(
            isValidUtf8("\xC2\x80 \xDF\xBF \xE0\xA0\x80 \xED\x9F\xBF \xEE\x80\x80 \xF0\x90\x80\x80 \xF4\x8F\xBF\xBF"));
        QVERIFY(isValidUtf8(std::string_view("nul\0inside", 10)));
        for (const char* bad : {"\x80", "\xC0\x80", "\xC1\xBF", "\xE0\x9F\xBF", "\xED\xA0\x80", "\xF0\x8F\xBF\xBF",
                                "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\xE2\x82", "\xC3", "\xE2\x28\xA1"})
            QVERIFY2(!isValidUtf8(bad), bad);
    }
};

QTEST_GUILESS_MAIN(TestChatFile)
#include "test_chat_file.moc"
