// Main.qml — the main window: conversation sidebar (collapsible), notice banner, conversation view, model bar,
// status bar, and the application-wide shortcuts.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import RecurrentChat

ApplicationWindow {
    id: window

    required property ChatController controller
    readonly property Preferences prefs: controller.preferences
    // Below this width the sidebar folds away by itself (the user can still open it over the conversation).
    readonly property int narrowWidth: 760
    readonly property bool narrow: width < narrowWidth
    // The user's choice for wide windows; narrow ones start folded.
    property bool sidebarWanted: true
    readonly property bool sidebarShown: sidebarWanted && !narrow || sidebarOpenedWhileNarrow
    property bool sidebarOpenedWhileNarrow: false
    onNarrowChanged: sidebarOpenedWhileNarrow = false

    function toggleSidebar() {
        if (narrow) sidebarOpenedWhileNarrow = !sidebarOpenedWhileNarrow
        else sidebarWanted = !sidebarWanted
    }
    function openPreferences() { preferencesDialog.open() }
    // qmllint disable type
    function renameCurrent() {
        if (controller.currentConversationId !== 0)
            sidebar.openRename(controller.currentConversationId, controller.currentTitle)
    }
    // qmllint enable type
    function newChat() {
        controller.newConversation()
        chatView.focusComposer()
    }

    width: 1100
    height: 720
    minimumWidth: 480
    minimumHeight: 360
    visible: true
    title: controller.currentTitle.length > 0 ? qsTr("%1 — Recurrent Chat").arg(controller.currentTitle)
                                               : qsTr("Recurrent Chat")
    font.pointSize: prefs.fontSize
    Material.theme: prefs.theme === Preferences.Light ? Material.Light
                  : prefs.theme === Preferences.Dark ? Material.Dark : Material.System
    Material.accent: Theme.accent
    // Not Material.background: set explicitly, it would also become every button's colour (the highlighted New chat
    // button lost its fill). Theme.background is Material's own.
    Material.foreground: Theme.text
    palette.text: Theme.text
    palette.windowText: Theme.text
    palette.link: Theme.link
    palette.highlight: Theme.selection
    palette.highlightedText: Theme.selectedText

    // Material resolves "System" to Light or Dark: the palette follows the theme in effect.
    Binding {
        target: Theme
        property: "dark"
        value: window.Material.theme === Material.Dark
    }

    header: ModelBar {
        loading: window.controller.modelStatus === ChatController.Loading
        title: window.controller.modelTitle
        subtitle: window.controller.modelSubtitle
        sidebarShown: window.sidebarShown
        canUseDemo: window.controller.canUseDemoModel
        offerDemo: window.controller.canUseDemoModel && (window.controller.lastLoadFailed
                   || window.controller.modelStatus === ChatController.None
                   || window.controller.modelStatus === ChatController.Failed)
        onUseDemo: window.controller.useDemoModel()
        onPickModel: folderDialog.open()
        onOpenModels: modelsPage.open()
        onOpenPreferences: window.openPreferences()
        onToggleSidebar: window.toggleSidebar()
        onQuitRequested: window.close()
    }

    // The linter of Qt 6.4 has no type for qint64 (qlonglong) properties such as these ids and sizes; QML reads them
    // as plain numbers.
    // qmllint disable type
    footer: StatusBar {
        generating: window.controller.generating
        tokensPerSecond: window.controller.tokensPerSecond
        promptTokensDone: window.controller.promptTokensDone
        promptTokensTotal: window.controller.promptTokensTotal
        promptSecondsLeft: window.controller.promptSecondsLeft
        conversationShown: window.controller.currentConversationId !== 0
        conversationTokens: window.controller.conversationTokens
        modelReady: window.controller.modelStatus === ChatController.Ready
        stateBytesInMemory: window.controller.stateBytesInMemory
        stateBytesOnDisk: window.controller.stateBytesOnDisk
    }
    // qmllint enable type

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        NoticeBanner {
            Layout.fillWidth: true
            text: window.controller.notice
            onDismissed: window.controller.dismissNotice()
        }

        SplitView {
            Layout.fillWidth: true
            Layout.fillHeight: true

            Sidebar {
                id: sidebar
                objectName: "sidebar"
                visible: window.sidebarShown
                SplitView.preferredWidth: Math.min(280, window.width * 0.4)
                SplitView.minimumWidth: 180
                conversations: window.controller.conversations
                // qmllint disable type
                currentId: window.controller.currentConversationId
                replyingId: window.controller.generatingConversationId
                // qmllint enable type
                canUndoDelete: window.controller.canUndoDelete
                importing: window.controller.importing
                onNewRequested: window.newChat()
                onOpenRequested: id => {
                    window.controller.openConversation(id)
                    if (window.narrow) window.sidebarOpenedWhileNarrow = false
                    chatView.focusComposer()
                }
                onRenameRequested: (id, title) => window.controller.renameConversation(id, title)
                onDeleteRequested: id => window.controller.deleteConversation(id)
                onUndoDeleteRequested: window.controller.undoDelete()
                onExportRequested: (id, title, format) => chatFileDialogs.exportChat(id, title, format)
                onImportRequested: chatFileDialogs.importChat()
                onImportFileRequested: file => window.controller.importChat(file)
            }

            ChatView {
                id: chatView
                SplitView.fillWidth: true
                controller: window.controller
            }
        }
    }

    ModelFolderDialog {
        id: folderDialog
        onFolderChosen: folder => window.controller.loadModelUrl(folder)
    }

    DatabaseNoticeDialog {
        id: databaseNotice
        text: window.controller.databaseNotice
        onShowFileRequested: window.controller.showKeptDatabase()
    }
    // After the first frame: opened before the window was on screen, the dialog's elevated background was not drawn.
    property bool databaseNoticeDue: controller.databaseNotice.length > 0
    Connections {
        target: window
        enabled: window.databaseNoticeDue
        function onFrameSwapped() {
            window.databaseNoticeDue = false
            databaseNotice.open()
        }
    }

    ChatFileDialogs {
        id: chatFileDialogs
        controller: window.controller
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

    // Application-wide: they work wherever the focus is (a text field, the lists, a button, a dialog).
    // The linter of Qt 6.4 does not see the StandardKey enumeration.
    // qmllint disable unqualified
    Shortcut {
        sequence: StandardKey.New
        context: Qt.ApplicationShortcut
        onActivated: window.newChat()
    }
    Shortcut {
        sequence: StandardKey.Find
        context: Qt.ApplicationShortcut
        onActivated: {
            if (!window.sidebarShown) window.toggleSidebar()
            sidebar.focusSearch()
        }
    }
    // qmllint enable unqualified
    Shortcut {
        sequence: "Ctrl+Q"  // not StandardKey.Quit: it is empty on some platforms
        context: Qt.ApplicationShortcut
        onActivated: window.close()
    }
    Shortcut {
        sequence: "Esc"
        context: Qt.ApplicationShortcut
        enabled: window.controller.generating
        onActivated: window.controller.stop()
    }
    Shortcut {
        sequence: "F2"
        onActivated: window.renameCurrent()
    }
    Shortcut {
        sequence: "Ctrl+B"
        context: Qt.ApplicationShortcut
        onActivated: window.toggleSidebar()
    }
}
