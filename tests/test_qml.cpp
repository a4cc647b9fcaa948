// test_qml.cpp — runs the Qt Quick Test cases in tests/qml against the real QML components of the RecurrentChat
// module. Each case makes its own app: a real ChatController over a temporary data folder with the golden tiny model
// loaded, on the fake engine (TestApp: replies in milliseconds) or on the real one (RealEngineTestApp).
#include <QQmlEngine>
#include <QSettings>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickTest>
#include <memory>

#include "chat_controller.h"
#include "fake_engine.h"
#include "threaded_engine.h"

Q_IMPORT_QML_PLUGIN(RecurrentChatPlugin)

// One app for a test case: a real ChatController over a temporary data folder, loading the golden tiny model at
// once, on the fake engine (TestApp) or on the real one (RealEngineTestApp).
class TestApp : public QObject {
    Q_OBJECT
    Q_PROPERTY(ChatController* controller READ controller CONSTANT)

  public:
    explicit TestApp(QObject* parent = nullptr) : TestApp(std::make_unique<FakeEngine>(), parent) {}
    ~TestApp() override { m_controller.reset(); }  // before its engine

    ChatController* controller() const { return m_controller.get(); }

    // Whether the fake engine's next replies stall after their first piece until stopped (for a test of Stop), or
    // come at once.
    Q_INVOKABLE void stallReplies(bool stall) {
        auto* fake = qobject_cast<FakeEngine*>(m_engine.get());
        if (!fake) return;
        FakeEngine::Script script;
        script.pieces = {QStringLiteral("Once"), QStringLiteral(" upon")};
        script.mode = stall ? FakeEngine::Mode::Stall : FakeEngine::Mode::Instant;
        fake->setScript(script);
    }

    // A loopback port nothing listens on right now (the kernel's pick, released at once), for the local server.
    Q_INVOKABLE int freePort() const {
        QTcpServer probe;
        return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
    }

  protected:
    TestApp(std::unique_ptr<ChatEngine> engine, QObject* parent) : QObject(parent), m_engine(std::move(engine)) {
        m_settings = std::make_unique<QSettings>(m_home.filePath("settings.ini"), QSettings::IniFormat);
        m_controller = std::make_unique<ChatController>(m_home.filePath("data"), m_settings.get(), *m_engine);
        m_controller->preferences()->setRandomSeed(false);
        m_controller->preferences()->setMaxNewTokens(6);
        m_controller->loadModel(QStringLiteral(RC_TEST_DATA_DIR "/tiny-f32"));
    }

  private:
    QTemporaryDir m_home;
    std::unique_ptr<ChatEngine> m_engine;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<ChatController> m_controller;
};

class RealEngineTestApp : public TestApp {
    Q_OBJECT
  public:
    explicit RealEngineTestApp(QObject* parent = nullptr) : TestApp(std::make_unique<ThreadedEngine>(), parent) {}
};

class Setup : public QObject {
    Q_OBJECT
  public slots:
    void qmlEngineAvailable(QQmlEngine* engine) {
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        qmlRegisterType<TestApp>("RecurrentChatTest", 1, 0, "TestApp");
        qmlRegisterType<RealEngineTestApp>("RecurrentChatTest", 1, 0, "RealEngineTestApp");
    }
};

QUICK_TEST_MAIN_WITH_SETUP(recurrent_chat_qml, Setup)
#include "test_qml.moc"
