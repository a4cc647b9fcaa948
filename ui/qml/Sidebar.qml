// Sidebar.qml — the conversation list: search by title and content, new, rename, delete with undo. What the user
// does to a conversation goes out as signals naming it by id.
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
    signal newRequested()
    signal openRequested(var conversationId)
    signal renameRequested(var conversationId, string title)
    signal deleteRequested(var conversationId)
    signal undoDeleteRequested()

    function openRename(conversationId, title) { renameDialog.openFor(conversationId, title) }
    function focusSearch() {
        search.forceActiveFocus()
        search.selectAll()
    }

    padding: 6

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
        }
        ListView {
            id: list
            objectName: "conversationList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: sidebar.conversations
            ScrollBar.vertical: ScrollBar {}

            // The delegate reads this file's ids, which the linter of Qt 6.4 (before ComponentBehavior: Bound) takes
            // for unqualified access.
            // qmllint disable unqualified
            delegate: ItemDelegate {
                id: row
                objectName: "conversationRow"
                required property int index
                required property var conversationId
                required property string title
                required property string subtitle

                width: ListView.view.width
                highlighted: sidebar.currentId === row.conversationId
                onClicked: sidebar.openRequested(row.conversationId)

                contentItem: ColumnLayout {
                    spacing: 0
                    Label {
                        Layout.fillWidth: true
                        text: row.title.length > 0 ? row.title : qsTr("New chat")
                        elide: Text.ElideRight
                        font.bold: row.highlighted
                    }
                    Label {
                        Layout.fillWidth: true
                        text: sidebar.replyingId === row.conversationId ? qsTr("Replying…") : row.subtitle
                        elide: Text.ElideRight
                        opacity: 0.7
                        font.pointSize: Math.max(7, sidebar.font.pointSize - 2)
                    }
                }

                TapHandler {
                    acceptedButtons: Qt.RightButton
                    onTapped: rowMenu.popup()
                }
                Menu {
                    id: rowMenu
                    MenuItem {
                        text: qsTr("Rename…")
                        onTriggered: renameDialog.openFor(row.conversationId, row.title)
                    }
                    MenuItem {
                        text: qsTr("Delete")
                        onTriggered: sidebar.deleteRequested(row.conversationId)
                    }
                }
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
                text: qsTr("Undo")
                flat: true
                onClicked: sidebar.undoDeleteRequested()
            }
        }
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
