// test_qml.cpp — runs the Qt Quick Test cases in tests/qml against the real QML components of the RecurrentChat
// module. Each case makes its own app: a real ChatController over a temporary data folder with the golden tiny model
// loaded, on the fake engine (TestApp: replies in milliseconds) or on the real one (RealEngineTestApp); the Models
// page's cases (HubTestApp) add a fake Hugging Face Hub on loopback and an empty cache.
#include <QDirIterator>
#include <QFile>
#include <QQmlEngine>
#include <QSettings>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickTest>
#include <memory>

#include "chat_controller.h"
#include "fake_engine.h"
#include "hub_test_support.h"
#include "threaded_engine.h"

Q_IMPORT_QML_PLUGIN(RecurrentChatPlugin)

// Qt's file dialogs (tst_sidebar) list folders on a thread of their own, which reads file times in local time. With
// TZ unset, glibc's tzset() frees and re-reads its zone name on every local-time conversion, under a lock of glibc's
// own that ThreadSanitizer cannot see: the dialog's thread and the GUI thread then look like a race (the TSan stage
// runs this test). Naming the zone glibc uses anyway keeps local times as they are and that work undone.
const bool kTimeZoneNamed = [] {
    if (!qEnvironmentVariableIsSet("TZ")) qputenv("TZ", ":/etc/localtime");
    return true;
}();

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

    // Files for the export and import cases, in this app's temporary folder: a file's URL, its bytes as UTF-8 text
    // ("" if it cannot be read), written, or cut to its first `bytes` bytes.
    Q_INVOKABLE QUrl fileUrl(const QString& name) const { return QUrl::fromLocalFile(m_home.filePath(name)); }
    Q_INVOKABLE QString fileText(const QUrl& file) const {
        QFile in(file.toLocalFile());
        return in.open(QIODevice::ReadOnly) ? QString::fromUtf8(in.readAll()) : QString();
    }
    Q_INVOKABLE bool writeFile(const QUrl& file, const QString& text) const {
        QFile out(file.toLocalFile());
        const QByteArray bytes = text.toUtf8();
        return out.open(QIODevice::WriteOnly) && out.write(bytes) == bytes.size();
    }
    Q_INVOKABLE bool truncateFile(const QUrl& file, qint64 bytes) const {
        return QFile::resize(file.toLocalFile(), bytes);
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

// A TestApp whose Models page downloads from a fake Hub on loopback (never the real one) into a temporary cache:
// google/recurrentgemma-2b-it and -9b are gated (the granted token opens the first; the second's licence is never
// accepted), -2b is public, -9b-it does not exist. Every repo holds the demo model. The token is kept in a file.
class HubTestApp : public QObject {
    Q_OBJECT
    Q_PROPERTY(ChatController* controller READ controller CONSTANT)
    Q_PROPERTY(QString grantedToken READ grantedToken CONSTANT)

  public:
    explicit HubTestApp(QObject* parent = nullptr) : QObject(parent) {
        rctest::isolateEnvironment(m_home.filePath("hf-home"));
        rctest::FakeRepo gated = rctest::demoRepo();
        m_hub.addRepo(QStringLiteral("google/recurrentgemma-2b-it"), gated);
        m_hub.addRepo(QStringLiteral("google/recurrentgemma-9b"), gated);
        gated.gated = false;
        m_hub.addRepo(QStringLiteral("google/recurrentgemma-2b"), gated);
        m_hub.setGrantedToken(rctest::kGrantedToken);
        m_settings = std::make_unique<QSettings>(m_home.filePath("config/settings.ini"), QSettings::IniFormat);
        m_settings->setValue(QStringLiteral("hub/useKeyring"), false);
        m_controller = std::make_unique<ChatController>(m_home.filePath("data"), m_settings.get(), m_engine);
        m_controller->models()->setHubLocation(m_hub.endpoint(), m_home.filePath("cache"));
        m_controller->models()->setDownloadPatience(3000, 2, 10);
    }
    ~HubTestApp() override { m_controller.reset(); }

    ChatController* controller() const { return m_controller.get(); }
    QString grantedToken() const { return rctest::kGrantedToken; }
    // Weights served at about 3 MB/s (time to pause and cancel), or at full speed.
    Q_INVOKABLE void serveSlowly(bool slow) {
        m_hub.setFault(QStringLiteral("model.safetensors"), slow ? rctest::Fault::Slow : rctest::Fault::None);
    }
    // GET requests for the weights that the storage host saw with a Range header (a resumed file).
    Q_INVOKABLE int rangeRequests() const {
        int count = 0;
        for (const rctest::SeenRequest& request : rctest::storageRequests(m_hub)) {
            if (request.method == "GET" && request.headers.contains("range")) ++count;
        }
        return count;
    }
    // Bytes of partial downloads in the cache (blobs/*.incomplete of every repo).
    Q_INVOKABLE qint64 partialBytes() const {
        qint64 bytes = 0;
        QDirIterator it(m_home.filePath("cache"), {QStringLiteral("*.incomplete")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) bytes += QFileInfo(it.next()).size();
        return bytes;
    }

  private:
    QTemporaryDir m_home;
    rctest::FakeHub m_hub;
    FakeEngine m_engine;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<ChatController> m_controller;
};

class Setup : public QObject {
    Q_OBJECT
  public slots:
    void qmlEngineAvailable(QQmlEngine* engine) {
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        qmlRegisterType<TestApp>("RecurrentChatTest", 1, 0, "TestApp");
        qmlRegisterType<RealEngineTestApp>("RecurrentChatTest", 1, 0, "RealEngineTestApp");
        qmlRegisterType<HubTestApp>("RecurrentChatTest", 1, 0, "HubTestApp");
    }
};

QUICK_TEST_MAIN_WITH_SETUP(recurrent_chat_qml, Setup)
#include "test_qml.moc"
