// test_window — the real main window (Main.qml through loadMainWindow, as the app loads it) over a real controller
// and data folder on the fake engine, offscreen: what a user sees and does, checked on the window's items and on
// grabs of its pixels. Message contrast in both themes, shortcuts wherever the focus is, where the focus goes, the
// user's line breaks, plain titles, following the reply, the prompt's progress, the notice banner, small windows,
// the preferences and edit/rename dialogs, and translated dialog buttons and sizes.
#include <QMimeData>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>
#include <functional>
#include <memory>

#include "app_window.h"
#include "chat_controller.h"
#include "fake_engine.h"
#include "translation_manager.h"
#include "window_inspection.h"

Q_IMPORT_QML_PLUGIN(RecurrentChatPlugin)

namespace {

const QString kModel = QStringLiteral(RC_TEST_DATA_DIR "/tiny-f32");
constexpr int kWaitMs = 20000;

// One run of the app, as main() builds it, on the fake engine; the window is destroyed first.
struct WindowRun {
    explicit WindowRun(const QString& dataDirectory, const QString& language = QStringLiteral("en"),
                       Preferences::Theme theme = Preferences::Theme::Light)
        : settings(dataDirectory + QStringLiteral("/settings.ini"), QSettings::IniFormat),
          controller(dataDirectory, &settings, engine) {
        controller.preferences()->setLanguage(language);
        controller.preferences()->setTheme(theme);
        window = loadMainWindow(qml, controller, &translations);
        if (window) {
            window->resize(1100, 720);
            window->show();
            window->requestActivate();
        }
        controller.loadModel(kModel);
    }
    QSettings settings;
    FakeEngine engine;
    ChatController controller;
    TranslationManager translations;
    QQmlApplicationEngine qml;
    QQuickWindow* window = nullptr;

    QQuickItem* item(const QString& name) const { return findVisibleItem(window, name); }
    // Sends `text` through the controller and waits until its reply is stored.
    bool sendAndWait(const QString& text) {
        QSignalSpy stored(&controller, &ChatController::replyStored);
        if (!controller.send(text)) return false;
        return stored.wait(kWaitMs);
    }
    bool ready() {
        return QTest::qWaitFor([this] { return controller.modelStatus() == ChatController::ModelStatus::Ready; },
                               kWaitMs);
    }
    void stall(FakeEngine::Mode mode = FakeEngine::Mode::Stall) {
        FakeEngine::Script script;
        script.mode = mode;
        engine.setScript(script);
    }
};

}  // namespace

