// app_window.cpp — see app_window.h.
#include "app_window.h"

#include <QCoreApplication>
#include <QKeyEvent>
#include <QKeySequence>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>

#include "chat_controller.h"
#include "translation_manager.h"

namespace {

// Applies the language preference now and on every change; a new language re-evaluates the QML bindings that
// call qsTr() and the texts the controller builds with tr().
void followLanguagePreference(QQmlApplicationEngine& engine, ChatController& controller,
                              TranslationManager& translations) {
    Preferences* preferences = controller.preferences();
    QObject::connect(&translations, &TranslationManager::languageChanged, &engine, [&engine, &controller] {
        engine.retranslate();
        controller.retranslate();
    });
    QObject::connect(preferences, &Preferences::languageChanged, &translations,
                     [preferences, &translations] { translations.setLanguage(preferences->language()); });
    translations.setLanguage(preferences->language());
}

// Qt Quick's read-only TextEdit (a message's text) claims every shortcut while it has the focus: its
// ShortcutOverride comes back accepted whatever the key, so Esc, Ctrl+N and Ctrl+Q did nothing after a click in a
// message. This filter answers for it: the keys a read-only text uses (copy, select all, moving the selection)
// stay its own, every other key goes to the window's shortcuts.
class ReadOnlyTextShortcuts : public QObject {
  public:
    using QObject::QObject;

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() != QEvent::ShortcutOverride || !watched->inherits("QQuickTextEdit") ||
            !watched->property("readOnly").toBool()) {
            return false;
        }
        auto* key = static_cast<QKeyEvent*>(event);
        const bool plain = (key->modifiers() & ~(Qt::ShiftModifier | Qt::KeypadModifier)) == 0;
        const bool commandKey = key->key() == Qt::Key_Escape || (key->key() >= Qt::Key_F1 && key->key() <= Qt::Key_F35);
        if (key->matches(QKeySequence::Copy) || key->matches(QKeySequence::SelectAll) || (plain && !commandKey)) {
            return false;
        }
        key->ignore();
        return true;
    }
};

}  // namespace

QQuickWindow* loadMainWindow(QQmlApplicationEngine& engine, ChatController& controller,
                             TranslationManager* translations) {
    // Material follows the theme preference (light, dark or the system's) in Main.qml. The style can be set only
    // before the first window of the process.
    static bool styleSet = false;
    if (!styleSet) QQuickStyle::setStyle(QStringLiteral("Material"));
    styleSet = true;
    if (QCoreApplication* app = QCoreApplication::instance())
        app->installEventFilter(new ReadOnlyTextShortcuts(&engine));
    followLanguagePreference(engine, controller, translations ? *translations : *new TranslationManager(&engine));
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    engine.setInitialProperties({{QStringLiteral("controller"), QVariant::fromValue(&controller)}});
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/RecurrentChat/qml/Main.qml")));
    if (engine.rootObjects().isEmpty()) return nullptr;
    return qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());
}
