// test_app_e2e.cpp — the real window (Main.qml, offscreen) over the real controller, worker, SQLite file and
// state files, on a golden model: type a message, watch the reply stream, regenerate, quit, start again, find the
// conversation and its branches, and continue it without re-processing its history. Also starts the real
// recurrent-chat binary.
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QStandardPaths>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>
#include <memory>

#include "app_window.h"
#include "chat_controller.h"
#include "threaded_engine.h"
Q_IMPORT_QML_PLUGIN(RecurrentChatPlugin)

namespace {

// How long a reply may take. A wait ends as soon as the reply is stored; this only bounds a hang. Under
// ThreadSanitizer (scripts/test-sanitized.sh tsan) the demo model's first reply has taken 43 s.
constexpr int kReplyWaitMs = 180000;

const QString kModel = QStringLiteral(RC_TEST_DATA_DIR "/tiny-f32");

// One run of the app: what main() builds, on the real engine.
struct AppRun {
    explicit AppRun(const QString& dataDirectory)
        : settings(QSettings::IniFormat, QSettings::UserScope, "recurrent-chat-test", "e2e"),
          controller(dataDirectory, &settings, engine) {
        window = loadMainWindow(qml, controller);
    }
    QSettings settings;
    ThreadedEngine engine;
    ChatController controller;
    QQmlApplicationEngine qml;
    QQuickWindow* window = nullptr;
};

QQuickItem* findItem(QQuickWindow* window, const char* objectName) {
    return window->findChild<QQuickItem*>(QString::fromLatin1(objectName));
}

}  // namespace

