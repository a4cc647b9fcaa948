// test_reply_flow — ReplyFlow on the fake engine, with the real data folder (SQLite file, state files), message and
// conversation models and preferences: send, stop (while running and before the reply started), regenerate, edit,
// switching conversations while a reply streams, a failed reply, a rebuilt state, the reply the database refused
// (kept, shown, retried), and what each request asks of the engine. Milliseconds per test: nothing waits for a model.
#include <QDir>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <memory>

#include "conversation_list_model.h"
#include "data_folder.h"
#include "fake_engine.h"
#include "file_size_limit.h"
#include "message_model.h"
#include "preferences.h"
#include "reply_flow.h"
#include "rgemma/generate.h"

using rctest::FileSizeLimit;

namespace {

constexpr int kWaitMs = 5000;  // the fake answers within a few event-loop turns: this only bounds a hang

// The app's non-GUI half around a reply flow, on the fake engine, in a data folder of its own.
struct Flow {
    explicit Flow(const QString& directory)
        : settings(directory + QStringLiteral("/settings.ini"), QSettings::IniFormat),
          preferences(&settings),
          data(directory),
          flow(engine, data, messages, conversations, preferences) {
        conversations.setStore(data.store());
        preferences.setRandomSeed(false);
        preferences.setSeed(5);
        flow.setModelReady(true);
        QObject::connect(&flow, &ReplyFlow::notice, &flow, [this](const QString& text) { notices.append(text); });
        QObject::connect(&flow, &ReplyFlow::conversationCreated, &flow, [this](qint64 id) { created.append(id); });
    }
    ~Flow() { engine.shutDown(); }

    // Sends `text` in `conversation` (0: a new one) and waits for the reply to be stored; its message id.
    qint64 sendAndWait(qint64 conversation, const QString& text) {
        QSignalSpy stored(&flow, &ReplyFlow::replyStored);
        if (!flow.send(conversation, text)) return -1;
        if (!stored.wait(kWaitMs)) return -1;
        return stored.last().at(1).toLongLong();
    }
    qint64 lastConversation() const { return created.isEmpty() ? 0 : created.last(); }
    ConversationStore& store() { return *data.store(); }

    QSettings settings;
    Preferences preferences;
    DataFolder data;
    MessageModel messages;
    ConversationListModel conversations;
    FakeEngine engine;
    ReplyFlow flow;
    QStringList notices;
    QList<qint64> created;
};

QString joined(const QStringList& pieces) { return pieces.join(QString()); }

}  // namespace

