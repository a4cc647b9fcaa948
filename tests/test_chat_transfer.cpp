// test_chat_transfer.cpp — .rgchat, Markdown and JSON export and .rgchat import between real data folders (SQLite
// files, state files) with the real engine: a chat with a system prompt and two branches made on the demo model
// crosses to another data folder with its transcript and branches intact and its state file bit-identical, and both
// give the same next greedy reply without re-processing anything; with other weights the import says so and the
// next reply rebuilds the state. Hostile files change nothing; 100 MB imports, a file over the limit is refused.
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QtTest>
#include <memory>

#include "chat_controller.h"
#include "chat_file_sample.h"
#include "chat_transfer.h"
#include "chat_transfer_support.h"
#include "data_folder.h"
#include "file_bytes.h"

using rctest::App;
using rctest::kReplyWaitMs;
using rctest::snapshot;
using rctest::treeOf;

namespace {

const QString kDemoModel = QStringLiteral(RC_DEMO_MODEL_DIR);
const QString kTiny = QStringLiteral(RC_TEST_DATA_DIR "/tiny-f32");
const QString kTinyBf16 = QStringLiteral(RC_TEST_DATA_DIR "/tiny-bf16");

QString fingerprintOf(const QString& model) {
    return QString::fromStdString(rctest::loadModel(model)->info().fingerprint);
}

}  // namespace

