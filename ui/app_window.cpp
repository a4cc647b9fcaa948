// app_window.cpp — see app_window.h.
#include "app_window.h"

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

}  // namespace

QQuickWindow* loadMainWindow(QQmlApplicationEngine& engine, ChatController& controller,
                             TranslationManager* translations) {
    // Material follows the theme preference (light, dark or the system's) in Main.qml. The style can be set only
    // before the first window of the process.
    static bool styleSet = false;
    if (!styleSet) QQuickStyle::setStyle(QStringLiteral("Material"));
    styleSet = true;
    followLanguagePreference(engine, controller, translations ? *translations : *new TranslationManager(&engine));
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    engine.setInitialProperties({{QStringLiteral("controller"), QVariant::fromValue(&controller)}});
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/RecurrentChat/qml/Main.qml")));
    if (engine.rootObjects().isEmpty()) return nullptr;
    return qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());
}
