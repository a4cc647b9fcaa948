// main.cpp — recurrent-chat: command line, application object, translations, single instance, QML engine.
#include <QCommandLineParser>
#include <QDir>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QtQml/QQmlExtensionPlugin>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>

#include "app_window.h"
#include "chat_controller.h"
#include "single_instance.h"
#include "threaded_engine.h"
#include "translation_manager.h"

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

void printError(const QString& message) { std::fprintf(stderr, "%s\n", qUtf8Printable(message)); }

struct CommandLine {
    QString model;         // "" : the one the preferences remember
    int quitAfterMs = -1;  // < 0: run until the user quits
};

// Parses the command line; --help and --version print and exit here. Nothing on a usage error (reported).
std::optional<CommandLine> parseCommandLine(const QCoreApplication& app) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main",
        "Chat with RecurrentGemma on your CPU.\n\n"
        "Conversations and their model states are kept in $XDG_DATA_HOME/recurrent-chat (by default "
        "~/.local/share/recurrent-chat), settings in $XDG_CONFIG_HOME/recurrent-chat/settings.ini. One instance "
        "runs per user: starting it again brings its window to the front."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption modelOption(
        QStringLiteral("model"),
        QCoreApplication::translate("main", "Open the Hugging Face RecurrentGemma checkpoint in <dir>."),
        QCoreApplication::translate("main", "dir"));
    const QCommandLineOption quitAfterOption(
        QStringLiteral("quit-after-ms"),
        QCoreApplication::translate("main", "Quit <ms> milliseconds after the window opens (for tests)."),
        QCoreApplication::translate("main", "ms"));
    parser.addOption(modelOption);
    parser.addOption(quitAfterOption);
    parser.process(app);

    CommandLine line;
    line.model = parser.value(modelOption);
    if (parser.isSet(quitAfterOption)) {
        bool ok = false;
        line.quitAfterMs = parser.value(quitAfterOption).toInt(&ok);
        if (!ok || line.quitAfterMs < 0) {
            printError(QCoreApplication::translate("main", "--quit-after-ms needs a number of milliseconds."));
            return std::nullopt;
        }
    }
    return line;
}

// A second launch: the first instance raises its window; this one says so and leaves.
int handOverToRunningInstance(const SingleInstance& instance) {
    if (instance.activateRunning()) {
        printError(QCoreApplication::translate("main",
                                               "Recurrent Chat is already running; its window was brought "
                                               "to the front."));
    } else {
        printError(QCoreApplication::translate("main", "Recurrent Chat is already running (process %1).")
                       .arg(instance.runningProcessId()));
    }
    return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
    // Under a file size limit (ulimit -f) a write that would pass it fails with EFBIG, reported like a full disk,
    // instead of the signal killing the app with a reply half stored.
    std::signal(SIGXFSZ, SIG_IGN);
    std::unique_ptr<QCoreApplication> app;
    if (asksForTextOnly(argc, argv)) {
        app = std::make_unique<QCoreApplication>(argc, argv);
    } else {
        app = std::make_unique<QGuiApplication>(argc, argv);
        QGuiApplication::setApplicationDisplayName(QStringLiteral("Recurrent Chat"));
        // Wayland compositors find the window's icon and name through its desktop entry.
        QGuiApplication::setDesktopFileName(QStringLiteral("io.github.recurrentchat.RecurrentChat"));
    }
    setApplicationIdentity();

    // Without an organization name: data in $XDG_DATA_HOME/recurrent-chat, settings in
    // $XDG_CONFIG_HOME/recurrent-chat/settings.ini. Read before the command line, so that --help speaks the
    // language chosen in the preferences.
    QSettings settings(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("recurrent-chat"),
                       QStringLiteral("settings"));
    TranslationManager translations;
    translations.setLanguage(Preferences(&settings).language());
    const std::optional<CommandLine> commandLine = parseCommandLine(*app);
    if (!commandLine) return 2;

    const QString dataDirectory = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dataDirectory);
    SingleInstance instance(dataDirectory);
    if (!instance.tryLock()) return handOverToRunningInstance(instance);

    ThreadedEngine chatEngine;  // the model, on a thread of its own; outlives the controller, which shuts it down
    ChatController controller(dataDirectory, &settings, chatEngine);
    const QString model = !commandLine->model.isEmpty() ? commandLine->model
                          : !controller.preferences()->modelDirectory().isEmpty()
                              ? controller.preferences()->modelDirectory()
                              : ChatController::demoModelDirectory();
    if (!model.isEmpty()) controller.loadModel(model);
    controller.models()->resumeDownloads();  // downloads under way when the app last quit go on

    QQmlApplicationEngine engine;
    QQuickWindow* window = loadMainWindow(engine, controller, &translations);
    if (window == nullptr) return 1;
    instance.raiseOnActivation(window);
    if (commandLine->quitAfterMs >= 0) QTimer::singleShot(commandLine->quitAfterMs, app.get(), &QCoreApplication::quit);
    return app->exec();
}