class TestReplyFlow : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir m_home;
    int m_runs = 0;
    std::unique_ptr<Flow> start() { return std::make_unique<Flow>(m_home.filePath(QString::number(++m_runs))); }

  private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        std::signal(SIGXFSZ, SIG_IGN);  // as the app does: EFBIG instead of death
    }

    // The user's words are stored before anything else; the reply streams into a row of its own and is stored
    // with the state file the flow named; the next turn continues from that state.
    void sendStoresTheTurnAndStreamsTheReply() {
        auto f = start();
        QSignalSpy generating(&f->flow, &ReplyFlow::generatingChanged);
        QSignalSpy streamed(&f->messages, &QAbstractItemModel::dataChanged);
        QSignalSpy stored(&f->flow, &ReplyFlow::replyStored);
        QVERIFY(f->flow.send(0, QStringLiteral("  Hello there  ")));
        const qint64 conversation = f->lastConversation();
        QVERIFY(conversation != 0);
        QVERIFY(f->flow.generating());
        QCOMPARE(f->flow.generatingConversationId(), conversation);
        // Stored before the engine has said a word, and shown, with an empty streaming row after it.
        QCOMPARE(f->store().currentPath(conversation).size(), 1);
        QCOMPARE(f->store().currentPath(conversation).first().content, QStringLiteral("Hello there"));
        QCOMPARE(f->store().conversation(conversation)->title, QStringLiteral("Hello there"));
        QCOMPARE(f->messages.rowCount(), 2);
        QCOMPARE(f->messages.index(1).data(MessageModel::StreamingRole).toBool(), true);

        QVERIFY(stored.wait(kWaitMs));
        QCOMPARE(stored.last().at(0).toLongLong(), conversation);
        const qint64 replyId = stored.last().at(1).toLongLong();
        QVERIFY(replyId != 0);
        QVERIFY(streamed.count() >= 3);  // a piece at a time, into the row
        QVERIFY(!f->flow.generating());
        QCOMPARE(generating.count(), 2);
        const QString expected = joined(FakeEngine::Script{}.pieces);
        QCOMPARE(f->messages.rowCount(), 2);
        QCOMPARE(f->messages.contentAt(1), expected);
        QCOMPARE(f->messages.messageIdAt(1), replyId);
        QCOMPARE(f->messages.index(1).data(MessageModel::StreamingRole).toBool(), false);

        const auto reply = f->store().message(replyId);
        QVERIFY(reply);
        QCOMPARE(reply->content, expected);
        QCOMPARE(reply->stopReason, QStringLiteral("end"));
        QVERIFY(reply->modelFingerprint.startsWith(QStringLiteral("fake-")));
        QVERIFY(QFile::exists(f->data.statePath(reply->stateFile)));
        const auto user = f->store().message(reply->parentId);
        QCOMPARE(user->tokens.size(), QStringLiteral("Hello there").size() + 1);  // the engine's ids, stored

        // What was asked: a first turn on a fresh state, named where its state goes, with the preferences' sampling
        // and the engine's default length.
        const GenerationRequest first = f->engine.requests().at(0);
        QVERIFY(first.firstTurn);
        QCOMPARE(first.userText, QStringLiteral("Hello there"));
        QVERIFY(first.parentStateFile.isEmpty());
        QVERIFY(first.historyTokens.isEmpty());
        QCOMPARE(first.stateFileOut, f->data.statePath(reply->stateFile));
        QCOMPARE(first.maxNewTokens, rgemma::GenerateOptions{}.maxNewTokens);
        QCOMPARE(first.sampling.seed, uint64_t(5));
        QCOMPARE(first.sampling.temperature, float(Preferences::kTemperature.defaultValue));

        // The next turn names that state as its parent, with the whole transcript to rebuild it from if need be.
        QVERIFY(f->sendAndWait(conversation, QStringLiteral("And then?")) > 0);
        const GenerationRequest second = f->engine.requests().at(1);
        QVERIFY(!second.firstTurn);
        QCOMPARE(second.parentStateFile, first.stateFileOut);
        QCOMPARE(second.historyTokens, user->tokens + reply->tokens);
        QCOMPARE(f->messages.rowCount(), 4);
        QCOMPARE(f->store().currentPath(conversation).size(), 4);
    }

    void systemPromptGoesWithTheFirstTurnOnly() {
        auto f = start();
        const qint64 conversation = f->store().createConversation(QString());
        QVERIFY(f->store().setSystemPrompt(conversation, QStringLiteral("Be brief.")));
        QVERIFY(f->sendAndWait(conversation, QStringLiteral("Hi")) > 0);
        QVERIFY(f->sendAndWait(conversation, QStringLiteral("Again")) > 0);
        QCOMPARE(f->engine.requests().at(0).userText, QStringLiteral("Be brief.\n\nHi"));
        QCOMPARE(f->engine.requests().at(1).userText, QStringLiteral("Again"));
        QCOMPARE(f->store().currentPath(conversation).first().content, QStringLiteral("Hi"));  // stored as typed
        QCOMPARE(f->store().conversation(conversation)->title, QStringLiteral("Hi"));
    }

    void nothingIsTakenWithoutAModelOrWhileAReplyRuns() {
        auto f = start();
        f->flow.setModelReady(false);
        QVERIFY(!f->flow.send(0, QStringLiteral("Hello")));
        QCOMPARE(f->notices.last(), QStringLiteral("Open a model first."));
        QCOMPARE(f->store().conversationCount(QString()), 0);
        f->flow.setModelReady(true);
        QVERIFY(!f->flow.send(0, QStringLiteral("   ")));
        f->engine.setScript({{QStringLiteral("...")}, FakeEngine::Mode::Stall});
        QVERIFY(f->flow.send(0, QStringLiteral("Hello")));
        QVERIFY(!f->flow.send(f->lastConversation(), QStringLiteral("Again")));
        QCOMPARE(f->engine.requests().size(), 1);
    }

    // Stop while the reply streams: what it said so far is stored (stop reason "stopped") with its state.
    void stopKeepsTheReplySoFar() {
        auto f = start();
        f->engine.setScript({{QStringLiteral("Once"), QStringLiteral(" upon")}, FakeEngine::Mode::Stall});
        QSignalSpy stored(&f->flow, &ReplyFlow::replyStored);
        QVERIFY(f->flow.send(0, QStringLiteral("Tell me a story")));
        QTRY_COMPARE_WITH_TIMEOUT(f->messages.contentAt(1), QStringLiteral("Once"), kWaitMs);
        QVERIFY(f->flow.generating());
        f->flow.stop();
        QVERIFY(stored.wait(kWaitMs));
        const auto reply = f->store().message(stored.last().at(1).toLongLong());
        QVERIFY(reply);
        QCOMPARE(reply->content, QStringLiteral("Once"));
        QCOMPARE(reply->stopReason, QStringLiteral("stopped"));
        QVERIFY(!reply->stateFile.isEmpty());
        QCOMPARE(f->messages.contentAt(1), QStringLiteral("Once"));
    }

    // Stopped before the engine fed the turn: there is no reply to store, and the user message stays the leaf;
    // Reply (regenerate) then answers it.
    void stopBeforeTheReplyStartsStoresNothing() {
        auto f = start();
        QSignalSpy stored(&f->flow, &ReplyFlow::replyStored);
        QVERIFY(f->flow.send(0, QStringLiteral("Hello")));
        f->flow.stop();  // before the engine's turn came
        QVERIFY(stored.wait(kWaitMs));
        QCOMPARE(stored.last().at(1).toLongLong(), 0);
        const qint64 conversation = f->lastConversation();
        const QList<StoredMessage> path = f->store().currentPath(conversation);
        QCOMPARE(path.size(), 1);
        QCOMPARE(path.last().role, MessageRole::User);
        QCOMPARE(f->messages.rowCount(), 1);
        // A new message would follow a turn without a reply: refused, with the way out named.
        QVERIFY(!f->flow.send(conversation, QStringLiteral("Hello?")));
        QVERIFY(f->notices.last().contains(QStringLiteral("no reply yet")));
        f->flow.regenerate(conversation);
        QVERIFY(stored.wait(kWaitMs));
        QVERIFY(stored.last().at(1).toLongLong() != 0);
        QCOMPARE(f->store().currentPath(conversation).size(), 2);
        QCOMPARE(f->engine.requests().last().userText, QStringLiteral("Hello"));
    }

    // Regenerate adds an alternative from the same parent state; the arrows (by message id) switch between them.
    void regenerateAddsAnAlternative() {
        auto f = start();
        const qint64 first = f->sendAndWait(0, QStringLiteral("One"));
        const qint64 conversation = f->lastConversation();
        const qint64 second = f->sendAndWait(conversation, QStringLiteral("Two"));
        QVERIFY(first > 0 && second > 0);
        f->engine.setScript({{QStringLiteral("Another"), QStringLiteral(" answer")}});
        QSignalSpy stored(&f->flow, &ReplyFlow::replyStored);
        f->flow.regenerate(conversation);
        QCOMPARE(f->messages.rowCount(), 4);  // the old reply is out of view while the new one streams
        QVERIFY(stored.wait(kWaitMs));
        const qint64 alternative = stored.last().at(1).toLongLong();
        QCOMPARE(f->store().siblings(alternative), (QList<qint64>{second, alternative}));
        QCOMPARE(f->messages.contentAt(3), QStringLiteral("Another answer"));
        QCOMPARE(f->messages.index(3).data(MessageModel::SiblingIndexRole).toInt(), 1);
        const GenerationRequest& original = f->engine.requests().at(1);
        const GenerationRequest& again = f->engine.requests().at(2);
        QCOMPARE(again.parentStateFile, original.parentStateFile);
        QCOMPARE(again.historyTokens, original.historyTokens);
        QCOMPARE(again.userText, QStringLiteral("Two"));
        QVERIFY(again.stateFileOut != original.stateFileOut);

        QVERIFY(f->flow.switchAlternative(alternative, -1));
        QCOMPARE(f->messages.messageIdAt(3), second);
        QCOMPARE(f->messages.index(3).data(MessageModel::SiblingIndexRole).toInt(), 0);
        QVERIFY(!f->flow.switchAlternative(second, -1));  // there is none before the first
        QVERIFY(f->flow.switchAlternative(second, 1));
        QCOMPARE(f->messages.messageIdAt(3), alternative);
    }

    // Edit makes a sibling of the user message and replies to it; the original branch stays reachable.
    void editMakesASiblingBranch() {
        auto f = start();
        f->sendAndWait(0, QStringLiteral("One"));
        const qint64 conversation = f->lastConversation();
        f->sendAndWait(conversation, QStringLiteral("Two"));
        const qint64 two = f->messages.messageIdAt(2);
        QSignalSpy stored(&f->flow, &ReplyFlow::replyStored);
        f->flow.edit(two, QStringLiteral("Two, edited"));
        QVERIFY(stored.wait(kWaitMs));
        QCOMPARE(f->messages.rowCount(), 4);
        QCOMPARE(f->messages.contentAt(2), QStringLiteral("Two, edited"));
        const qint64 edited = f->messages.messageIdAt(2);
        QCOMPARE(f->store().siblings(edited), (QList<qint64>{two, edited}));
        QCOMPARE(f->engine.requests().last().parentStateFile, f->engine.requests().at(1).parentStateFile);
        QVERIFY(f->flow.switchAlternative(edited, -1));
        QCOMPARE(f->messages.contentAt(2), QStringLiteral("Two"));
        QCOMPARE(f->messages.rowCount(), 4);
        // A model message cannot be edited.
        f->flow.edit(f->messages.messageIdAt(3), QStringLiteral("no"));
        QCOMPARE(f->engine.requests().size(), 3);
    }

    // Away from the conversation that is replying and back: the reply goes on into its own conversation only, and
    // is shown again where it was.
    void switchConversationsWhileStreaming() {
        auto f = start();
        f->sendAndWait(0, QStringLiteral("Other chat"));
        const qint64 other = f->lastConversation();
        f->engine.setScript({{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")},
                             FakeEngine::Mode::Slow,
                             30});
        QSignalSpy stored(&f->flow, &ReplyFlow::replyStored);
        QVERIFY(f->flow.send(0, QStringLiteral("Streaming chat")));
        const qint64 streaming = f->lastConversation();
        QTRY_VERIFY_WITH_TIMEOUT(!f->messages.contentAt(1).isEmpty(), kWaitMs);
        f->flow.show(other);
        QCOMPARE(f->messages.rowCount(), 2);
        const QString otherReply = f->messages.contentAt(1);
        QTest::qWait(40);  // a piece or two arrive meanwhile
        QCOMPARE(f->messages.contentAt(1), otherReply);
        f->flow.show(streaming);
        QCOMPARE(f->messages.rowCount(), 2);
        QVERIFY(f->messages.index(1).data(MessageModel::StreamingRole).toBool());
        QVERIFY(!f->messages.contentAt(1).isEmpty());
        QVERIFY(stored.wait(kWaitMs));
        QCOMPARE(f->messages.contentAt(1), QStringLiteral("abcd"));
        QCOMPARE(f->store().currentPath(streaming).last().content, QStringLiteral("abcd"));
        QCOMPARE(f->store().currentPath(other).last().content, otherReply);
    }

    void failedReplyIsReported() {
        auto f = start();
        f->engine.setScript({{}, FakeEngine::Mode::Fail, 0, QStringLiteral("the engine broke")});
        QSignalSpy generating(&f->flow, &ReplyFlow::generatingChanged);
        QVERIFY(f->flow.send(0, QStringLiteral("Hello")));
        QTRY_VERIFY_WITH_TIMEOUT(!f->flow.generating(), kWaitMs);
        QCOMPARE(f->notices.last(), QStringLiteral("The reply failed: the engine broke"));
        QCOMPARE(f->messages.rowCount(), 1);  // the user's message stays, without a reply
        QCOMPARE(f->store().currentPath(f->lastConversation()).size(), 1);
        f->engine.setScript({});
        QSignalSpy stored(&f->flow, &ReplyFlow::replyStored);
        f->flow.regenerate(f->lastConversation());
        QVERIFY(stored.wait(kWaitMs));
        QCOMPARE(f->messages.rowCount(), 2);
    }

    // A state neither in the engine's memory nor on disk is rebuilt from the transcript, and the user is told.
    void rebuiltStateIsAnnounced() {
        auto f = start();
        const qint64 replyId = f->sendAndWait(0, QStringLiteral("Hello"));
        const qint64 conversation = f->lastConversation();
        QVERIFY(QFile::remove(f->data.statePath(f->store().message(replyId)->stateFile)));
        const QString directory = m_home.filePath(QString::number(m_runs));
        f.reset();  // the engine's memory goes with it
        Flow again(directory);
        QVERIFY(again.sendAndWait(conversation, QStringLiteral("Again")) > 0);
        QVERIFY2(again.notices.join(u'\n').contains(QStringLiteral("Rebuilding")),
                 qPrintable(again.notices.join(u'\n')));
    }

    // The database refuses the reply: it stays in view unsaved (id 0) across a switch, nothing new is taken, and the
    // retry timer stores it once the disk allows.
    void refusedReplyIsKeptShownAndRetried() {
        auto f = start();
        f->flow.setSaveRetryInterval(20);
        const QString database = m_home.filePath(QString::number(m_runs) + QStringLiteral("/conversations.sqlite3"));
        QVERIFY(f->sendAndWait(0, QStringLiteral("Hello")) > 0);
        const qint64 conversation = f->lastConversation();
        QSignalSpy stored(&f->flow, &ReplyFlow::replyStored);
        QVERIFY(f->flow.send(conversation, QStringLiteral("Tell me more")));
        // The user's turn is stored; the reply comes later, when the database may not grow.
        FileSizeLimit limit(
            rlim_t(std::max(QFileInfo(database + QStringLiteral("-wal")).size(), QFileInfo(database).size())));
        QVERIFY(limit.active);
        QVERIFY(stored.wait(kWaitMs));
        QCOMPARE(stored.last().at(1).toLongLong(), 0);
        QVERIFY2(f->notices.join(u'\n').contains(QStringLiteral("could not be saved")),
                 qPrintable(f->notices.join(u'\n')));
        QCOMPARE(f->messages.rowCount(), 4);
        QCOMPARE(f->messages.messageIdAt(3), 0);
        const QString unsaved = f->messages.contentAt(3);
        QVERIFY(!unsaved.isEmpty());

        f->flow.show(0);
        f->flow.show(conversation);
        QCOMPARE(f->messages.rowCount(), 4);
        QCOMPARE(f->messages.contentAt(3), unsaved);
        QVERIFY(!f->flow.send(conversation, QStringLiteral("And then?")));
        QVERIFY(f->notices.last().contains(QStringLiteral("Nothing can be saved")));
        QCOMPARE(f->engine.requests().size(), 2);

        limit.lift();
        QTRY_VERIFY_WITH_TIMEOUT(f->messages.messageIdAt(3) != 0, kWaitMs);
        QCOMPARE(f->messages.contentAt(3), unsaved);
        QVERIFY(f->notices.last().contains(QStringLiteral("saved now")));
        QCOMPARE(f->store().currentPath(conversation).size(), 4);
        QVERIFY(f->sendAndWait(conversation, QStringLiteral("And then?")) > 0);
        QCOMPARE(f->store().currentPath(conversation).size(), 6);
    }
};

QTEST_MAIN(TestReplyFlow)
#include "test_reply_flow.moc"
