// Sidebar.qml — the conversation list: search by title and content, new, rename, delete with undo.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import RecurrentChat

Pane {
    id: sidebar

    required property ChatController controller

    function focusSearch() {
        search.forceActiveFocus()
        search.selectAll()
    }

    padding: 6

    ColumnLayout {
        anchors.fill: parent
        spacing: 6

        Button {
            Layout.fillWidth: true
            text: qsTr("New chat")
            highlighted: true
            onClicked: sidebar.controller.newConversation()
        }
        TextField {
            id: search
            objectName: "searchField"
            Layout.fillWidth: true
            placeholderText: qsTr("Search chats (Ctrl+F)")
            selectByMouse: true
            onTextChanged: sidebar.controller.conversations.filter = text
        }
        ListView {
            id: list
            objectName: "conversationList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: sidebar.controller.conversations
            ScrollBar.vertical: ScrollBar {}

            delegate: ItemDelegate {
                id: row
                required property int index
                required property var conversationId
                required property string title
                required property string subtitle

                width: ListView.view.width
                highlighted: sidebar.controller.currentConversationId === row.conversationId
                onClicked: sidebar.controller.openConversation(row.conversationId)

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
                        text: (sidebar.controller.generating
                               && sidebar.controller.generatingConversationId === row.conversationId)
                              ? qsTr("Replying…") : row.subtitle
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
                        onTriggered: sidebar.controller.deleteConversation(row.conversationId)
                    }
                }
            }

            Label {
                anchors.centerIn: parent
                visible: list.count === 0
                text: search.text.length > 0 ? qsTr("No chat matches") : qsTr("No chats yet")
                opacity: 0.6
            }
        }
        RowLayout {
            visible: sidebar.controller.canUndoDelete
            Layout.fillWidth: true
            Label {
                Layout.fillWidth: true
                text: qsTr("Chat deleted")
            }
            Button {
                text: qsTr("Undo")
                flat: true
                onClicked: sidebar.controller.undoDelete()
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
        standardButtons: Dialog.Ok | Dialog.Cancel
        TextField {
            id: titleField
            width: 280
            selectByMouse: true
            onAccepted: renameDialog.accept()
        }
        onAccepted: sidebar.controller.renameConversation(conversationId, titleField.text)
    }
}
