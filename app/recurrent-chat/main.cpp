// main.cpp — recurrent-chat: command line, application object, QML engine.
#include <QCommandLineParser>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickWindow>
#include <QTimer>
#include <QtQml/QQmlExtensionPlugin>
#include <memory>

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
    QCoreApplication::setOrganizationName(QStringLiteral("recurrent-chat"));
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

    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    engine.setInitialProperties({{QStringLiteral("modelPath"), parser.value(modelOption)}});
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, app.get(), [] { QCoreApplication::exit(1); },
        Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/RecurrentChat/qml/Main.qml")));
    if (engine.rootObjects().isEmpty()) return 1;
    if (parser.isSet(quitAfterOption)) {
        bool ok = false;
        const int ms = parser.value(quitAfterOption).toInt(&ok);
        if (!ok || ms < 0) return 2;
        QTimer::singleShot(ms, app.get(), &QCoreApplication::quit);
    }
    return app->exec();
}