class TestAppEndToEnd : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir m_home;
    QString m_dataDirectory;

    std::unique_ptr<AppRun> start() {
        auto run = std::make_unique<AppRun>(m_dataDirectory);
        if (run->window == nullptr) return nullptr;
        run->controller.preferences()->setRandomSeed(false);
        run->controller.preferences()->setSeed(7);
        run->controller.preferences()->setMaxNewTokens(12);
        run->controller.loadModel(kModel);
        return run;
    }

    // Types `text` into the composer and presses Enter, as a user would.
    void typeAndSend(AppRun& run, const QString& text) {
        QQuickItem* input = findItem(run.window, "composerInput");
        QVERIFY(input != nullptr);
        input->forceActiveFocus();
        QTRY_VERIFY(input->hasActiveFocus());
        for (const QChar c : text) QTest::keyClick(run.window, c.toLatin1());  // ASCII: keyClicks is widgets-only
        QCOMPARE(input->property("text").toString(), text);
        QTest::keyClick(run.window, Qt::Key_Return);
    }

  private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_CONFIG_HOME", m_home.filePath("config").toUtf8());
        qputenv("XDG_DATA_HOME", m_home.filePath("data").toUtf8());
        m_dataDirectory = m_home.filePath("data/recurrent-chat");
        QDir().mkpath(m_dataDirectory);
    }

    void chatQuitResumeAndBranches() {
        qint64 conversationId = 0;
        {
            auto run = start();
            QVERIFY(run);
            run->window->show();
            QVERIFY(QTest::qWaitForWindowExposed(run->window));
            QTRY_COMPARE(run->controller.modelStatus(), ChatController::ModelStatus::Ready);

            QSignalSpy stored(&run->controller, &ChatController::replyStored);
            QSignalSpy streamed(run->controller.messages(), &QAbstractItemModel::dataChanged);
            typeAndSend(*run, QStringLiteral("Hello! Can you copy this file?"));
            QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 1, kReplyWaitMs);
            QVERIFY(streamed.count() >= 1);  // the reply arrived as appended text, not as one reset
            QCOMPARE(run->controller.messages()->rowCount(), 2);
            QVERIFY(!run->controller.messages()->contentAt(1).isEmpty());
            conversationId = run->controller.currentConversationId();
            QVERIFY(conversationId != 0);
            QCOMPARE(run->controller.conversations()->rowCount(), 1);

            // Regenerate: a second alternative of the reply; the first is kept.
            const QString firstReply = run->controller.messages()->contentAt(1);
            run->controller.regenerate();
            QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 2, kReplyWaitMs);
            const QModelIndex reply = run->controller.messages()->index(1);
            const auto roles = run->controller.messages()->roleNames();
            QCOMPARE(reply.data(roles.key("siblingCount")).toInt(), 2);
            QCOMPARE(reply.data(roles.key("siblingIndex")).toInt(), 1);
            run->controller.switchAlternative(run->controller.messages()->messageIdAt(1), -1);
            QCOMPARE(run->controller.messages()->contentAt(1), firstReply);
        }  // quit

        auto run = start();
        QVERIFY(run);
        QTRY_COMPARE(run->controller.modelStatus(), ChatController::ModelStatus::Ready);
        QCOMPARE(run->controller.conversations()->rowCount(), 1);
        run->controller.openConversation(conversationId);
        QCOMPARE(run->controller.messages()->rowCount(), 2);
        const auto roles = run->controller.messages()->roleNames();
        QCOMPARE(run->controller.messages()->index(1).data(roles.key("siblingCount")).toInt(), 2);

        // Continue: the engine feeds only the new turn (and the reply it generates), never the history.
        const qint64 before = run->engine.tokensFed();
        QSignalSpy stored(&run->controller, &ChatController::replyStored);
        typeAndSend(*run, QStringLiteral("And once more"));
        QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 1, kReplyWaitMs);
        QCOMPARE(run->controller.messages()->rowCount(), 4);
        const qint64 fed = run->engine.tokensFed() - before;
        qint64 newTurn = 0;
        qint64 history = 0;
        const auto path = run->controller.messages()->rowCount();
        QCOMPARE(path, 4);
        // The tokens the store recorded for the two new messages are exactly what was fed.
        for (int row = 0; row < 4; ++row) {
            const qint64 tokens = run->controller.messages()->index(row).data(roles.key("tokenCount")).toLongLong();
            (row < 2 ? history : newTurn) += tokens;
        }
        QVERIFY(history > 0);
        QCOMPARE(fed, newTurn);
    }

    // With no model chosen the app opens the demo model, says it is the demo, and does not remember it as the
    // user's choice; its arithmetic works through the real window's controller.
    void demoModelByDefault() {
        const QString demo = ChatController::demoModelDirectory();
        QVERIFY2(!demo.isEmpty(), "resources/demo-model is missing");
        QTemporaryDir data;
        QSettings settings(data.filePath("settings.ini"), QSettings::IniFormat);
        ThreadedEngine engine;
        ChatController controller(data.path(), &settings, engine);
        controller.preferences()->setRandomSeed(false);
        controller.preferences()->setTemperature(0.01);
        controller.loadModel(demo);
        QTRY_COMPARE(controller.modelStatus(), ChatController::ModelStatus::Ready);
        QVERIFY(controller.demoModel());
        QVERIFY(controller.preferences()->modelDirectory().isEmpty());
        QSignalSpy stored(&controller, &ChatController::replyStored);
        controller.send(QStringLiteral("What is 23 + 58?"));
        QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 1, kReplyWaitMs);
        QCOMPARE(controller.messages()->contentAt(1), QStringLiteral("23 + 58 = 81."));
    }

    void realBinaryStartsWithAModel() {
        QProcess app;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        env.insert("XDG_CONFIG_HOME", m_home.filePath("binary-config"));
        env.insert("XDG_DATA_HOME", m_home.filePath("binary-data"));
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(RC_APP_BIN), {"--model", kModel, "--quit-after-ms", "1500"});
        QVERIFY(app.waitForFinished(kReplyWaitMs));
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QVERIFY2(app.exitCode() == 0, app.readAllStandardError().right(4000).constData());
        // It created its database in the XDG data folder.
        QVERIFY(QFile::exists(m_home.filePath("binary-data/recurrent-chat/conversations.sqlite3")));
    }
};

QTEST_MAIN(TestAppEndToEnd)
#include "test_app_e2e.moc"
