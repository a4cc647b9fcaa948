// app_window.h — loading the main window for a controller: shared by the app's main() and the end-to-end test,
// so the test drives exactly the window users see.
#pragma once

class ChatController;
class QQmlApplicationEngine;
class QQuickWindow;

// Sets the Quick Controls style (once, before the first window), loads Main.qml with `controller` and returns
// the window, or nullptr if QML failed to load.
QQuickWindow* loadMainWindow(QQmlApplicationEngine& engine, ChatController& controller);
