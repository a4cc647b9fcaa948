// app_window.cpp — see app_window.h.
#include "app_window.h"

#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>

#include "chat_controller.h"

QQuickWindow* loadMainWindow(QQmlApplicationEngine& engine, ChatController& controller) {
    // Material follows the theme preference (light, dark or the system's) in Main.qml. The style can be set only
    // before the first window of the process.
    static bool styleSet = false;
    if (!styleSet) QQuickStyle::setStyle(QStringLiteral("Material"));
    styleSet = true;
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    engine.setInitialProperties({{QStringLiteral("controller"), QVariant::fromValue(&controller)}});
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/RecurrentChat/qml/Main.qml")));
    if (engine.rootObjects().isEmpty()) return nullptr;
    return qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());
}
