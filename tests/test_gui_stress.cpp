// test_gui_stress — the real window over the real controller and worker while a reply streams: switching
// conversations, changing preferences, loading another model and closing the app must never crash or deadlock,
// and must never lose the reply so far (it is stored, and shown again where the user left it).
#include <QElapsedTimer>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QRandomGenerator>
#include <QSettings>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>
#include <memory>

#include "app_window.h"
#include "chat_controller.h"
Q_IMPORT_QML_PLUGIN(RecurrentChatPlugin)

namespace {

const QString kModel = QStringLiteral(RC_TEST_DATA_DIR "/tiny-f32");
const QString kOtherModel = QStringLiteral(RC_TEST_DATA_DIR "/tiny-bf16");
constexpr int kWaitMs = 60000;

// One run of the app, as main() builds it; destroyed in the order main() destroys it (the window first).
struct AppRun {
    explicit AppRun(const QString& dataDirectory)
        : settings(dataDirectory + QStringLiteral("/settings.ini"), QSettings::IniFormat),
          controller(dataDirectory, &settings) {
        window = loadMainWindow(engine, controller);
        controller.preferences()->setRandomSeed(false);
        controller.preferences()->setSeed(11);
        controller.preferences()->setMaxNewTokens(32768);  // long enough to act while it streams
        controller.loadModel(kModel);
    }
    QSettings settings;
    ChatController controller;
    QQmlApplicationEngine engine;
    QQuickWindow* window = nullptr;
};

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

    // Random actions, quickly, many times: whatever the order, no crash, no deadlock, every turn accounted for.
    void randomActionsWhileStreaming() {
        auto run = start(QStringLiteral("random"));
        QVERIFY(run);
        QTRY_COMPARE_WITH_TIMEOUT(run->controller.modelStatus(), ChatController::ModelStatus::Ready, kWaitMs);
        run->controller.preferences()->setMaxNewTokens(200);
        QRandomGenerator random(5);
        QList<qint64> conversations;
        for (int i = 0; i < 60; ++i) {
            switch (random.bounded(7)) {
                case 0:
                    run->controller.send(QStringLiteral("message %1").arg(i));
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
    }
};

QTEST_MAIN(TestGuiStress)
#include "test_gui_stress.moc"