class TestChatTransfer : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    QString folder(const QString& name) const { return m_home.filePath(name); }

  private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
    }

    // The target: export → import on another data folder: identical transcript and branches, the state file
    // bit-identical, and the next greedy reply identical, with only the new turn processed.
    void roundTripToAnotherFolderOnTheDemoModel() {
        const QString file = folder(QStringLiteral("chat.rgchat"));
        qint64 original = 0;
        {
            App a(folder(QStringLiteral("a")), kDemoModel);
            QVERIFY(a.ready());
            a.controller.setSystemPrompt(QStringLiteral("You are a terse calculator."));
            QVERIFY(!a.say(QStringLiteral("What is 2 plus 3?")).isEmpty());
            original = a.controller.currentConversationId();
            QSignalSpy stored(&a.controller, &ChatController::replyStored);
            a.controller.regenerate();  // a second branch: the alternative reply (greedy: the same text)
            QVERIFY(stored.wait(kReplyWaitMs));
            QVERIFY(!a.say(QStringLiteral("Define cat.")).isEmpty());
        }
        QString originalTree;
        QByteArray originalState;
        {
            DataFolder a(folder(QStringLiteral("a")));
            ChatTransfer::ExportOptions everyState;
            everyState.everyState = true;  // so that every reply's state (named in the tree below) travels
            QCOMPARE(ChatTransfer::exportChat(a, original, ChatTransfer::Format::RgChat, file, everyState), QString());
            const QList<StoredMessage> path = a.store()->currentPath(original);
            QCOMPARE(path.size(), 4);
            originalTree = treeOf(a.store()->allMessages(original)).join(u'\n');
            originalState = rctest::readAll(a.statePath(path.last().stateFile));
            QVERIFY(!originalState.isEmpty());
        }
        qint64 imported = 0;
        {
            DataFolder b(folder(QStringLiteral("b")));
            const auto result = ChatTransfer::importChat(b, file, fingerprintOf(kDemoModel));
            QVERIFY2(result, qPrintable(result ? QString() : result.error()));
            QVERIFY(result->resumesInstantly);
            QVERIFY(result->report.contains(QLatin1String("continues instantly")));
            imported = result->conversationId;
            const auto summary = b.store()->conversation(imported);
            QVERIFY(summary);
            QCOMPARE(summary->systemPrompt, QStringLiteral("You are a terse calculator."));
            QCOMPARE(treeOf(b.store()->allMessages(imported)).join(u'\n'), originalTree);
            const QList<StoredMessage> path = b.store()->currentPath(imported);
            QCOMPARE(path.size(), 4);
            QCOMPARE(rctest::readAll(b.statePath(path.last().stateFile)), originalState);
            QCOMPARE(b.store()->siblings(path.at(1).id).size(), 2);
        }
        // The next reply, in each folder, from a fresh start (the state from its file, nothing re-processed).
        QString replies[2];
        qint64 fed[2];
        const QString folders[2] = {folder(QStringLiteral("a")), folder(QStringLiteral("b"))};
        const qint64 ids[2] = {original, imported};
        for (int i = 0; i < 2; ++i) {
            App app(folders[i], kDemoModel);
            QVERIFY(app.ready());
            app.controller.openConversation(ids[i]);
            replies[i] = app.say(QStringLiteral("What is 4 plus 4?"));
            QVERIFY(!replies[i].isEmpty());
            QVERIFY2(!app.controller.notice().contains(QLatin1String("Rebuilding")),
                     qPrintable(app.controller.notice()));
            fed[i] = app.engine.tokensFed();
        }
        QCOMPARE(replies[1], replies[0]);
        QCOMPARE(fed[1], fed[0]);
        // Only the new turn was fed: its user tokens and the reply's, not the 4 messages before.
        DataFolder b(folder(QStringLiteral("b")));
        const QList<StoredMessage> path = b.store()->currentPath(imported);
        QCOMPARE(path.size(), 6);
        QVERIFY(fed[1] <= path.at(4).tokens.size() + path.at(5).tokens.size() + 4);
    }

    void otherWeightsReprocessTheTranscriptAndSaySo() {
        const QString file = folder(QStringLiteral("tiny.rgchat"));
        {
            App a(folder(QStringLiteral("tiny-a")), kTiny);
            QVERIFY(a.ready());
            QVERIFY(!a.say(QStringLiteral("Hello")).isEmpty());
        }
        {
            DataFolder a(folder(QStringLiteral("tiny-a")));
            const qint64 id = a.store()->conversations({}, 0, 1).value(0).id;
            QCOMPARE(ChatTransfer::exportChat(a, id, ChatTransfer::Format::RgChat, file), QString());
        }
        qint64 imported = 0;
        qint64 history = 0;
        {
            DataFolder b(folder(QStringLiteral("tiny-b")));
            const auto result = ChatTransfer::importChat(b, file, fingerprintOf(kTinyBf16));
            QVERIFY2(result, qPrintable(result ? QString() : result.error()));
            QVERIFY(!result->resumesInstantly);
            QVERIFY2(result->report.contains(QLatin1String("other weights")), qPrintable(result->report));
            imported = result->conversationId;
            for (const StoredMessage& m : b.store()->currentPath(imported)) history += m.tokens.size();
        }
        App b(folder(QStringLiteral("tiny-b")), kTinyBf16);
        QVERIFY(b.ready());
        b.controller.openConversation(imported);
        QStringList notices;
        QObject::connect(&b.controller, &ChatController::noticeChanged, &b.controller,
                         [&] { notices << b.controller.notice(); });
        QVERIFY(!b.say(QStringLiteral("Again")).isEmpty());
        // Announced while it ran, withdrawn once over (issue 19, bug 10).
        QVERIFY2(notices.join(u'\n').contains(QLatin1String("Rebuilding")), qPrintable(notices.join(u'\n')));
        QVERIFY(b.engine.tokensFed() > history);
    }

    void markdownAndJsonCarryTheCurrentBranch() {
        DataFolder a(folder(QStringLiteral("a")));
        const ConversationSummary chat = a.store()->conversations({}, 0, 1).value(0);
        QVERIFY(chat.id != 0);
        const QList<StoredMessage> path = a.store()->currentPath(chat.id);
        const QString md = folder(QStringLiteral("chat.md"));
        const QString json = folder(QStringLiteral("chat.json"));
        QCOMPARE(ChatTransfer::exportChat(a, chat.id, ChatTransfer::Format::Markdown, md), QString());
        QCOMPARE(ChatTransfer::exportChat(a, chat.id, ChatTransfer::Format::Json, json), QString());
        QCOMPARE(QString::fromUtf8(rctest::readAll(md)), ChatTransfer::markdown(chat.title, path));
        QVERIFY(QString::fromUtf8(rctest::readAll(md)).contains(path.last().content));
        const QJsonObject root = QJsonDocument::fromJson(rctest::readAll(json)).object();
        QCOMPARE(root.value(QStringLiteral("format")).toString(), QStringLiteral("recurrent-chat-transcript"));
        QCOMPARE(root.value(QStringLiteral("system_prompt")).toString(), chat.systemPrompt);
        const QJsonArray messages = root.value(QStringLiteral("messages")).toArray();
        QCOMPARE(messages.size(), path.size());
        for (int i = 0; i < path.size(); ++i) {
            QCOMPARE(messages.at(i)[QStringLiteral("content")].toString(), path.at(i).content);
            QCOMPARE(messages.at(i)[QStringLiteral("role")].toString(), ConversationStore::roleName(path.at(i).role));
        }
        // Every state, on request: one per model message.
        const QString every = folder(QStringLiteral("every.rgchat"));
        ChatTransfer::ExportOptions options;
        options.everyState = true;
        QCOMPARE(ChatTransfer::exportChat(a, chat.id, ChatTransfer::Format::RgChat, every, options), QString());
        const QByteArray bytes = rctest::readAll(every);
        const auto read = chat_file::readChatFile(std::string_view(bytes.constData(), bytes.size()));
        QVERIFY(read);
        int replies = 0;
        for (const StoredMessage& m : a.store()->allMessages(chat.id)) replies += m.role == MessageRole::Model;
        QCOMPARE(int(read->states.size()), replies);
        QVERIFY(!ChatTransfer::exportChat(a, 987654, ChatTransfer::Format::Json, json).isEmpty());
    }

    void hostileFilesChangeNothing() {
        DataFolder data(folder(QStringLiteral("hostile")));
        QVERIFY(data.store()->createConversation(QStringLiteral("kept")) != 0);
        const auto tiny = rctest::loadModel(kTiny);
        const auto other = rctest::loadModel(kTinyBf16);
        const chat_file::ChatFile sample = rctest::sampleChat(*tiny);
        const std::string good = chat_file::writeChatFile(sample);
        QList<QPair<QString, std::string>> files;
        for (std::size_t cut = 0; cut < good.size(); cut += good.size() / 40 + 1)
            files.append({QStringLiteral("truncated at %1").arg(cut), good.substr(0, cut)});
        for (std::size_t at = 0; at < good.size(); at += good.size() / 40 + 1) {
            std::string flipped = good;
            flipped[at] = char(flipped[at] ^ 0x40);
            files.append({QStringLiteral("flipped at %1").arg(at), flipped});
        }
        std::string absurd = good;
        rctest::poke<uint32_t>(absurd, rctest::messageCountOffset(sample), 0xFFFFFFFFu);
        rctest::repair(absurd);
        files.append({QStringLiteral("absurd count"), absurd});
        chat_file::ChatFile foreign = sample;
        foreign.states[1].bytes = rctest::stateBytes(*other, 14);
        files.append({QStringLiteral("state of another model"), chat_file::writeChatFile(foreign)});
        chat_file::ChatFile badText = sample;
        badText.messages[3].content = "\xF8\x88\x80\x80\x80";
        files.append({QStringLiteral("invalid UTF-8"), chat_file::writeChatFile(badText)});

        const QString before = snapshot(data);
        const QString path = folder(QStringLiteral("hostile.rgchat"));
        for (const auto& [name, bytes] : files) {
            rctest::writeAll(path, QByteArray(bytes.data(), qsizetype(bytes.size())));
            const auto result = ChatTransfer::importChat(data, path, {});
            QVERIFY2(!result, qPrintable(name));
            QVERIFY2(result.error().contains(QDir::toNativeSeparators(path)), qPrintable(result.error()));
            QCOMPARE(snapshot(data), before);
        }
        // And the good one is taken, states and all.
        rctest::writeAll(path, QByteArray(good.data(), qsizetype(good.size())));
        const auto result = ChatTransfer::importChat(data, path, {});
        QVERIFY2(result, qPrintable(result ? QString() : result.error()));
        QCOMPARE(data.store()->allMessages(result->conversationId).size(), 5);
        QVERIFY(snapshot(data) != before);
    }

    void largeFilesImportAndTooLargeOnesAreRefused() {
        DataFolder data(folder(QStringLiteral("large")));
        chat_file::ChatFile chat;
        chat.title = "A hundred megabytes";
        const std::string text(1000 * 1000, 'x');
        for (uint32_t i = 0; i < 100; ++i) {
            chat.messages.push_back({i == 0 ? chat_file::kNoIndex : i - 1,
                                     i % 2 ? chat_file::Role::Model : chat_file::Role::User,
                                     1765000000000 + i,
                                     text,
                                     i % 2 ? "end" : "",
                                     {int32_t(i)}});
        }
        chat.currentLeaf = 99;
        const QString path = folder(QStringLiteral("large.rgchat"));
        {
            const std::string bytes = chat_file::writeChatFile(chat);
            QVERIFY(bytes.size() >= 100u * 1000 * 1000);
            rctest::writeAll(path, QByteArray(bytes.data(), qsizetype(bytes.size())));
        }
        const auto imported = ChatTransfer::importChat(data, path, {});
        QVERIFY2(imported, qPrintable(imported ? QString() : imported.error()));
        QCOMPARE(data.store()->currentPath(imported->conversationId).size(), 100);
        QCOMPARE(data.store()->currentPath(imported->conversationId).last().content.size(), qsizetype(text.size()));

        // Over the limit: refused by its size, before a byte is read (a sparse file: nothing is written).
        const QString before = snapshot(data);
        QFile huge(folder(QStringLiteral("huge.rgchat")));
        QVERIFY(huge.open(QIODevice::WriteOnly));
        huge.write("RGCHAT\0\0", 8);
        QVERIFY(huge.resize(qint64(chat_file::kMaxFileBytes) + 1));
        huge.close();
        const auto refused = ChatTransfer::importChat(data, huge.fileName(), {});
        QVERIFY(!refused);
        QVERIFY2(refused.error().contains(QLatin1String("too large")), qPrintable(refused.error()));
        QVERIFY(refused.error().contains(QString::number(chat_file::kMaxFileBytes / 1000000)));
        QCOMPARE(snapshot(data), before);
    }
};

QTEST_GUILESS_MAIN(TestChatTransfer)
#include "test_chat_transfer.moc"