class TestWindow : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir m_home;
    int m_runs = 0;

    std::unique_ptr<WindowRun> start(const QString& language = QStringLiteral("en"),
                                     Preferences::Theme theme = Preferences::Theme::Light) {
        auto run = std::make_unique<WindowRun>(m_home.filePath(QString::number(++m_runs)), language, theme);
        if (!run->window || !QTest::qWaitForWindowExposed(run->window) || !run->ready()) return nullptr;
        return run;
    }

  private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        QGuiApplication::setQuitOnLastWindowClosed(false);  // Quit closes the window; the test goes on
        qputenv("XDG_CONFIG_HOME", m_home.filePath("config").toUtf8());
        qputenv("XDG_DATA_HOME", m_home.filePath("data").toUtf8());
    }

    // Issue 19, bug 1: in the dark theme message text was black on dark grey. Measured on a grab of the window:
    // every message's text against the background around it, at least 4.5:1 (WCAG AA), in both themes; in the dark
    // theme the text is the lighter of the two.
    void messageTextContrast_data() {
        QTest::addColumn<Preferences::Theme>("theme");
        QTest::newRow("light") << Preferences::Theme::Light;
        QTest::newRow("dark") << Preferences::Theme::Dark;
    }
    void messageTextContrast() {
        QFETCH(Preferences::Theme, theme);
        auto run = start(QStringLiteral("en"), theme);
        QVERIFY(run);
        QVERIFY(run->sendAndWait(QStringLiteral("Write me a short greeting, please")));
        QTRY_COMPARE(findVisibleItems(run->window, QStringLiteral("messageBody")).size(), 2);
        QTest::qWait(50);  // one more frame for the finished reply
        const QImage grab = run->window->grabWindow();
        QVERIFY(!grab.isNull());
        for (QQuickItem* body : findVisibleItems(run->window, QStringLiteral("messageBody"))) {
            const TextColours colours = textColours(grab, sceneRect(body, grab));
            const double ratio = contrastRatio(colours.text, colours.background);
            QVERIFY2(ratio >= 4.5, qPrintable(QStringLiteral("text %1 on %2: %3:1")
                                                  .arg(colours.text.name(), colours.background.name())
                                                  .arg(ratio, 0, 'f', 2)));
            if (theme == Preferences::Theme::Dark) {
                QVERIFY(relativeLuminance(colours.text) > relativeLuminance(colours.background));
            }
        }
    }

    // Bug 4 and the Quit shortcut: Esc stops the reply and Ctrl+N starts a new chat wherever the focus is: the
    // message box, the search field, the chat list, a message's text, the system prompt, the sidebar's button.
    void shortcutsWorkWhereverTheFocusIs_data() {
        QTest::addColumn<QString>("focused");
        for (const char* name : {"composerInput", "searchField", "conversationList", "messageBody",
                                 "systemPromptToggle", "newChatButton", "sidebarButton"}) {
            QTest::newRow(name) << QString::fromLatin1(name);
        }
    }
    void shortcutsWorkWhereverTheFocusIs() {
        QFETCH(QString, focused);
        auto run = start();
        QVERIFY(run);
        QVERIFY(run->sendAndWait(QStringLiteral("First")));
        run->stall();
        QVERIFY(run->controller.send(QStringLiteral("Second")));
        QVERIFY(run->controller.generating());
        QQuickItem* target = nullptr;
        QTRY_VERIFY((target = run->item(focused)) != nullptr);
        target->forceActiveFocus();
        QVERIFY2(target->hasActiveFocus(), qPrintable(focused));

        QTest::keyClick(run->window, Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(!run->controller.generating(), 2000);
        QVERIFY(run->controller.currentConversationId() != 0);

        target->forceActiveFocus();
        QTest::keyClick(run->window, Qt::Key_N, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(run->controller.currentConversationId(), qint64(0), 2000);
        QTRY_VERIFY(run->item(QStringLiteral("composerInput"))->hasActiveFocus());

        target = run->item(focused);
        if (target) target->forceActiveFocus();
        QTest::keyClick(run->window, Qt::Key_Q, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(!run->window->isVisible(), 2000);
    }

    // Quit is also in the window's menu.
    void quitFromTheMenu() {
        auto run = start();
        QVERIFY(run);
        QQuickItem* menuButton = run->item(QStringLiteral("appMenuButton"));
        QVERIFY(menuButton);
        clickItem(run->window, menuButton);
        QQuickItem* quit = nullptr;
        QTRY_VERIFY((quit = run->item(QStringLiteral("quitItem"))) != nullptr);
        QTest::qWait(400);  // the menu's opening transition
        clickItem(run->window, quit);
        QTRY_VERIFY_WITH_TIMEOUT(!run->window->isVisible(), 2000);
    }

    // Bug 5: after New chat and after a click in the chat list the message box has the focus, so typing goes there.
    void messageBoxTakesTheFocus() {
        auto run = start();
        QVERIFY(run);
        QVERIFY(run->sendAndWait(QStringLiteral("First chat")));
        const qint64 first = run->controller.currentConversationId();
        QQuickItem* search = run->item(QStringLiteral("searchField"));
        search->forceActiveFocus();
        clickItem(run->window, run->item(QStringLiteral("newChatButton")));
        QCOMPARE(run->controller.currentConversationId(), qint64(0));
        QQuickItem* input = run->item(QStringLiteral("composerInput"));
        QTRY_VERIFY(input->hasActiveFocus());
        typeText(run->window, QStringLiteral("typed"));
        QCOMPARE(input->property("text").toString(), QStringLiteral("typed"));

        search->forceActiveFocus();
        QQuickItem* row = nullptr;
        QTRY_VERIFY((row = findVisibleItem(run->window, QStringLiteral("conversationRow"))) != nullptr);
        clickItem(run->window, row);
        QCOMPARE(run->controller.currentConversationId(), first);
        QTRY_VERIFY(input->hasActiveFocus());
    }

    // Bug 6: the user's own message keeps its line breaks; bug 8: the chat's title is the text as read, without
    // Markdown's marks.
    void userTextAsTypedAndPlainTitle() {
        auto run = start();
        QVERIFY(run);
        QVERIFY(run->sendAndWait(QStringLiteral("# Heading one\nSome **bold** text\nthird line")));
        QQuickItem* userBody = nullptr;
        QTRY_VERIFY((userBody = findVisibleItems(run->window, QStringLiteral("messageBody")).value(0)) != nullptr);
        QCOMPARE(userBody->property("lineCount").toInt(), 3);
        QVERIFY(userBody->property("text").toString().contains(QStringLiteral("**bold**")));
        QCOMPARE(run->controller.currentTitle(), QStringLiteral("Heading one Some bold text third line"));
    }

    // Bug 9: the view follows the end while the user is there (a long message, then the streaming reply), and never
    // takes the position from a user who scrolled up, while the reply streams or when it ends.
    void followsTheEndOnlyWhileAtTheEnd() {
        auto run = start();
        QVERIFY(run);
        QString longText;
        for (int i = 0; i < 60; ++i) longText += QStringLiteral("Line %1 of a long message\n").arg(i);
        QVERIFY(run->sendAndWait(longText));
        QQuickItem* list = run->item(QStringLiteral("messageList"));
        QVERIFY(list);
        QTRY_VERIFY(list->property("atYEnd").toBool());

        FakeEngine::Script slow;
        slow.mode = FakeEngine::Mode::Slow;
        slow.pieceDelayMs = 30;
        slow.pieces.clear();
        for (int i = 0; i < 400; ++i) slow.pieces << QStringLiteral("piece %1\n\n").arg(i);
        run->engine.setScript(slow);
        QVERIFY(run->controller.send(longText));
        QTest::qWait(300);
        QVERIFY2(list->property("atYEnd").toBool(), "the streaming reply is followed");

        // The user drags the scroll bar up (a Flickable "movement" only for the wheel and the finger, not for the
        // bar): the position stays theirs while the reply streams and when it ends.
        QList<QQuickItem*> bars;
        collectVisibleItems(
            list, [](QQuickItem* item) { return item->inherits("QQuickScrollBar"); }, bars);
        QCOMPARE(bars.size(), 1);
        QQuickItem* bar = bars.first();
        QQuickItem* handle = bar->property("contentItem").value<QQuickItem*>();
        QVERIFY(handle);
        QPoint at = handle->mapToScene(QPointF(handle->width() / 2, handle->height() / 2)).toPoint();
        QTest::mouseMove(run->window, at);
        QTest::mousePress(run->window, Qt::LeftButton, Qt::NoModifier, at);
        for (int i = 0; i < 10; ++i) {
            at.ry() -= 15;
            QTest::mouseMove(run->window, at);
            QTest::qWait(20);
        }
        QTest::mouseRelease(run->window, Qt::LeftButton, Qt::NoModifier, at);
        QTRY_VERIFY(!list->property("moving").toBool());
        const qreal scrolled = list->property("contentY").toReal();
        QVERIFY(!list->property("atYEnd").toBool());
        QSignalSpy stored(&run->controller, &ChatController::replyStored);
        QTest::qWait(200);
        QCOMPARE(list->property("contentY").toReal(), scrolled);
        QVERIFY(run->controller.generating());
        run->controller.stop();
        QVERIFY(stored.wait(kWaitMs));
        QTest::qWait(100);
        QCOMPARE(list->property("contentY").toReal(), scrolled);
    }

    // Bug 9: fast wheel-scrolling up a long chat stays where the user went (delegates created on the way up change
    // the content's height: that is no reason to jump back to the end).
    void wheelUpALongChatStaysUp() {
        auto run = start();
        QVERIFY(run);
        FakeEngine::Script script;
        for (int turn = 0; turn < 25; ++turn) {
            script.pieces.clear();
            for (int line = 0; line < 3 + turn % 7; ++line)
                script.pieces << QStringLiteral("Reply line %1\n\n").arg(line);
            run->engine.setScript(script);
            QVERIFY(run->sendAndWait(QStringLiteral("Question %1\nwith a second line").arg(turn)));
        }
        QQuickItem* list = run->item(QStringLiteral("messageList"));
        QTRY_VERIFY(list->property("atYEnd").toBool());
        wheelOver(run->window, list, 15);
        QTRY_VERIFY(!list->property("moving").toBool());
        const qreal scrolled = list->property("contentY").toReal();
        QVERIFY(!list->property("atYEnd").toBool());
        QTest::qWait(300);
        QCOMPARE(list->property("contentY").toReal(), scrolled);
    }

    // Bug 9: stopping a long reply while at the end leaves the view at the end (not at the reply's beginning).
    void stoppedLongReplyStaysAtTheEnd() {
        auto run = start();
        QVERIFY(run);
        FakeEngine::Script slow;
        slow.mode = FakeEngine::Mode::Slow;
        slow.pieceDelayMs = 5;
        for (int i = 0; i < 2000; ++i) slow.pieces << QStringLiteral("Line %1 of a long reply.\n\n").arg(i);
        run->engine.setScript(slow);
        QVERIFY(run->controller.send(QStringLiteral("Tell me everything")));
        QQuickItem* list = run->item(QStringLiteral("messageList"));
        QTRY_VERIFY(list->property("contentHeight").toReal() > 4 * list->height());
        QVERIFY(list->property("atYEnd").toBool());
        QSignalSpy stored(&run->controller, &ChatController::replyStored);
        run->controller.stop();
        QVERIFY(stored.wait(kWaitMs));
        QTest::qWait(300);
        QVERIFY(list->property("atYEnd").toBool());
    }

    // Bug 7: a code block's long line wraps inside the bubble (it was cut at its edge), on the code background
    // (the characters' background: Qt Quick's text renderer paints no block backgrounds).
    void codeBlocksWrapOnTheirBackground() {
        auto run = start();
        QVERIFY(run);
        FakeEngine::Script script;
        QString longLine;
        for (int i = 0; i < 40; ++i) longLine += QStringLiteral("call_%1(); ").arg(i);
        script.pieces = {QStringLiteral("Here it is:\n\n```cpp\n"), longLine, QStringLiteral("\n```\n\nDone.")};
        run->engine.setScript(script);
        QVERIFY(run->sendAndWait(QStringLiteral("Some code, please")));
        QQuickItem* reply = nullptr;
        QTRY_VERIFY((reply = findVisibleItems(run->window, QStringLiteral("messageBody")).value(1)) != nullptr);
        QTest::qWait(50);
        QVERIFY2(
            reply->property("contentWidth").toReal() <= reply->width() + 0.5,
            qPrintable(QStringLiteral("%1 > %2").arg(reply->property("contentWidth").toReal()).arg(reply->width())));
        const QImage grab = run->window->grabWindow();
        const QRect area = sceneRect(reply, grab);
        const QRgb code = QColor(QStringLiteral("#eef0f3")).rgb();  // Theme.codeBackground, light
        int codePixels = 0;
        for (int y = area.top(); y <= area.bottom(); ++y) {
            for (int x = area.left(); x <= area.right(); ++x) codePixels += (grab.pixel(x, y) | 0xff000000u) == code;
        }
        QVERIFY2(codePixels > area.width() * 10, qPrintable(QString::number(codePixels)));
    }

    // Bug 13: while the prompt is read the status says how far (tokens of the total), not "0.0 tokens/s".
    void promptProgressInTheStatus() {
        auto run = start();
        QVERIFY(run);
        run->stall(FakeEngine::Mode::StallInPrompt);
        QVERIFY(run->controller.send(QStringLiteral("A long message to read before the reply can start")));
        QQuickItem* status = nullptr;
        QTRY_VERIFY((status = run->item(QStringLiteral("engineStatus"))) != nullptr);
        QTRY_VERIFY(run->controller.promptTokensDone() > 0);
        const qint64 total = run->controller.promptTokensTotal();
        QVERIFY(total > 1);
        const QString text = status->property("text").toString();
        QVERIFY2(text.contains(QStringLiteral("%1 of %2 tokens").arg(total / 2).arg(total)), qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("tokens/s")), qPrintable(text));
        run->controller.stop();
        QTRY_VERIFY(!run->controller.generating());
        QCOMPARE(run->controller.promptTokensTotal(), qint64(0));
    }

    // Bug 10: a notice is a banner with its whole text (not a status-bar line cut off), and it goes away once it no
    // longer applies: the rebuild it announced is over.
    void noticeBannerGoesWhenTheRebuildEnds() {
        const QString directory = m_home.filePath(QStringLiteral("banner"));
        qint64 conversation = 0;
        {
            WindowRun run(directory);
            QVERIFY(run.window && run.ready());
            QVERIFY(run.sendAndWait(QStringLiteral("Hello")));
            conversation = run.controller.currentConversationId();
        }
        for (const QString& file : QDir(directory + QStringLiteral("/states")).entryList(QDir::Files)) {
            QVERIFY(QFile::remove(directory + QStringLiteral("/states/") + file));
        }
        WindowRun run(directory);
        QVERIFY(run.window && run.ready());
        run.controller.openConversation(conversation);
        run.stall(FakeEngine::Mode::StallInPrompt);
        QVERIFY(run.controller.send(QStringLiteral("Again")));
        QQuickItem* banner = nullptr;
        QTRY_VERIFY((banner = run.item(QStringLiteral("noticeBanner"))) != nullptr);
        QQuickItem* text = run.item(QStringLiteral("noticeText"));
        QVERIFY(text->property("text").toString().startsWith(QStringLiteral("Rebuilding")));
        QVERIFY(!text->property("truncated").toBool());
        QVERIFY(text->height() < banner->height());
        QSignalSpy stored(&run.controller, &ChatController::replyStored);
        run.controller.stop();
        QVERIFY(stored.wait(kWaitMs));
        QTRY_VERIFY(!banner->isVisible());
        QVERIFY(run.controller.notice().isEmpty());
    }

    // Bug 14: a small window folds the sidebar away by itself; the button and Ctrl+B open and close it; the status
    // bar's texts stay inside the window (elided).
    void smallWindow() {
        auto run = start();
        QVERIFY(run);
        QVERIFY(run->sendAndWait(QStringLiteral("Hello")));
        QQuickItem* sidebar = run->item(QStringLiteral("sidebar"));
        QVERIFY(sidebar);
        QTest::keyClick(run->window, Qt::Key_B, Qt::ControlModifier);
        QTRY_VERIFY(!sidebar->isVisible());
        clickItem(run->window, run->item(QStringLiteral("sidebarButton")));
        QTRY_VERIFY(sidebar->isVisible());

        run->window->resize(600, 420);
        QTRY_VERIFY(!sidebar->isVisible());
        QTRY_COMPARE(run->window->width(), 600);
        QTest::qWait(50);
        for (const char* name : {"conversationLength", "stateSize", "messageList", "composerInput"}) {
            QQuickItem* item = run->item(QString::fromLatin1(name));
            QVERIFY2(item, name);
            const QRectF rect = item->mapRectToScene(item->boundingRect());
            QVERIFY2(rect.right() <= run->window->width() + 0.5 && rect.left() >= -0.5, name);
        }
        QQuickItem* stateSize = run->item(QStringLiteral("stateSize"));
        QVERIFY(stateSize->property("truncated").toBool() ||
                stateSize->width() >= stateSize->property("implicitWidth").toReal());
        QTest::keyClick(run->window, Qt::Key_B, Qt::ControlModifier);
        QTRY_VERIFY(sidebar->isVisible());
    }

    // Issue 19, what users of LM Studio and Jan expect: each chat's ⋯ menu, here in the real window at 640×480 (the
    // sidebar unfolded over the narrow window): the menu and its Export submenu lie inside the window, no item is
    // cut; Esc closes the submenu, then the menu; Export → Markdown opens the save dialog with the chat's title as
    // the file name; the menu goes when the sidebar folds.
    void chatMenuInASmallWindow() {
        auto run = start();
        QVERIFY(run);
        QVERIFY(run->sendAndWait(QStringLiteral("Plans for Lyon?")));
        run->window->resize(640, 480);
        QTRY_COMPARE(run->window->width(), 640);
        QTRY_VERIFY(!run->item(QStringLiteral("sidebar")));
        clickItem(run->window, run->item(QStringLiteral("sidebarButton")));
        QQuickItem* button = nullptr;
        QTRY_VERIFY((button = findVisibleItem(run->window, [](QQuickItem* i) {
                         return i->objectName() == QLatin1String("rowMenuButton") && i->isEnabled();
                     })) != nullptr);
        clickItem(run->window, button);
        QQuickItem* exportItem = nullptr;
        QTRY_VERIFY((exportItem = findVisibleItem(run->window, [](QQuickItem* i) {
                         return i->inherits("QQuickMenuItem") && i->property("subMenu").value<QObject*>();
                     })) != nullptr);
        QTest::qWait(400);  // the menu's opening transition
        clickItem(run->window, exportItem);
        QQuickItem* markdown = nullptr;
        QTRY_VERIFY((markdown = run->item(QStringLiteral("exportMarkdownItem"))) != nullptr);
        QTest::qWait(400);
        const QRectF windowRect(0, 0, run->window->width(), run->window->height());
        for (const char* name :
             {"renameItem", "exportRgchatItem", "exportMarkdownItem", "exportJsonItem", "deleteItem"}) {
            QQuickItem* item = run->item(QString::fromLatin1(name));
            QVERIFY2(item, name);
            QVERIFY2(windowRect.contains(item->mapRectToScene(item->boundingRect())), name);
            QVERIFY2(item->width() >= item->implicitWidth(), name);  // nothing cut
        }
        QTest::keyClick(run->window, Qt::Key_Escape);
        QTRY_VERIFY(!markdown->isVisible());
        QVERIFY(exportItem->isVisible());
        QTest::keyClick(run->window, Qt::Key_Escape);
        QTRY_VERIFY(!exportItem->isVisible());

        clickItem(run->window, button);
        QTRY_VERIFY(exportItem->isVisible());
        QTest::qWait(400);
        clickItem(run->window, exportItem);
        QTRY_VERIFY(markdown->isVisible());
        QTest::qWait(400);
        clickItem(run->window, markdown);
        QQuickItem* field = nullptr;
        QTRY_VERIFY((field = run->item(QStringLiteral("fileNameTextField"))) != nullptr);
        QTRY_COMPARE(field->property("text").toString(), QStringLiteral("Plans for Lyon.md"));
        QTest::keyClick(run->window, Qt::Key_Escape);
        QTRY_VERIFY(!run->item(QStringLiteral("fileNameTextField")));

        clickItem(run->window, button);
        QTRY_VERIFY(exportItem->isVisible());
        QTest::keyClick(run->window, Qt::Key_B, Qt::ControlModifier);
        QTRY_VERIFY(!run->item(QStringLiteral("sidebar")));
        QTRY_VERIFY(!exportItem->isVisible());
    }

    // A .rgchat file dropped on the chat list from the file manager (the drag events a platform delivers, with the
    // file's URL) is imported and opened; a drag without a file is refused.
    void droppedFileIsImported() {
        auto run = start();
        QVERIFY(run);
        QVERIFY(run->sendAndWait(QStringLiteral("Carried by hand")));
        const qint64 original = run->controller.currentConversationId();
        const QString file = m_home.filePath(QStringLiteral("dropped.rgchat"));
        QVERIFY(run->controller.exportChat(original, QUrl::fromLocalFile(file), QStringLiteral("rgchat")));
        QQuickItem* list = run->item(QStringLiteral("conversationList"));
        QVERIFY(list);
        const QPoint at = list->mapToScene(QPointF(list->width() / 2, list->height() / 2)).toPoint();

        QMimeData text;
        text.setText(QStringLiteral("not a file"));
        QDragEnterEvent refused(at, Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(run->window, &refused);
        QVERIFY(!refused.isAccepted());
        QDragLeaveEvent leave;
        QCoreApplication::sendEvent(run->window, &leave);

        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(file)});
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(run->window, &enter);
        QVERIFY(enter.isAccepted());
        QSignalSpy imported(&run->controller, &ChatController::importFinished);
        QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(run->window, &drop);
        QVERIFY(imported.wait(kWaitMs));
        const qint64 id = imported.first().at(0).toLongLong();
        QVERIFY(id != 0 && id != original);
        QCOMPARE(run->controller.currentConversationId(), id);
        QCOMPARE(run->controller.currentTitle(), QStringLiteral("Carried by hand"));
    }

    // Bug 12: "Restore sampling defaults" is in view and takes a click when the dialog opens, in a small window too;
    // the dialog's title follows the font size.
    void preferencesRestoreDefaults() {
        auto run = start();
        QVERIFY(run);
        run->window->resize(640, 480);
        QTRY_COMPARE(run->window->height(), 480);
        Preferences* prefs = run->controller.preferences();
        const double temperature = prefs->temperature();
        prefs->setTemperature(temperature + 0.5);
        prefs->setFontSize(16);
        QMetaObject::invokeMethod(run->window, "openPreferences");
        QQuickItem* button = nullptr;
        QTRY_VERIFY((button = run->item(QStringLiteral("restoreSamplingButton"))) != nullptr);
        QTest::qWait(400);  // the dialog's opening transition
        const QRectF rect = button->mapRectToScene(button->boundingRect());
        QVERIFY(QRectF(0, 0, run->window->width(), run->window->height()).contains(rect));
        QQuickItem* hit = run->window->contentItem()->childAt(rect.center().x(), rect.center().y());
        Q_UNUSED(hit);
        clickItem(run->window, button);
        QTRY_COMPARE(prefs->temperature(), temperature);
        QQuickItem* title = run->item(QStringLiteral("preferencesTitle"));
        QVERIFY(title);
        QVERIFY(title->property("font").value<QFont>().pointSizeF() >= 16);
    }

    // Bug 12: the Rename field lies inside its dialog; editing a message: Enter sends, Shift+Enter is a new line, Esc
    // cancels.
    void renameAndEditDialogs() {
        auto run = start();
        QVERIFY(run);
        QVERIFY(run->sendAndWait(QStringLiteral("Hello")));
        QMetaObject::invokeMethod(run->window, "renameCurrent");
        QQuickItem* field = nullptr;
        QTRY_VERIFY((field = run->item(QStringLiteral("renameField"))) != nullptr);
        QTest::qWait(400);
        QQuickItem* dialog = field->parentItem();
        while (dialog && !dialog->inherits("QQuickPopupItem")) dialog = dialog->parentItem();
        QVERIFY(dialog);
        const QRectF outer = dialog->mapRectToScene(dialog->boundingRect());
        const QRectF inner = field->mapRectToScene(field->boundingRect());
        QVERIFY2(outer.contains(inner), "the rename field sticks out of its dialog");
        QTest::keyClick(run->window, Qt::Key_Escape);
        QTRY_VERIFY(!field->isVisible());

        QQuickItem* edit = findVisibleItem(run->window, QStringLiteral("editButton"));
        QVERIFY(edit);
        clickItem(run->window, edit);
        QQuickItem* editor = nullptr;
        QTRY_VERIFY((editor = run->item(QStringLiteral("messageEditor"))) != nullptr);
        QTRY_VERIFY(editor->hasActiveFocus());
        QTest::keyClick(run->window, Qt::Key_Return, Qt::ShiftModifier);
        typeText(run->window, QStringLiteral("again"));
        QCOMPARE(editor->property("text").toString(), QStringLiteral("Hello\nagain"));
        QTest::keyClick(run->window, Qt::Key_Escape);
        QTRY_VERIFY(!editor->isVisible());
        QCOMPARE(run->controller.messages()->contentAt(0), QStringLiteral("Hello"));

        clickItem(run->window, findVisibleItem(run->window, QStringLiteral("editButton")));
        QTRY_VERIFY(editor->isVisible() && editor->hasActiveFocus());
        typeText(run->window, QStringLiteral(" there"));
        QSignalSpy stored(&run->controller, &ChatController::replyStored);
        QTest::keyClick(run->window, Qt::Key_Return);
        QVERIFY(stored.wait(kWaitMs));
        QCOMPARE(run->controller.messages()->contentAt(0), QStringLiteral("Hello there"));
    }

    // Bug 11: in German and French the dialogs' standard buttons and the sizes are translated (Qt's own catalogue),
    // the combo boxes show their whole text, and the status bar elides instead of running off the window.
    void translatedButtonsSizesAndCombos_data() {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("close");
        QTest::newRow("de") << QStringLiteral("de") << QStringLiteral("Schließen");
        QTest::newRow("fr") << QStringLiteral("fr") << QStringLiteral("Fermer");
    }
    void translatedButtonsSizesAndCombos() {
        QFETCH(QString, language);
        QFETCH(QString, close);
        auto run = start(language);
        QVERIFY(run);
        QQuickItem* stateSize = run->item(QStringLiteral("stateSize"));
        QVERIFY(stateSize);
        QVERIFY2(!stateSize->property("text").toString().contains(QStringLiteral("bytes")),
                 qPrintable(stateSize->property("text").toString()));
        QMetaObject::invokeMethod(run->window, "openPreferences");
        QQuickItem* closeButton = nullptr;
        QTRY_VERIFY((closeButton = findVisibleItem(run->window, [&](QQuickItem* item) {
                         return item->inherits("QQuickAbstractButton") && item->property("text").toString() == close;
                     })) != nullptr);
        for (const char* name : {"themeBox", "languageBox"}) {
            QQuickItem* box = run->item(QString::fromLatin1(name));
            QVERIFY2(box, name);
            const int count = box->property("count").toInt();
            for (int i = 0; i < count; ++i) {
                box->setProperty("currentIndex", i);
                QQuickItem* content = box->property("contentItem").value<QQuickItem*>();
                QVERIFY(content);
                const qreal needed = content->property("contentWidth").toReal();
                const qreal available = content->width() - content->property("leftPadding").toReal() -
                                        content->property("rightPadding").toReal();
                QVERIFY2(needed <= available + 0.5, qPrintable(QStringLiteral("%1 item %2 (%3): %4 > %5")
                                                                   .arg(QString::fromLatin1(name))
                                                                   .arg(i)
                                                                   .arg(box->property("displayText").toString())
                                                                   .arg(needed)
                                                                   .arg(available)));
            }
        }
    }
};

QTEST_MAIN(TestWindow)
#include "test_window.moc"
