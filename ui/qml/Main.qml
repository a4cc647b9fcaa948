// Main.qml — the main window: conversation sidebar, conversation view, model bar, status bar, shortcuts.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
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
        loading: window.controller.modelStatus === ChatController.Loading
        title: window.controller.modelTitle
        subtitle: window.controller.modelSubtitle
        onPickModel: folderDialog.open()
        onOpenModels: modelsPage.open()
        onOpenPreferences: preferencesDialog.open()
    }

    // The linter of Qt 6.4 has no type for qint64 (qlonglong) properties such as these ids and sizes; QML reads them
    // as plain numbers.
    // qmllint disable type
    footer: StatusBar {
        generating: window.controller.generating
        tokensPerSecond: window.controller.tokensPerSecond
        notice: window.controller.notice
        conversationShown: window.controller.currentConversationId !== 0
        conversationTokens: window.controller.conversationTokens
        modelReady: window.controller.modelStatus === ChatController.Ready
        stateBytesInMemory: window.controller.stateBytesInMemory
        stateBytesOnDisk: window.controller.stateBytesOnDisk
    }
    // qmllint enable type

    SplitView {
        anchors.fill: parent

        Sidebar {
            id: sidebar
            SplitView.preferredWidth: 280
            SplitView.minimumWidth: 200
            conversations: window.controller.conversations
            // qmllint disable type
            currentId: window.controller.currentConversationId
            replyingId: window.controller.generatingConversationId
            // qmllint enable type
            canUndoDelete: window.controller.canUndoDelete
            onNewRequested: window.controller.newConversation()
            onOpenRequested: id => window.controller.openConversation(id)
            onRenameRequested: (id, title) => window.controller.renameConversation(id, title)
            onDeleteRequested: id => window.controller.deleteConversation(id)
            onUndoDeleteRequested: window.controller.undoDelete()
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

    ModelsPage {
        id: modelsPage
        controller: window.controller
        anchors.centerIn: parent
        onOpenFolderRequested: folderDialog.open()
    }

    PreferencesDialog {
        id: preferencesDialog
        prefs: window.prefs
        server: window.controller.server
        tokenStore: window.controller.models.tokenStore
        anchors.centerIn: parent
    }

    // The linter of Qt 6.4 does not see the StandardKey enumeration.
    // qmllint disable unqualified
    Shortcut {
        sequence: StandardKey.New
        onActivated: window.controller.newConversation()
    }
    Shortcut {
        sequence: StandardKey.Find
        onActivated: sidebar.focusSearch()
    }
    // qmllint enable unqualified
    Shortcut {
        sequence: "Esc"
        enabled: window.controller.generating
        onActivated: window.controller.stop()
    }
}
