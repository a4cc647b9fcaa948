// window_shots — screenshots of the real window, offscreen: the app's window (Main.qml through loadMainWindow) on
// the real engine and the demo model, with a short conversation, in the light and dark themes, in English, German
// and French, at 1280×800 and 640×480. One PNG per combination, named theme-language-WxH.png, in the folder given;
// and the open chat's ⋯ menu with its Export submenu (menu-theme-language-WxH.png, English and German).
// With --problems, instead, the window when things go wrong: the dialog about a damaged database (problem-db-*),
// the banner after a model folder that does not load (problem-load-*) and the model folder dialog (problem-folder-*).
// Usage: window_shots OUT_DIR [--readme FILE | --problems]   (scripts/screenshots.sh runs it under Xvfb, or offscreen)
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtQml/QQmlExtensionPlugin>
#include <cstdio>
#include <functional>

#include "app_window.h"
#include "chat_controller.h"
#include "threaded_engine.h"
#include "translation_manager.h"

Q_IMPORT_QML_PLUGIN(RecurrentChatPlugin)

namespace {

constexpr int kWaitMs = 120000;

bool waitFor(const std::function<bool()>& condition) { return QTest::qWaitFor(condition, kWaitMs); }

bool sendAndWait(ChatController& controller, const QString& text) {
    QSignalSpy stored(&controller, &ChatController::replyStored);
    return controller.send(text) && stored.wait(kWaitMs);
}

bool save(QQuickWindow& window, const QString& file) {
    QTest::qWait(300);  // transitions and the last frame
    const QImage image = window.grabWindow();
    if (image.isNull() || !image.save(file)) {
        std::fprintf(stderr, "window_shots: could not write %s\n", qPrintable(file));
        return false;
    }
    std::printf("%s\n", qPrintable(file));
    return true;
}

QString themeName(Preferences::Theme theme) {
    return theme == Preferences::Theme::Dark ? QStringLiteral("dark") : QStringLiteral("light");
}

// The --problems set: the data folder starts with a database that is not one, then a broken model folder is opened.
int problemShots(const QDir& out, const QTemporaryDir& home, ChatController& controller, QQuickWindow& window) {
    Preferences& prefs = *controller.preferences();
    int failures = 0;
    for (const auto theme : {Preferences::Theme::Light, Preferences::Theme::Dark}) {
        prefs.setTheme(theme);
        for (const QString& language : {QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr")}) {
            prefs.setLanguage(language);
            if (!save(window, out.filePath(QStringLiteral("problem-db-%1-%2.png").arg(themeName(theme), language))))
                ++failures;
        }
    }
    prefs.setLanguage(QStringLiteral("en"));
    if (QObject* dialog = window.findChild<QObject*>(QStringLiteral("databaseNoticeDialog")))
        QMetaObject::invokeMethod(dialog, "close");
    const QString broken = home.filePath(QStringLiteral("broken-model"));
    QDir().mkpath(broken);
    QFile config(broken + QStringLiteral("/config.json"));
    if (!config.open(QIODevice::WriteOnly) || config.write("{ not json") < 0) return 1;
    config.close();
    controller.loadModel(broken);
    if (!waitFor([&] { return controller.modelStatus() != ChatController::ModelStatus::Loading; })) return 1;
    QObject* folderDialog = window.findChild<QObject*>(QStringLiteral("modelFolderDialog"));
    for (const auto theme : {Preferences::Theme::Light, Preferences::Theme::Dark}) {
        prefs.setTheme(theme);
        if (!save(window, out.filePath(QStringLiteral("problem-load-%1.png").arg(themeName(theme))))) ++failures;
        if (folderDialog) QMetaObject::invokeMethod(folderDialog, "open");
        if (!save(window, out.filePath(QStringLiteral("problem-folder-%1.png").arg(themeName(theme))))) ++failures;
        if (folderDialog) QMetaObject::invokeMethod(folderDialog, "close");
    }
    return failures == 0 && folderDialog ? 0 : 1;
}

// The first visible item under `root` that `accept` takes (popups too: they live under the window's overlay).
QQuickItem* visibleItem(QQuickItem* root, const std::function<bool(QQuickItem*)>& accept) {
    if (!root || !root->isVisible()) return nullptr;
    if (accept(root)) return root;
    for (QQuickItem* child : root->childItems()) {
        if (QQuickItem* found = visibleItem(child, accept)) return found;
    }
    return nullptr;
}

bool click(QQuickWindow& window, QQuickItem* item) {
    if (!item) return false;
    const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
    QTest::mouseClick(&window, Qt::LeftButton, Qt::NoModifier, centre.toPoint());
    QTest::qWait(400);  // the menu's opening transition
    return true;
}

// The open chat's ⋯ menu, its Export submenu open; the sidebar unfolded for it in a narrow window. With `item`, the
// submenu's item of that name is chosen, and what it opens is shot (the export dialog).
bool saveChatMenu(QQuickWindow& window, const QString& file, const QString& item = {}) {
    QTest::qWait(300);  // the resize reaches QML: a narrow window folds the sidebar
    const bool folded = !visibleItem(window.contentItem(), [](QQuickItem* i) { return i->objectName() == "sidebar"; });
    if (folded) QMetaObject::invokeMethod(&window, "toggleSidebar");
    const auto menuButton = [&window] {
        return visibleItem(window.contentItem(),
                           [](QQuickItem* i) { return i->objectName() == "rowMenuButton" && i->isEnabled(); });
    };
    if (!QTest::qWaitFor([&] { return menuButton() != nullptr; }, 2000))
        std::fprintf(stderr, "window_shots: no chat menu button after 2 s\n");
    QTest::qWait(300);  // the sidebar's layout settles
    const bool opened =
        click(window, menuButton()) && click(window, visibleItem(window.contentItem(), [](QQuickItem* i) {
                                                 return i->inherits("QQuickMenuItem") &&
                                                        i->property("subMenu").value<QObject*>() != nullptr;
                                             }));
    const bool chosen = item.isEmpty() ||
                        (opened && click(window, visibleItem(window.contentItem(),
                                                             [&](QQuickItem* i) { return i->objectName() == item; })));
    if (!opened || !chosen)
        std::fprintf(stderr, "window_shots: the chat's menu did not open (%s)\n",
                     menuButton() ? "button" : "no button");
    const bool saved = opened && chosen && save(window, file);
    if (QObject* dialog = window.findChild<QObject*>(QStringLiteral("exportDialog")))
        QMetaObject::invokeMethod(dialog, "close");
    for (const char* name : {"exportMenu", "chatMenu"}) {
        if (QObject* menu = window.findChild<QObject*>(QLatin1String(name))) QMetaObject::invokeMethod(menu, "close");
    }
    if (!QTest::qWaitFor([&] { return !window.findChild<QObject*>("chatMenu")->property("visible").toBool(); }, 2000))
        std::fprintf(stderr, "window_shots: the chat's menu did not close\n");
    if (folded) QMetaObject::invokeMethod(&window, "toggleSidebar");
    QTest::qWait(300);
    return saved;
}

// Each theme × `languages` × 1280×800 and 640×480, shot by `shoot` into OUT/<prefix><theme>-<language>-WxH.png;
// how many shots failed.
int shootEach(QQuickWindow& window, Preferences& prefs, const QDir& out, const QString& prefix,
              const QStringList& languages, const std::function<bool(QQuickWindow&, const QString&)>& shoot) {
    int failures = 0;
    for (const auto theme : {Preferences::Theme::Light, Preferences::Theme::Dark}) {
        prefs.setTheme(theme);
        for (const QString& language : languages) {
            prefs.setLanguage(language);
            for (const QSize size : {QSize(1280, 800), QSize(640, 480)}) {
                window.resize(size);
                if (!QTest::qWaitFor([&] { return window.size() == size; }, 2000)) {
                    std::fprintf(stderr, "window_shots: the window did not take %dx%d; shot as it is\n", size.width(),
                                 size.height());
                }
                const QString name = QStringLiteral("%1%2-%3-%4x%5.png")
                                         .arg(prefix, themeName(theme), language)
                                         .arg(size.width())
                                         .arg(size.height());
                if (!shoot(window, out.filePath(name))) ++failures;
            }
        }
    }
    return failures;
}

}  // namespace

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: window_shots OUT_DIR [--readme FILE]\n");
        return 2;
    }
    const QDir out(args.at(1));
    const QString readme = args.indexOf(QStringLiteral("--readme")) > 0
                               ? args.value(args.indexOf(QStringLiteral("--readme")) + 1)
                               : QString();
    const bool problems = args.contains(QStringLiteral("--problems"));
    if (!QDir().mkpath(out.path())) return 1;
    QTemporaryDir home;
    qputenv("XDG_CONFIG_HOME", home.filePath(QStringLiteral("config")).toUtf8());
    qputenv("XDG_DATA_HOME", home.filePath(QStringLiteral("data")).toUtf8());
    if (problems) {
        QDir().mkpath(home.filePath(QStringLiteral("data")));
        QFile garbage(home.filePath(QStringLiteral("data/conversations.sqlite3")));
        if (!garbage.open(QIODevice::WriteOnly) || garbage.write(QByteArray(64 * 1024, char(0x5A))) < 0) return 1;
    }

    QSettings settings(home.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    ThreadedEngine engine;
    ChatController controller(home.filePath(QStringLiteral("data")), &settings, engine);
    Preferences& prefs = *controller.preferences();
    prefs.setRandomSeed(false);
    prefs.setSeed(7);
    prefs.setLanguage(QStringLiteral("en"));
    prefs.setTheme(Preferences::Theme::Light);
    const QString model = ChatController::demoModelDirectory();
    if (model.isEmpty()) {
        std::fprintf(stderr, "window_shots: the demo model is not installed\n");
        return 1;
    }
    controller.loadModel(model);
    TranslationManager translations;
    QQmlApplicationEngine qml;
    QQuickWindow* window = loadMainWindow(qml, controller, &translations);
    if (!window) return 1;
    window->resize(1280, 800);
    window->show();
    if (!waitFor([&] { return controller.modelStatus() == ChatController::ModelStatus::Ready; })) return 1;
    if (problems) return problemShots(out, home, controller, *window);

    // An earlier chat for the list, then the one shown: the user's line breaks, a reply, a second turn.
    if (!sendAndWait(controller, QStringLiteral("Tell me a fortune."))) return 1;
    controller.newConversation();
    if (!sendAndWait(controller, QStringLiteral("What is 23 + 58?"))) return 1;
    if (!sendAndWait(controller, QStringLiteral("Thanks!\nAnd what is 12 + 30?"))) return 1;
    if (!readme.isEmpty() && !save(*window, readme)) return 1;

    const QStringList everyLanguage{QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr")};
    int failures = shootEach(*window, prefs, out, QString(), everyLanguage,
                             [](QQuickWindow& w, const QString& file) { return save(w, file); });
    failures += shootEach(*window, prefs, out, QStringLiteral("menu-"), everyLanguage.mid(0, 2),
                          [](QQuickWindow& w, const QString& file) { return saveChatMenu(w, file); });
    // The export dialog (Qt's own) in a small window.
    for (const auto theme : {Preferences::Theme::Light, Preferences::Theme::Dark}) {
        prefs.setTheme(theme);
        prefs.setLanguage(QStringLiteral("en"));
        const QString name = QStringLiteral("export-%1-en-640x480.png").arg(themeName(theme));
        if (!saveChatMenu(*window, out.filePath(name), QStringLiteral("exportMarkdownItem"))) ++failures;
    }
    return failures == 0 ? 0 : 1;
}
