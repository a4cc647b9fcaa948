// app_window.h — loading the main window for a controller: shared by the app's main() and the end-to-end test,
// so the test drives exactly the window users see.
#pragma once

class ChatController;
class QQmlApplicationEngine;
class QQuickWindow;
class TranslationManager;

// Sets the Quick Controls style (once, before the first window), loads Main.qml with `controller` and returns
// the window, or nullptr if QML failed to load. The window speaks the language of the controller's
// Preferences.language ("" = the system's) and switches when it changes, through `translations` (the app's, so
// that its command line was translated too) or, if null, through one the engine owns.
QQuickWindow* loadMainWindow(QQmlApplicationEngine& engine, ChatController& controller,
                             TranslationManager* translations = nullptr);
