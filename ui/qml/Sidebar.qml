// Sidebar.qml — the conversation list: search by title and content, new, import (a button, or a file dropped on
// the list), and each chat's actions (its "⋯"
// menu or a right-click: rename, export, delete with undo; a double-click renames; with the list focused, the
// arrows move, Enter opens and Delete deletes). What the user does to a conversation goes out as signals naming it
// by id.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import RecurrentChat

Pane {
    id: sidebar

    required property ConversationListModel conversations
    required property var currentId
    required property var replyingId  // the conversation a reply streams into, or 0
    required property bool canUndoDelete
    required property bool importing
    signal newRequested()
    signal openRequested(var conversationId)
    signal renameRequested(var conversationId, string title)
    signal deleteRequested(var conversationId)
    signal undoDeleteRequested()
    signal exportRequested(var conversationId, string title, string format)  // "rgchat", "md" or "json"
    signal importRequested()
    signal importFileRequested(url file)  // a file dropped on the list

    function openRename(conversationId, title) { renameDialog.openFor(conversationId, title) }
    function focusSearch() {
        search.forceActiveFocus()
        search.selectAll()
    }

    padding: 6
    // Folded away (a narrow window, Ctrl+B): the menu of a row no longer shown goes too.
    onVisibleChanged: if (!visible) chatMenu.close()

    ColumnLayout {
        anchors.fill: parent
        spacing: 6

        Button {
            objectName: "newChatButton"
            Layout.fillWidth: true
            text: qsTr("New chat")
            highlighted: true
            onClicked: sidebar.newRequested()
        }
        TextField {
            id: search
            objectName: "searchField"
            Layout.fillWidth: true
            placeholderText: qsTr("Search chats (Ctrl+F)")
            selectByMouse: true
            onTextChanged: sidebar.conversations.filter = text
            Keys.onDownPressed: list.forceActiveFocus()
        }
        ListView {
            id: list
            objectName: "conversationList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: sidebar.conversations
            activeFocusOnTab: true
            ScrollBar.vertical: ScrollBar {}
            // The keyboard cursor starts at the open chat.
            onActiveFocusChanged: {
                const row = sidebar.conversations.indexOfId(sidebar.currentId)
                if (activeFocus && row >= 0) currentIndex = row
            }
            // The row under the keyboard cursor (the linter of Qt 6.4 cannot see that every item here is one; a cast
            // with `as` miscompiles in its qmlcachegen).
            // qmllint disable type
            readonly property ConversationRow cursorRow: currentItem
            // qmllint enable type
            Keys.onDeletePressed: if (cursorRow) sidebar.deleteRequested(cursorRow.conversationId)
            Keys.onReturnPressed: if (cursorRow) sidebar.openRequested(cursorRow.conversationId)
            Keys.onEnterPressed: if (cursorRow) sidebar.openRequested(cursorRow.conversationId)
            Keys.onMenuPressed: if (cursorRow) chatMenu.openFor(cursorRow.conversationId, cursorRow.title, cursorRow)

            // The delegate reads this file's ids, which the linter of Qt 6.4 (before ComponentBehavior: Bound) takes
            // for unqualified access.
            // qmllint disable unqualified
            delegate: ConversationRow {
                id: row
                highlighted: sidebar.currentId === conversationId
                replying: sidebar.replyingId === conversationId
                keyboardCursor: list.activeFocus && ListView.isCurrentItem
                menuOpen: chatMenu.visible && chatMenu.conversationId === conversationId
                onOpenRequested: {
                    ListView.view.currentIndex = index
                    sidebar.openRequested(conversationId)
                }
                onRenameRequested: renameDialog.openFor(conversationId, title)
                onMenuRequested: anchor => chatMenu.openFor(conversationId, title, anchor)
            }
            // qmllint enable unqualified

            Label {
                anchors.centerIn: parent
                visible: list.count === 0
                text: search.text.length > 0 ? qsTr("No chat matches") : qsTr("No chats yet")
                opacity: 0.6
            }
        }
        RowLayout {
            visible: sidebar.canUndoDelete
            Layout.fillWidth: true
            Label {
                Layout.fillWidth: true
                text: qsTr("Chat deleted")
            }
            Button {
                objectName: "undoDeleteButton"
                text: qsTr("Undo")
                flat: true
                onClicked: sidebar.undoDeleteRequested()
            }
        }
        Button {
            objectName: "importButton"
            Layout.fillWidth: true
            flat: true
            enabled: !sidebar.importing
            text: sidebar.importing ? qsTr("Importing…") : qsTr("Import chat…")
            onClicked: sidebar.importRequested()
            ToolTip.text: qsTr("Add a chat exported as a .rgchat file, from this computer or another")
            ToolTip.visible: hovered
            ToolTip.delay: 500
        }
    }

    // A .rgchat file dragged from the file manager onto the list is imported, as with Import chat….
    DropArea {
        id: dropArea
        objectName: "importDropArea"
        anchors.fill: parent
        enabled: !sidebar.importing
        onEntered: drag => drag.accepted = drag.hasUrls
        onDropped: drop => {
            if (!drop.hasUrls) return
            drop.accept(Qt.CopyAction)
            sidebar.importFileRequested(drop.urls[0])
        }
        Rectangle {
            anchors.fill: parent
            visible: dropArea.containsDrag
            color: "transparent"
            border.width: 2
            border.color: Theme.accent
            radius: 4
        }
    }

    ChatMenu {
        id: chatMenu
        onRenameRequested: (id, title) => renameDialog.openFor(id, title)
        onExportRequested: (id, title, format) => sidebar.exportRequested(id, title, format)
        onDeleteRequested: id => sidebar.deleteRequested(id)
    }

    Dialog {
        id: renameDialog
        property var conversationId: 0
        function openFor(id, title) {
            conversationId = id
            titleField.text = title
            open()
            titleField.forceActiveFocus()
            titleField.selectAll()
        }
        objectName: "renameDialog"
        title: qsTr("Rename chat")
        modal: true
        anchors.centerIn: Overlay.overlay
        width: Math.min(420, Overlay.overlay ? Overlay.overlay.width - 40 : 420)
        standardButtons: Dialog.Ok | Dialog.Cancel
        TextField {
            id: titleField
            objectName: "renameField"
            width: renameDialog.availableWidth
            selectByMouse: true
            onAccepted: renameDialog.accept()
        }
        onAccepted: sidebar.renameRequested(conversationId, titleField.text)
    }
}
