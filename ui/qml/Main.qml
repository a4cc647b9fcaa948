// Main.qml — the main window: conversation sidebar, conversation view, model bar, status bar, shortcuts.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import RecurrentChat

ApplicationWindow {
    id: window

    required property ChatController controller
    readonly property Preferences prefs: controller.preferences

    width: 1100
    height: 720
    minimumWidth: 640
    minimumHeight: 420
    visible: true
    title: controller.currentTitle.length > 0 ? qsTr("%1 — Recurrent Chat").arg(controller.currentTitle)
                                               : qsTr("Recurrent Chat")
    font.pointSize: prefs.fontSize
    Material.theme: prefs.theme === Preferences.Light ? Material.Light
                  : prefs.theme === Preferences.Dark ? Material.Dark : Material.System
    Material.accent: Material.Teal

    header: ModelBar {
        controller: window.controller
        onPickModel: folderDialog.open()
        onOpenPreferences: preferencesDialog.open()
    }

    footer: StatusBar {
        controller: window.controller
    }

    SplitView {
        anchors.fill: parent

        Sidebar {
            id: sidebar
            SplitView.preferredWidth: 280
            SplitView.minimumWidth: 200
            controller: window.controller
        }

        ChatView {
            id: chatView
            SplitView.fillWidth: true
            controller: window.controller
        }
    }

    FolderDialog {
        id: folderDialog
        title: qsTr("Choose a RecurrentGemma model folder")
        onAccepted: window.controller.loadModelUrl(selectedFolder)
    }

    PreferencesDialog {
        id: preferencesDialog
        prefs: window.prefs
        anchors.centerIn: parent
    }

    Shortcut {
        sequence: StandardKey.New
        onActivated: window.controller.newConversation()
    }
    Shortcut {
        sequence: StandardKey.Find
        onActivated: sidebar.focusSearch()
    }
    Shortcut {
        sequence: "Esc"
        enabled: window.controller.generating
        onActivated: window.controller.stop()
    }
}
