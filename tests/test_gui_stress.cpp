// test_gui_stress — the real window over the real controller and engine while a reply streams: switching
// conversations, changing preferences, loading another model and closing the app must never crash or deadlock,
// and must never lose the reply so far (it is stored, and shown again where the user left it); after many random
// actions every turn is accounted for in the database.
#include <QElapsedTimer>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QRandomGenerator>
#include <QSet>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>
#include <memory>

#include "app_window.h"
#include "chat_controller.h"
#include "threaded_engine.h"
Q_IMPORT_QML_PLUGIN(RecurrentChatPlugin)

namespace {

const QString kModel = QStringLiteral(RC_TEST_DATA_DIR "/tiny-f32");
const QString kOtherModel = QStringLiteral(RC_TEST_DATA_DIR "/tiny-bf16");
constexpr int kWaitMs = 60000;

// One run of the app, as main() builds it; destroyed in the order main() destroys it (the window first).
struct AppRun {
    explicit AppRun(const QString& dataDirectory)
        : settings(dataDirectory + QStringLiteral("/settings.ini"), QSettings::IniFormat),
          controller(dataDirectory, &settings, engine) {
        window = loadMainWindow(qml, controller);
        controller.preferences()->setRandomSeed(false);
        controller.preferences()->setSeed(11);
        controller.preferences()->setMaxNewTokens(32768);  // long enough to act while it streams
        controller.loadModel(kModel);
    }
    QSettings settings;
    ThreadedEngine engine;
    ChatController controller;
    QQmlApplicationEngine qml;
    QQuickWindow* window = nullptr;
};

// The messages of a database as (id, conversation, parent, role), read through a connection of its own.
struct StoredRow {
    qint64 id, conversation, parent;
    QString role;
};
QList<StoredRow> storedMessages(const QString& databasePath) {
    QList<StoredRow> rows;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("audit"));
        db.setDatabaseName(databasePath);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery q(db);
            q.exec(QStringLiteral("SELECT id, conversation_id, coalesce(parent_id, 0), role FROM messages"));
            while (q.next()) {
                rows.append(
                    {q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toLongLong(), q.value(3).toString()});
            }
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("audit"));
    return rows;
}

}  // namespace

