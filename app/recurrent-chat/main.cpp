// main.cpp — recurrent-chat: command line, application object, translations, single instance, QML engine.
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
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
#include "chat_commands.h"
#include "chat_controller.h"
#include "data_folder.h"
#include "single_instance.h"
#include "threaded_engine.h"
#include "translation_manager.h"

Q_IMPORT_QML_PLUGIN(RecurrentChatPlugin)

namespace {

// --help, --version and the chat commands must work without a display, so they run without a QGuiApplication.
bool runsWithoutWindow(int argc, char* argv[]) {
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--help" || arg == "-h" || arg == "--help-all" || arg == "--version" || arg == "-v" ||
            arg == "--list-chats" || arg.startsWith("--export-chat") || arg == "--export-all" ||
            arg.startsWith("--import"))
            return true;
    }
    return false;
}

// How long a command waits for the running instance's answer: an import of a large file takes seconds.
constexpr int kCommandTimeoutMs = 300000;

void setApplicationIdentity() {
    QCoreApplication::setApplicationName(QStringLiteral("recurrent-chat"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RC_VERSION));
}

void printError(const QString& message) { std::fprintf(stderr, "%s\n", qUtf8Printable(message)); }

struct CommandLine {
    QString model;                           // "" : the one the preferences remember
    int quitAfterMs = -1;                    // < 0: run until the user quits
    std::optional<ChatCommand> chatCommand;  // a chat command to run instead of the window
    bool chatUsageError = false;             // a chat command asked for wrongly (reported; exit status 1)
};

// A chat command's failures end in one "error: " line on stderr and exit status 1 (scripts look for both).
int commandFailed(const QString& message) {
    printError(QStringLiteral("error: ") + message);
    return 1;
}

struct ChatOptions {
    QCommandLineOption list{QStringLiteral("list-chats"),
                            QCoreApplication::translate("main", "List the chats: id, date of the last change, title.")};
    QCommandLineOption exportChat{
        QStringLiteral("export-chat"),
        QCoreApplication::translate("main", "Export chat <id> (see --list-chats) to the file --out names."),
        QCoreApplication::translate("main", "id")};
    QCommandLineOption exportAll{
        QStringLiteral("export-all"),
        QCoreApplication::translate("main", "Export every chat into the folder --out names, one file each.")};
    QCommandLineOption format{
        QStringLiteral("format"),
        QCoreApplication::translate("main",
                                    "Export format: rgchat (everything, with the model state), md or json "
                                    "(the transcript). Default: rgchat."),
        QCoreApplication::translate("main", "format"), QStringLiteral("rgchat")};
    QCommandLineOption out{QStringLiteral("out"),
                           QCoreApplication::translate("main", "The file or folder an export writes."),
                           QCoreApplication::translate("main", "path")};
    QCommandLineOption import{QStringLiteral("import"),
                              QCoreApplication::translate("main", "Import a .rgchat conversation file as a new chat."),
                              QCoreApplication::translate("main", "file")};
};

// The chat command the options ask for, nullopt if none; a usage error is reported and makes `*failed` true.
std::optional<ChatCommand> chatCommandFrom(const QCommandLineParser& parser, const ChatOptions& o, bool* failed) {
    const int asked = int(parser.isSet(o.list)) + int(parser.isSet(o.exportChat)) + int(parser.isSet(o.exportAll)) +
                      int(parser.isSet(o.import));
    if (asked == 0) return std::nullopt;
    const auto usage = [&](const QString& message) {
        commandFailed(message);
        *failed = true;
        return std::nullopt;
    };
    if (asked > 1)
        return usage(QCoreApplication::translate("main",
                                                 "Give one of --list-chats, --export-chat, --export-all and "
                                                 "--import at a time."));
    ChatCommand command;
    if (parser.isSet(o.list)) return command;
    if (parser.isSet(o.import)) {
        command.kind = ChatCommand::Kind::Import;
        command.path = QFileInfo(parser.value(o.import)).absoluteFilePath();
        return command;
    }
    const auto format = ChatTransfer::formatNamed(parser.value(o.format));
    if (!format)
        return usage(QCoreApplication::translate("main", "Unknown format “%1”: use rgchat, md or json.")
                         .arg(parser.value(o.format)));
    if (!parser.isSet(o.out)) return usage(QCoreApplication::translate("main", "Say where to export with --out."));
    command.format = *format;
    command.path = QFileInfo(parser.value(o.out)).absoluteFilePath();
    if (parser.isSet(o.exportAll)) {
        command.kind = ChatCommand::Kind::ExportAll;
        return command;
    }
    bool ok = false;
    command.kind = ChatCommand::Kind::ExportChat;
    command.id = parser.value(o.exportChat).toLongLong(&ok);
    if (!ok || command.id <= 0)
        return usage(QCoreApplication::translate("main", "--export-chat needs a chat's id (see --list-chats)."));
    return command;
}

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
    const ChatOptions chatOptions;
    for (const QCommandLineOption* option : {&chatOptions.list, &chatOptions.exportChat, &chatOptions.exportAll,
                                             &chatOptions.format, &chatOptions.out, &chatOptions.import})
        parser.addOption(*option);
    parser.process(app);

    CommandLine line;
    line.chatCommand = chatCommandFrom(parser, chatOptions, &line.chatUsageError);
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

int printResult(const ChatCommandResult& result) {
    std::fputs(qUtf8Printable(result.output), stdout);
    return result.exitCode == 0 ? 0 : commandFailed(result.error);
}

// A chat command: run here if no window holds the data folder (this process takes its lock meanwhile), else by
// the running window, through its socket.
int runChatCommand(const ChatCommand& command, SingleInstance& instance, const QString& dataDirectory) {
    if (instance.tryLock()) {
        DataFolder data(dataDirectory);
        return printResult(ChatCommands::run(command, data, QString()));
    }
    const auto answer = instance.sendCommand(command.toJson(), kCommandTimeoutMs);
    const auto result = answer ? ChatCommandResult::fromJson(*answer) : std::nullopt;
    if (!result) {
        return commandFailed(QCoreApplication::translate("main",
                                                         "Recurrent Chat is running (process %1) but did "
                                                         "not answer; try again when it has finished what "
                                                         "it is doing.")
                                 .arg(instance.runningProcessId()));
    }
    return printResult(*result);
}

}  // namespace

int main(int argc, char* argv[]) {
    // Under a file size limit (ulimit -f) a write that would pass it fails with EFBIG, reported like a full disk,
    // instead of the signal killing the app with a reply half stored.
    std::signal(SIGXFSZ, SIG_IGN);
    std::unique_ptr<QCoreApplication> app;
    if (runsWithoutWindow(argc, argv)) {
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
    if (commandLine->chatUsageError) return 1;

    const QString dataDirectory = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dataDirectory);
    SingleInstance instance(dataDirectory);
    if (commandLine->chatCommand) return runChatCommand(*commandLine->chatCommand, instance, dataDirectory);
    if (!instance.tryLock()) return handOverToRunningInstance(instance);

    ThreadedEngine chatEngine;  // the model, on a thread of its own; outlives the controller, which shuts it down
    ChatController controller(dataDirectory, &settings, chatEngine);
    // Commands from other launches (--list-chats, --export-…, --import) run here, on the one writer of the database.
    instance.setCommandHandler(
        [&controller](const QByteArray& request) { return controller.answerChatCommand(request); });
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
