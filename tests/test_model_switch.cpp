// test_model_switch — opening another model through the real engine (issue 19, bug 3): a folder that does not load
// leaves the model before it loaded and usable, and the banner says why the new one failed; "Use the demo model"
// loads resources/demo-model, whether nothing is loaded yet or a load just failed, from the window's model bar too.
#include <QDir>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

#include "app_window.h"
#include "chat_controller.h"
#include "file_bytes.h"
#include "threaded_engine.h"
#include "window_inspection.h"

Q_IMPORT_QML_PLUGIN(RecurrentChatPlugin)

namespace {

constexpr int kWaitMs = 60000;

struct Run {
    explicit Run(const QString& dataDirectory)
        : settings(dataDirectory + QStringLiteral("/settings.ini"), QSettings::IniFormat),
          controller(dataDirectory, &settings, engine) {
        controller.preferences()->setRandomSeed(false);
        controller.preferences()->setMaxNewTokens(6);
    }
    bool settled() {
        return QTest::qWaitFor([&] { return controller.modelStatus() != ChatController::ModelStatus::Loading; },
                               kWaitMs);
    }
    // Sends `text` and waits until its reply is stored; the reply's id (0: not stored or not taken).
    qint64 reply(const QString& text) {
        QSignalSpy stored(&controller, &ChatController::replyStored);
        if (!controller.send(text) || !stored.wait(kWaitMs)) return 0;
        return stored.last().at(1).toLongLong();
    }
    QSettings settings;
    ThreadedEngine engine;
    ChatController controller;
};

// A folder that looks like a model and is not one: a config.json that is not JSON, weights that are not weights.
QString brokenModelFolder(const QTemporaryDir& home) {
    const QString folder = home.filePath(QStringLiteral("broken-model"));
    QDir().mkpath(folder);
    rctest::writeAll(folder + QStringLiteral("/config.json"), "{ not json");
    rctest::writeAll(folder + QStringLiteral("/model.safetensors"), QByteArray(4096, 'x'));
    return folder;
}

}  // namespace

class TestModelSwitch : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir m_home;
    int m_runs = 0;
    QString nextDirectory() { return m_home.filePath(QString::number(++m_runs)); }

  private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_CONFIG_HOME", m_home.filePath("config").toUtf8());
        qputenv("XDG_DATA_HOME", m_home.filePath("data").toUtf8());
        if (ChatController::demoModelDirectory().isEmpty()) QSKIP("resources/demo-model is not installed");
    }

    void failedLoadKeepsThePreviousModel() {
        Run run(nextDirectory());
        ChatController& c = run.controller;
        QVERIFY(c.canUseDemoModel());
        c.useDemoModel();
        QVERIFY(run.settled());
        QCOMPARE(c.modelStatus(), ChatController::ModelStatus::Ready);
        QVERIFY(c.demoModel());
        QVERIFY(!c.canUseDemoModel());  // it is the loaded one
        QVERIFY(run.reply(QStringLiteral("What is 2 + 3?")) != 0);

        const QString broken = brokenModelFolder(m_home);
        c.loadModel(broken);
        QCOMPARE(c.modelStatus(), ChatController::ModelStatus::Loading);
        QVERIFY(run.settled());
        QCOMPARE(c.modelStatus(), ChatController::ModelStatus::Ready);
        QVERIFY(c.lastLoadFailed());
        QVERIFY(c.demoModel());
        QCOMPARE(c.modelTitle(), QStringLiteral("Demo model"));
        QVERIFY2(c.notice().contains(QDir::toNativeSeparators(broken)) &&
                     c.notice().contains(QStringLiteral("Demo model stays in use")),
                 qPrintable(c.notice()));
        // Still usable: the next turn is answered by the demo model.
        QVERIFY(run.reply(QStringLiteral("Tell me a fortune.")) != 0);
        QCOMPARE(c.messages()->rowCount(), 4);
        QCOMPARE(c.preferences()->modelDirectory(), QString());  // the broken folder was not remembered

        // The next load that works takes the failure's notice away.
        c.loadModel(QStringLiteral(RC_TEST_DATA_DIR "/tiny-f32"));
        QVERIFY(run.settled());
        QCOMPARE(c.modelStatus(), ChatController::ModelStatus::Ready);
        QVERIFY(!c.lastLoadFailed());
        QVERIFY(c.notice().isEmpty());
        QVERIFY(c.canUseDemoModel());
    }

    void demoModelAfterAFirstLoadFailed() {
        Run run(nextDirectory());
        ChatController& c = run.controller;
        c.loadModel(brokenModelFolder(m_home));
        QVERIFY(run.settled());
        QCOMPARE(c.modelStatus(), ChatController::ModelStatus::Failed);  // nothing was loaded before
        QVERIFY(c.lastLoadFailed());
        QVERIFY(c.canUseDemoModel());
        QVERIFY(!c.send(QStringLiteral("Hello")));
        c.useDemoModel();
        QVERIFY(run.settled());
        QCOMPARE(c.modelStatus(), ChatController::ModelStatus::Ready);
        QVERIFY(c.demoModel());
        QVERIFY(run.reply(QStringLiteral("What is 23 + 58?")) != 0);
    }

    // The window offers the demo in its model bar while no model is loaded, and the button loads it.
    void windowOffersTheDemoModel() {
        Run run(nextDirectory());
        QQmlApplicationEngine qml;
        QQuickWindow* window = loadMainWindow(qml, run.controller, nullptr);
        QVERIFY(window);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window));
        run.controller.loadModel(brokenModelFolder(m_home));
        QVERIFY(run.settled());
        QQuickItem* button = nullptr;
        QTRY_VERIFY((button = findVisibleItem(window, QStringLiteral("useDemoButton"))));
        clickItem(window, button);
        QVERIFY(run.settled());
        QCOMPARE(run.controller.modelStatus(), ChatController::ModelStatus::Ready);
        QVERIFY(run.controller.demoModel());
        QTRY_VERIFY(!findVisibleItem(window, QStringLiteral("useDemoButton")));  // nothing more to offer
    }
};

QTEST_MAIN(TestModelSwitch)
#include "test_model_switch.moc"
