// main.cpp — recurrent-chat: command line, application object, QML engine.
#include <QCommandLineParser>
#include <QDir>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickWindow>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QtQml/QQmlExtensionPlugin>
#include <memory>

#include "app_window.h"
#include "chat_controller.h"

Q_IMPORT_QML_PLUGIN(RecurrentChatPlugin)

namespace {

// --help and --version must work without a display, so they are answered before a QGuiApplication exists.
bool asksForTextOnly(int argc, char* argv[]) {
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--help" || arg == "-h" || arg == "--help-all" || arg == "--version" || arg == "-v") return true;
    }
    return false;
}

void setApplicationIdentity() {
    QCoreApplication::setApplicationName(QStringLiteral("recurrent-chat"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RC_VERSION));
}

}  // namespace

int main(int argc, char* argv[]) {
    std::unique_ptr<QCoreApplication> app;
    if (asksForTextOnly(argc, argv)) {
        app = std::make_unique<QCoreApplication>(argc, argv);
    } else {
        app = std::make_unique<QGuiApplication>(argc, argv);
        QGuiApplication::setApplicationDisplayName(QStringLiteral("Recurrent Chat"));
    }
    setApplicationIdentity();

    QCommandLineParser parser;
    parser.setApplicationDescription(QGuiApplication::translate("main", "Chat with RecurrentGemma on your CPU."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption modelOption(
        QStringLiteral("model"),
        QGuiApplication::translate("main", "Open the Hugging Face RecurrentGemma checkpoint in <dir>."),
        QGuiApplication::translate("main", "dir"));
    const QCommandLineOption quitAfterOption(
        QStringLiteral("quit-after-ms"),
        QGuiApplication::translate("main", "Quit <ms> milliseconds after the window opens (for tests)."),
        QGuiApplication::translate("main", "ms"));
    parser.addOption(modelOption);
    parser.addOption(quitAfterOption);
    parser.process(*app);

    // Conversations and states live in the XDG data folder, settings in the XDG config folder.
    const QString dataDirectory = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dataDirectory);
    // Without an organization name: data in $XDG_DATA_HOME/recurrent-chat, settings in
    // $XDG_CONFIG_HOME/recurrent-chat/settings.ini.
    QSettings settings(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("recurrent-chat"),
                       QStringLiteral("settings"));
    ChatController controller(dataDirectory, &settings);
    const QString model =
        parser.isSet(modelOption) ? parser.value(modelOption) : controller.preferences()->modelDirectory();
    if (!model.isEmpty()) controller.loadModel(model);

    QQmlApplicationEngine engine;
    if (loadMainWindow(engine, controller) == nullptr) return 1;
    if (parser.isSet(quitAfterOption)) {
        bool ok = false;
        const int ms = parser.value(quitAfterOption).toInt(&ok);
        if (!ok || ms < 0) return 2;
        QTimer::singleShot(ms, app.get(), &QCoreApplication::quit);
    }
    return app->exec();
}
