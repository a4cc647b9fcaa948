// ChatMenu.qml — what can be done to one chat of the list: rename it, export it (a .rgchat file that carries every
// branch and the model's state, or its current branch as Markdown or JSON), delete it (undone from the list). It
// names the chat by id in its signals.
import QtQuick
import QtQuick.Controls

Menu {
    id: menu

    property var conversationId: 0
    property string chatTitle

    signal renameRequested(var conversationId, string title)
    signal exportRequested(var conversationId, string title, string format)
    signal deleteRequested(var conversationId)

    // At `anchor` (below it), or at the pointer when null.
    function openFor(conversationId, title, anchor) {
        menu.conversationId = conversationId
        menu.chatTitle = title
        if (anchor) popup(anchor, 0, anchor.height)
        else popup()
    }

    // As wide as the widest item of `m`, at least Material's 200 px: its fixed width cut "Recurrent Chat file
    // (.rgchat)…", and translations run longer.
    function fittedWidth(m) {
        let widest = 0
        for (let i = 0; i < m.count; ++i) widest = Math.max(widest, m.itemAt(i).implicitWidth)
        return Math.max(200, widest + m.leftPadding + m.rightPadding)
    }

    objectName: "chatMenu"
    width: fittedWidth(menu)

    MenuItem {
        objectName: "renameItem"
        text: qsTr("Rename…")
        onTriggered: menu.renameRequested(menu.conversationId, menu.chatTitle)
    }
    Menu {
        id: exportMenu
        objectName: "exportMenu"
        title: qsTr("Export")
        width: menu.fittedWidth(exportMenu)
        MenuItem {
            objectName: "exportRgchatItem"
            text: qsTr("Recurrent Chat file (.rgchat)…")
            onTriggered: menu.exportRequested(menu.conversationId, menu.chatTitle, "rgchat")
        }
        MenuItem {
            objectName: "exportMarkdownItem"
            text: qsTr("Markdown (.md)…")
            onTriggered: menu.exportRequested(menu.conversationId, menu.chatTitle, "md")
        }
        MenuItem {
            objectName: "exportJsonItem"
            text: qsTr("JSON (.json)…")
            onTriggered: menu.exportRequested(menu.conversationId, menu.chatTitle, "json")
        }
    }
    MenuSeparator {}
    MenuItem {
        objectName: "deleteItem"
        text: qsTr("Delete")
        onTriggered: menu.deleteRequested(menu.conversationId)
    }
}
