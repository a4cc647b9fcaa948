// test_qml.cpp — runs the Qt Quick Test cases in tests/qml against the real QML components of the RecurrentChat
// module, with a real ChatController (temporary data folder, golden tiny model) exposed to the tests as the
// singleton TestApp.controller.
#include <QDir>
#include <QQmlEngine>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickTest>

#include "chat_controller.h"

Q_IMPORT_QML_PLUGIN(RecurrentChatPlugin)

class Setup : public QObject {
    Q_OBJECT
  public slots:
    void qmlEngineAvailable(QQmlEngine* engine) {
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        m_settings = std::make_unique<QSettings>(m_home.filePath("settings.ini"), QSettings::IniFormat);
        m_controller = std::make_unique<ChatController>(m_home.filePath("data"), m_settings.get());
        m_controller->preferences()->setRandomSeed(false);
        m_controller->preferences()->setMaxNewTokens(6);
        QSignalSpy loaded(m_controller.get(), &ChatController::modelChanged);
        m_controller->loadModel(QStringLiteral(RC_TEST_DATA_DIR "/tiny-f32"));
        while (m_controller->modelStatus() == ChatController::ModelStatus::Loading && loaded.wait(10000)) {
        }
        qmlRegisterSingletonInstance("RecurrentChatTest", 1, 0, "TestApp", m_controller.get());
    }
    void cleanupTestCase() { m_controller.reset(); }

  private:
    QTemporaryDir m_home;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<ChatController> m_controller;
};

QUICK_TEST_MAIN_WITH_SETUP(recurrent_chat_qml, Setup)
#include "test_qml.moc"
