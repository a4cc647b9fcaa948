// test_chat_controller — the controller's own share on the fake engine: the model bar's texts for each status, the
// preferences that reach the engine (each through its own change signal), conversations switched and deleted while
// a reply streams, actions that name messages by id while rows shift, and closing while a reply streams (the reply
// so far is stored). The reply flow itself is test_reply_flow's; the real engine's, test_app_e2e's.
#include <QDir>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

#include "chat_controller.h"
#include "fake_engine.h"

namespace {

constexpr int kWaitMs = 5000;
const QString kModel = QStringLiteral(RC_TEST_DATA_DIR "/tiny-f32");

// The app's non-GUI half on the fake engine; destroyed as main() destroys it (the controller before the engine).
struct Run {
    explicit Run(const QString& directory)
        : settings(directory + QStringLiteral("/settings.ini"), QSettings::IniFormat),
          controller(directory, &settings, engine) {}
    bool loadModel() {
        controller.loadModel(kModel);
        return QTest::qWaitFor([&] { return controller.modelStatus() == ChatController::ModelStatus::Ready; }, kWaitMs);
    }
    QSettings settings;
    FakeEngine engine;
    ChatController controller;
};

}  // namespace

class TestChatController : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir m_home;
    int m_runs = 0;
    QString nextDirectory() { return m_home.filePath(QString::number(++m_runs)); }

  private slots:
    void initTestCase() { QVERIFY(m_home.isValid()); }

    void modelBarTexts() {
        Run run(nextDirectory());
        ChatController& c = run.controller;
        QCOMPARE(c.modelTitle(), QStringLiteral("No model loaded"));
        QVERIFY(c.modelSubtitle().contains(QStringLiteral("config.json")));
        QSignalSpy changed(&c, &ChatController::modelChanged);
        c.loadModel(kModel);
        QCOMPARE(c.modelStatus(), ChatController::ModelStatus::Loading);
        QCOMPARE(c.modelTitle(), QStringLiteral("Loading model…"));
        QTRY_COMPARE_WITH_TIMEOUT(c.modelStatus(), ChatController::ModelStatus::Ready, kWaitMs);
        QCOMPARE(c.modelTitle(), QStringLiteral("tiny-f32"));
        QCOMPARE(c.modelSubtitle(), c.modelDetails());
        QVERIFY2(c.modelDetails().contains(QStringLiteral("3.50 million parameters, F32")),
                 qPrintable(c.modelDetails()));
        QCOMPARE(c.preferences()->modelDirectory(), kModel);  // remembered: not the demo model
        QVERIFY(!c.demoModel());
        const QString missing = nextDirectory() + QStringLiteral("/no-model");
        // A failed load keeps the model loaded before it, and says why the new one failed.
        c.loadModel(missing);
        QCOMPARE(c.modelStatus(), ChatController::ModelStatus::Loading);
        QTRY_COMPARE_WITH_TIMEOUT(c.modelStatus(), ChatController::ModelStatus::Ready, kWaitMs);
        QVERIFY(c.lastLoadFailed());
        QCOMPARE(c.modelTitle(), QStringLiteral("tiny-f32"));
        QVERIFY2(c.notice().contains(QDir::toNativeSeparators(missing)), qPrintable(c.notice()));
        QVERIFY(changed.count() >= 4);

        // With no model before it, a failed load leaves none.
        Run fresh(nextDirectory());
        ChatController& f = fresh.controller;
        f.loadModel(missing);
        QTRY_COMPARE_WITH_TIMEOUT(f.modelStatus(), ChatController::ModelStatus::Failed, kWaitMs);
        QCOMPARE(f.modelTitle(), QStringLiteral("The model could not be loaded"));
        QVERIFY(f.modelSubtitle().startsWith(QDir::toNativeSeparators(missing) + QStringLiteral(": ")));
        // No model ready: nothing is sent.
        QVERIFY(!f.send(QStringLiteral("Hello")));
        QCOMPARE(f.notice(), QStringLiteral("Open a model first."));
    }

    void preferencesReachTheEngine() {
        Run run(nextDirectory());
        Preferences& preferences = *run.controller.preferences();
        QCOMPARE(run.engine.threads(), preferences.threads());
        QCOMPARE(run.engine.fastPrefill(), true);
        preferences.setThreads(1);
        QCOMPARE(run.engine.threads(), 1);
        preferences.setFastPrefill(false);
        QCOMPARE(run.engine.fastPrefill(), false);
        // A setting the engine does not take changes nothing there.
        preferences.setThreads(0);
        preferences.setTemperature(1.5);
        QCOMPARE(run.engine.threads(), 0);
        QCOMPARE(run.engine.fastPrefill(), false);
        // ...but the next reply samples with it.
        QVERIFY(run.loadModel());
        QSignalSpy stored(&run.controller, &ChatController::replyStored);
        QVERIFY(run.controller.send(QStringLiteral("Hello")));
        QVERIFY(stored.wait(kWaitMs));
        QCOMPARE(run.engine.requests().last().sampling.temperature, 1.5f);
    }

    void switchAndDeleteWhileStreaming() {
        Run run(nextDirectory());
        ChatController& c = run.controller;
        QVERIFY(run.loadModel());
        c.setSystemPrompt(QStringLiteral("another chat"));  // a second conversation to switch to
        const qint64 other = c.currentConversationId();
        c.newConversation();
        run.engine.setScript({{QStringLiteral("Once"), QStringLiteral(" upon")}, FakeEngine::Mode::Stall});
        QSignalSpy current(&c, &ChatController::currentConversationChanged);
        QVERIFY(c.send(QStringLiteral("Tell me a story")));
        QCOMPARE(current.count(), 1);  // the new conversation became the current one
        const qint64 streaming = c.currentConversationId();
        QVERIFY(streaming != 0 && streaming != other);
        QCOMPARE(c.generatingConversationId(), streaming);
        QTRY_COMPARE_WITH_TIMEOUT(c.messages()->contentAt(1), QStringLiteral("Once"), kWaitMs);
        c.openConversation(other);
        QCOMPARE(c.messages()->rowCount(), 0);
        QCOMPARE(c.currentSystemPrompt(), QStringLiteral("another chat"));
        c.openConversation(streaming);
        QCOMPARE(c.messages()->rowCount(), 2);
        QCOMPARE(c.messages()->contentAt(1), QStringLiteral("Once"));
        // Deleting the conversation that replies stops the reply first; undo brings it back with the reply so far.
        QSignalSpy stored(&c, &ChatController::replyStored);
        c.deleteConversation(streaming);
        QCOMPARE(c.currentConversationId(), 0);
        QVERIFY(c.canUndoDelete());
        QVERIFY(stored.wait(kWaitMs));
        QVERIFY(!c.generating());
        c.undoDelete();
        c.openConversation(streaming);
        QCOMPARE(c.messages()->rowCount(), 2);
        QCOMPARE(c.messages()->contentAt(1), QStringLiteral("Once"));
    }

    // Edit and the arrows name messages by id: the right message, however the rows stand.
    void actionsNameMessagesById() {
        Run run(nextDirectory());
        ChatController& c = run.controller;
        QVERIFY(run.loadModel());
        QSignalSpy stored(&c, &ChatController::replyStored);
        QVERIFY(c.send(QStringLiteral("One")));
        QVERIFY(stored.wait(kWaitMs));
        QVERIFY(c.send(QStringLiteral("Two")));
        QVERIFY(stored.wait(kWaitMs));
        const qint64 one = c.messages()->messageIdAt(0);
        c.editMessage(one, QStringLiteral("Un"));
        QCOMPARE(c.messages()->rowCount(), 2);  // the edited branch has the edit and its streaming reply
        QVERIFY(stored.wait(kWaitMs));
        QCOMPARE(c.messages()->contentAt(0), QStringLiteral("Un"));
        const qint64 tokensBefore = c.conversationTokens();
        c.switchAlternative(c.messages()->messageIdAt(0), -1);
        QCOMPARE(c.messages()->contentAt(0), QStringLiteral("One"));
        QCOMPARE(c.messages()->rowCount(), 4);
        QVERIFY(c.conversationTokens() > tokensBefore);  // the statistics follow the branch shown (the longer one)
    }

    // Closing while a reply streams keeps the reply so far, as Stop would.
    void closingWhileStreamingStoresTheReply() {
        const QString directory = nextDirectory();
        qint64 conversation = 0;
        {
            Run run(directory);
            QVERIFY(run.loadModel());
            run.engine.setScript({{QStringLiteral("Half"), QStringLiteral(" of it")}, FakeEngine::Mode::Stall});
            QVERIFY(run.controller.send(QStringLiteral("Hello")));
            conversation = run.controller.currentConversationId();
            QTRY_COMPARE_WITH_TIMEOUT(run.controller.messages()->contentAt(1), QStringLiteral("Half"), kWaitMs);
        }
        Run run(directory);
        run.controller.openConversation(conversation);
        QCOMPARE(run.controller.messages()->rowCount(), 2);
        QCOMPARE(run.controller.messages()->contentAt(1), QStringLiteral("Half"));
        QCOMPARE(run.controller.messages()->index(1).data(MessageModel::StopReasonRole).toString(),
                 QStringLiteral("stopped"));
    }
};

QTEST_MAIN(TestChatController)
#include "test_chat_controller.moc"