class TestGuiStress : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir m_home;

    std::unique_ptr<AppRun> start(const QString& name) {
        auto run = std::make_unique<AppRun>(m_home.filePath(name));
        if (run->window == nullptr) return nullptr;
        run->window->show();
        return run;
    }

    // Sends `text` and waits for the first streamed text; returns the row the reply streams into (-1: none).
    static int sendAndWaitForText(AppRun& run, const QString& text) {
        run.controller.send(text);
        if (!run.controller.generating()) return -1;
        const int row = run.controller.messages()->rowCount() - 1;
        QElapsedTimer clock;
        clock.start();
        while (run.controller.messages()->contentAt(row).isEmpty() && run.controller.generating() &&
               clock.elapsed() < kWaitMs)
            QTest::qWait(1);
        return row;
    }

    // Like sendAndWaitForText, but until a reply is caught still streaming (a short one may end, at the model's
    // end-of-text, before the test acts): each try continues the conversation. -1 if none was caught.
    static int sendUntilStreaming(AppRun& run, const QString& text) {
        for (int attempt = 0; attempt < 20; ++attempt) {
            QSignalSpy stored(&run.controller, &ChatController::replyStored);
            const int row = sendAndWaitForText(run, text);
            if (row > 0 && run.controller.generating()) return row;
            if (row < 0) return -1;  // refused: nothing was sent
            if (stored.isEmpty()) stored.wait(kWaitMs);
        }
        return -1;
    }

  private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_CONFIG_HOME", m_home.filePath("config").toUtf8());
        qputenv("XDG_DATA_HOME", m_home.filePath("data").toUtf8());
    }

    void switchConversationsWhileStreaming() {
        auto run = start(QStringLiteral("switch"));
        QVERIFY(run);
        QTRY_COMPARE_WITH_TIMEOUT(run->controller.modelStatus(), ChatController::ModelStatus::Ready, kWaitMs);
        run->controller.setSystemPrompt(QStringLiteral("another chat"));  // a second conversation to switch to
        const qint64 other = run->controller.currentConversationId();
        run->controller.newConversation();
        const int row = sendUntilStreaming(*run, QStringLiteral("Tell me a long story"));
        QVERIFY(row > 0);
        QSignalSpy stored(&run->controller, &ChatController::replyStored);
        const qint64 streaming = run->controller.currentConversationId();
        int whileStreaming = 0;
        for (int i = 0; i < 20 && run->controller.generating(); ++i) {
            ++whileStreaming;
            run->controller.openConversation(other);
            QTest::qWait(5);
            run->controller.newConversation();
            QTest::qWait(5);
            const QString before = run->controller.generating() ? QString() : QStringLiteral("done");
            run->controller.openConversation(streaming);
            if (before.isEmpty() && run->controller.generating()) {
                // Back in the streaming conversation: the reply so far is there, and keeps growing.
                QCOMPARE(run->controller.messages()->rowCount(), row + 1);
                QVERIFY(!run->controller.messages()->contentAt(row).isEmpty());
            }
        }
        const QString partial = run->controller.messages()->contentAt(row);
        run->controller.stop();
        QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 1, kWaitMs);
        QVERIFY(run->controller.messages()->contentAt(row).startsWith(partial));
        qInfo("%d rounds of switching while the reply streamed", whileStreaming);
        QVERIFY(whileStreaming >= 1);
    }

    void changePreferencesWhileStreaming() {
        auto run = start(QStringLiteral("preferences"));
        QVERIFY(run);
        QTRY_COMPARE_WITH_TIMEOUT(run->controller.modelStatus(), ChatController::ModelStatus::Ready, kWaitMs);
        const int row = sendUntilStreaming(*run, QStringLiteral("Hello"));
        QVERIFY(row > 0);
        QSignalSpy stored(&run->controller, &ChatController::replyStored);
        Preferences* preferences = run->controller.preferences();
        for (int i = 0; i < 10; ++i) {
            preferences->setThreads(1 + i % 2);
            preferences->setTemperature(0.5 + 0.1 * i);
            preferences->setTopK(10 + i);
            preferences->setFontSize(12 + i % 4);
            preferences->setTheme(i % 2 ? Preferences::Theme::Dark : Preferences::Theme::Light);
            preferences->setMaxNewTokens(2000 + i);
            QTest::qWait(10);
        }
        const QString partial = run->controller.messages()->contentAt(row);
        run->controller.stop();
        QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 1, kWaitMs);
        QVERIFY(run->controller.messages()->contentAt(row).startsWith(partial));
    }

    void loadAnotherModelWhileStreaming() {
        auto run = start(QStringLiteral("model"));
        QVERIFY(run);
        QTRY_COMPARE_WITH_TIMEOUT(run->controller.modelStatus(), ChatController::ModelStatus::Ready, kWaitMs);
        const int row = sendUntilStreaming(*run, QStringLiteral("Hello"));
        QVERIFY(row > 0);
        QSignalSpy stored(&run->controller, &ChatController::replyStored);
        const QString partial = run->controller.messages()->contentAt(row);
        run->controller.loadModel(kOtherModel);  // stops the reply first
        QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 1, kWaitMs);
        QVERIFY(run->controller.messages()->contentAt(row).startsWith(partial));
        QTRY_COMPARE_WITH_TIMEOUT(run->controller.modelStatus(), ChatController::ModelStatus::Ready, kWaitMs);
        QVERIFY(run->controller.modelDetails().contains(QStringLiteral("BF16")));
        // The conversation continues on the new model (its state is rebuilt from the transcript).
        run->controller.preferences()->setMaxNewTokens(5);
        run->controller.send(QStringLiteral("Still there?"));
        QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 2, kWaitMs);
        QCOMPARE(run->controller.messages()->rowCount(), row + 3);
    }

    void closeWhileStreamingKeepsTheReply() {
        QString partial;
        qint64 conversation = 0;
        int row = -1;
        {
            auto run = start(QStringLiteral("close"));
            QVERIFY(run);
            QTRY_COMPARE_WITH_TIMEOUT(run->controller.modelStatus(), ChatController::ModelStatus::Ready, kWaitMs);
            row = sendUntilStreaming(*run, QStringLiteral("Hello"));
            QVERIFY(row > 0);  // still streaming when the app quits
            partial = run->controller.messages()->contentAt(row);
            conversation = run->controller.currentConversationId();
            run->window->close();
        }  // quit while it streams
        auto run = start(QStringLiteral("close"));
        QVERIFY(run);
        run->controller.openConversation(conversation);
        QCOMPARE(run->controller.messages()->rowCount(), row + 1);
        QVERIFY2(run->controller.messages()->contentAt(row).startsWith(partial),
                 qPrintable(run->controller.messages()->contentAt(row)));
    }

    // Random actions, quickly, many times: whatever the order, no crash, no deadlock, and every turn accounted
    // for: each message taken is in the database, each reply started ended once, and the database holds exactly
    // the replies said to be stored, each the child of a user message of its conversation.
    void randomActionsWhileStreaming() {
        auto run = start(QStringLiteral("random"));
        QVERIFY(run);
        QTRY_COMPARE_WITH_TIMEOUT(run->controller.modelStatus(), ChatController::ModelStatus::Ready, kWaitMs);
        run->controller.preferences()->setMaxNewTokens(200);
        QSignalSpy stored(&run->controller, &ChatController::replyStored);
        QRandomGenerator random(5);
        QList<qint64> conversations;
        int messagesTaken = 0;
        int repliesStarted = 0;
        for (int i = 0; i < 200; ++i) {
            const bool wasGenerating = run->controller.generating();
            switch (random.bounded(7)) {
                case 0:
                    if (run->controller.send(QStringLiteral("message %1").arg(i))) {
                        ++messagesTaken;
                        ++repliesStarted;
                    }
                    break;
                case 1:
                    run->controller.stop();
                    break;
                case 2:
                    run->controller.newConversation();
                    break;
                case 3:
                    if (!conversations.isEmpty())
                        run->controller.openConversation(conversations[random.bounded(conversations.size())]);
                    break;
                case 4:
                    run->controller.regenerate();
                    if (!wasGenerating && run->controller.generating()) ++repliesStarted;
                    break;
                case 5:
                    run->controller.preferences()->setThreads(1 + random.bounded(2));
                    break;
                default:
                    QTest::qWait(random.bounded(30));
                    break;
            }
            if (run->controller.currentConversationId() != 0 &&
                !conversations.contains(run->controller.currentConversationId()))
                conversations.append(run->controller.currentConversationId());
            QCoreApplication::processEvents();
        }
        run->controller.stop();
        QTRY_VERIFY_WITH_TIMEOUT(!run->controller.generating(), kWaitMs);
        qInfo("%d messages taken, %d replies started, %lld ended", messagesTaken, repliesStarted,
              static_cast<long long>(stored.count()));
        QVERIFY(messagesTaken >= 1);
        QCOMPARE(stored.count(), repliesStarted);

        const QList<StoredRow> rows = storedMessages(m_home.filePath(QStringLiteral("random/conversations.sqlite3")));
        QHash<qint64, StoredRow> byId;
        for (const StoredRow& row : rows) byId.insert(row.id, row);
        QSet<qint64> replies;
        int userMessages = 0;
        for (const StoredRow& row : rows) {
            if (row.role == u"user") {
                ++userMessages;
            } else {
                replies.insert(row.id);
            }
        }
        QCOMPARE(userMessages, messagesTaken);
        QSet<qint64> saidStored;
        int notStored = 0;
        for (const QList<QVariant>& signal : std::as_const(stored)) {
            const qint64 conversation = signal.at(0).toLongLong();
            const qint64 reply = signal.at(1).toLongLong();
            if (reply == 0) {
                ++notStored;  // stopped before the engine fed the turn
                continue;
            }
            saidStored.insert(reply);
            QVERIFY(byId.contains(reply));
            QCOMPARE(byId[reply].conversation, conversation);
            QVERIFY(byId.contains(byId[reply].parent));
            QCOMPARE(byId[byId[reply].parent].role, QStringLiteral("user"));
            QCOMPARE(byId[byId[reply].parent].conversation, conversation);
        }
        QCOMPARE(replies, saidStored);
        // A user message without a reply is one whose reply was stopped before it began.
        QSet<qint64> answered;
        for (qint64 reply : std::as_const(replies)) answered.insert(byId[reply].parent);
        QVERIFY(userMessages - int(answered.size()) <= notStored);
        QCOMPARE(run->controller.conversations()->rowCount(),
                 int(QSet<qint64>(conversations.begin(), conversations.end()).size()));
    }
};

QTEST_MAIN(TestGuiStress)
#include "test_gui_stress.moc"
