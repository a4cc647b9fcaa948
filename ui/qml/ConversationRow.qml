// ConversationRow.qml — one chat in the sidebar's list: its title and date (or "Replying…"), highlighted while it is
// the open chat, framed while it is the list's keyboard cursor, and its "⋯" button (shown on hover, on the open chat
// and on the cursor) for the chat's menu. A click opens the chat, a double-click renames it, a right-click opens the
// menu at the pointer.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import RecurrentChat

ItemDelegate {
    id: row

    required property int index
    required property var conversationId
    required property string title
    required property string subtitle
    required property bool replying
    required property bool keyboardCursor
    required property bool menuOpen

    signal openRequested()
    signal renameRequested()
    // `anchor` is the item the menu opens at (the "⋯" button), or null for the pointer.
    signal menuRequested(Item anchor)

    readonly property bool actionsShown: hovered || highlighted || keyboardCursor || menuOpen
    property bool titleTruncated: false

    objectName: "conversationRow"
    width: ListView.view.width
    rightPadding: menuButton.width + 4
    onClicked: openRequested()
    onDoubleClicked: renameRequested()
    ToolTip.text: row.title
    ToolTip.visible: hovered && titleTruncated
    ToolTip.delay: 800

    contentItem: ColumnLayout {
        spacing: 0
        Label {
            Layout.fillWidth: true
            text: row.title.length > 0 ? row.title : qsTr("New chat")
            elide: Text.ElideRight
            font.bold: row.highlighted
            onTruncatedChanged: row.titleTruncated = truncated
        }
        Label {
            Layout.fillWidth: true
            text: row.replying ? qsTr("Replying…") : row.subtitle
            elide: Text.ElideRight
            opacity: 0.7
            font.pointSize: Math.max(7, row.font.pointSize - 2)
        }
    }

    ToolButton {
        id: menuButton
        objectName: "rowMenuButton"
        anchors.right: parent.right
        anchors.rightMargin: 2
        anchors.verticalCenter: parent.verticalCenter
        width: implicitHeight * 0.8
        // Kept in place (the title does not shift under the pointer), drawn only when it applies.
        opacity: row.actionsShown ? 1 : 0
        enabled: row.actionsShown
        text: "⋯"
        font.bold: true
        onClicked: row.menuRequested(menuButton)
        ToolTip.text: qsTr("Rename, export or delete this chat")
        ToolTip.visible: hovered
        ToolTip.delay: 500
    }

    Rectangle {
        anchors.fill: parent
        visible: row.keyboardCursor
        color: "transparent"
        border.width: 2
        border.color: Theme.accent
        radius: 2
    }

    TapHandler {
        acceptedButtons: Qt.RightButton
        onTapped: row.menuRequested(null)
    }
}
