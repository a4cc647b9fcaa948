// tst_sidebar.qml — the chat list's actions, wired as Main.qml wires them, on a real controller (fake engine, real
// SQLite, real files): the "⋯" menu renames, exports and deletes; a double-click renames; Delete deletes the chat
// under the list's keyboard cursor (and not while typing elsewhere); Export writes the file chosen in its dialog, in
// each format, and asks before replacing one; Import reads the file chosen, opens the chat, and refuses a truncated
// file with a notice, changing nothing.
import QtQuick
import QtQuick.Controls
import QtTest
import RecurrentChat
import RecurrentChatTest

Item {
    id: root
    width: 420
    height: 640

    TestApp {
        id: app
    }

    Sidebar {
        id: sidebar
        anchors.fill: parent
        conversations: app.controller.conversations
        currentId: app.controller.currentConversationId
        replyingId: app.controller.generatingConversationId
        canUndoDelete: app.controller.canUndoDelete
        importing: app.controller.importing
        onNewRequested: app.controller.newConversation()
        onOpenRequested: id => app.controller.openConversation(id)
        onRenameRequested: (id, title) => app.controller.renameConversation(id, title)
        onDeleteRequested: id => app.controller.deleteConversation(id)
        onUndoDeleteRequested: app.controller.undoDelete()
        onExportRequested: (id, title, format) => dialogs.exportChat(id, title, format)
        onImportRequested: dialogs.importChat()
        onImportFileRequested: file => app.controller.importChat(file)
    }

    ChatFileDialogs {
        id: dialogs
        controller: app.controller
    }

    SignalSpy {
        id: imported
        target: app.controller
        signalName: "importFinished"
    }

    TestCase {
        name: "Sidebar"
        when: windowShown
        visible: true

        function findByName(item, name) {
            if (item.objectName === name) return item
            for (let i = 0; i < item.children.length; ++i) {
                const found = findByName(item.children[i], name)
                if (found) return found
            }
            return null
        }
        function list() { return findByName(sidebar, "conversationList") }
        function rowOf(conversationId) {
            const index = app.controller.conversations.indexOfId(conversationId)
            if (index < 0) return null
            list().positionViewAtIndex(index, ListView.Contain)
            const rows = list().contentItem.children
            for (let i = 0; i < rows.length; ++i) {
                if (rows[i].objectName === "conversationRow" && rows[i].conversationId === conversationId)
                    return rows[i]
            }
            return null
        }
        function chatMenu() { return findChild(sidebar, "chatMenu") }
        function renameDialog() { return findChild(sidebar, "renameDialog") }
        function chatCount() { return app.controller.conversations.count }
        // A new chat with one exchange; its id.
        function newChat(text) {
            app.controller.newConversation()
            verify(app.controller.send(text))
            tryCompare(app.controller, "generating", false, 5000)
            return app.controller.currentConversationId
        }
        // Opens the "⋯" menu of `conversationId`'s row with its button and clicks the item named `name`.
        function clickMenuItem(conversationId, name) {
            const row = rowOf(conversationId)
            verify(row)
            const button = findByName(row, "rowMenuButton")
            verify(button.enabled)  // the open chat shows its button
            mouseClick(button)
            const menu = chatMenu()
            tryCompare(menu, "opened", true)
            compare(menu.conversationId, conversationId)
            let item = findChild(menu, name)
            if (!item.visible) {  // in the Export submenu
                mouseClick(menu.itemAt(1))
                tryVerify(() => findChild(menu, name) && findChild(menu, name).visible)
                item = findChild(menu, name)
            }
            tryCompare(item, "visible", true)
            wait(300)  // the menus' opening transitions
            mouseClick(item)
            tryCompare(menu, "visible", false)
        }
        function typeAndAccept(text) {
            const field = findChild(renameDialog(), "renameField")
            tryCompare(renameDialog(), "opened", true)
            verify(field.activeFocus)
            field.selectAll()
            for (const c of text) keyClick(c)
            keyClick(Qt.Key_Return)
            tryCompare(renameDialog(), "visible", false)
        }

        function init() {
            tryCompare(app.controller, "modelStatus", ChatController.Ready)
            app.stallReplies(false)
        }

        function test_menuRenames() {
            const id = newChat("Menu rename")
            clickMenuItem(id, "renameItem")
            compare(findChild(renameDialog(), "renameField").text, app.controller.currentTitle)
            typeAndAccept("Renamed by menu")
            compare(app.controller.currentTitle, "Renamed by menu")
            tryCompare(rowOf(id), "title", "Renamed by menu")
        }

        // Esc closes the Export submenu, then the menu: the keyboard leaves as it came.
        function test_escapeClosesTheMenus() {
            const id = newChat("Escape")
            const row = rowOf(id)
            mouseClick(findByName(row, "rowMenuButton"))
            const menu = chatMenu()
            tryCompare(menu, "opened", true)
            mouseClick(menu.itemAt(1))
            const submenu = findChild(menu, "exportMenu")
            tryCompare(submenu, "opened", true)
            keyClick(Qt.Key_Escape)
            tryCompare(submenu, "visible", false)
            verify(menu.visible)
            keyClick(Qt.Key_Escape)
            tryCompare(menu, "visible", false)
        }

        function test_doubleClickRenames() {
            const other = newChat("Another chat")
            const id = newChat("Double click")
            const row = rowOf(other)
            mouseDoubleClickSequence(row)
            typeAndAccept("Renamed twice")
            tryCompare(rowOf(other), "title", "Renamed twice")
            verify(rowOf(id).title !== "Renamed twice")
        }

        function test_deleteKeyDeletesTheChatUnderTheCursor() {
            const kept = newChat("Kept")
            const id = newChat("Deleted by key")
            const before = chatCount()
            // Typing Delete in the search field deletes text, not a chat.
            const search = findByName(sidebar, "searchField")
            search.forceActiveFocus()
            keyClick(Qt.Key_Delete)
            compare(chatCount(), before)
            // Down from the search field enters the list, its cursor on the open chat.
            keyClick(Qt.Key_Down)
            verify(list().activeFocus)
            compare(list().currentItem.conversationId, id)
            keyClick(Qt.Key_Delete)
            tryCompare(app.controller.conversations, "count", before - 1)
            verify(!rowOf(id))
            verify(rowOf(kept))
            verify(app.controller.canUndoDelete)
            mouseClick(findByName(sidebar, "undoDeleteButton"))
            tryCompare(app.controller.conversations, "count", before)
            tryVerify(() => rowOf(id) !== null)
        }

        function test_menuDeletes() {
            const id = newChat("Deleted by menu")
            const before = chatCount()
            clickMenuItem(id, "deleteItem")
            tryCompare(app.controller.conversations, "count", before - 1)
            compare(app.controller.currentConversationId, 0)
            app.controller.undoDelete()
        }

        // The dialogs are Qt's own (Qt Quick's, offscreen): found in the window's overlay.
        function inDialog(name) { return findByName(sidebar.Overlay.overlay, name) }
        function dialogButton(label) {
            function find(item) {
                if (item.clicked && item.text === label && item.visible) return item
                for (let i = 0; i < item.children.length; ++i) {
                    const found = find(item.children[i])
                    if (found) return found
                }
                return null
            }
            return find(sidebar.Overlay.overlay)
        }
        function fileRow(fileName) {
            const rows = inDialog("fileDialogListView").contentItem.children
            for (let i = 0; i < rows.length; ++i) {
                if (rows[i].fileName === fileName) return rows[i]
            }
            return null
        }
        // The file dialogs open where the last export or import went: this app's temporary folder.
        function useTestFolder(conversationId) {
            verify(app.controller.exportChat(conversationId, app.fileUrl("probe.md"), "md"))
            app.controller.dismissNotice()
            compare(String(app.controller.transferFolderUrl()), String(app.fileUrl("")).replace(/\/$/, ""))
        }

        function test_exportWritesTheChosenFile_data() {
            return [
                { tag: "rgchat", item: "exportRgchatItem", format: "rgchat", starts: "RGCHAT" },
                { tag: "markdown", item: "exportMarkdownItem", format: "md", starts: "# Exported as " },
                { tag: "json", item: "exportJsonItem", format: "json", starts: "{" },
            ]
        }
        function test_exportWritesTheChosenFile(data) {
            const id = newChat("Exported as " + data.tag)
            useTestFolder(id)
            app.controller.renameConversation(id, "Exported as " + data.tag + ": a/b")
            clickMenuItem(id, data.item)
            tryCompare(dialogs.exportDialog, "visible", true)
            // Offered: the title as a file name (no slash, no colon), in the format's suffix.
            const field = inDialog("fileNameTextField")
            tryCompare(field, "text", "Exported as " + data.tag + " a b." + data.format)
            field.forceActiveFocus()
            field.selectAll()
            for (const c of "chosen-" + data.tag) keyClick(c)  // no suffix: the format's is added
            tryVerify(() => dialogButton("Export") !== null)
            mouseClick(dialogButton("Export"))
            tryCompare(dialogs.exportDialog, "visible", false)
            const written = app.fileText(app.fileUrl("chosen-" + data.tag + "." + data.format))
            verify(written.startsWith(data.starts), written.substring(0, 40))
            if (data.format !== "rgchat") verify(written.indexOf("Exported as " + data.tag) >= 0)
            verify(app.controller.notice.indexOf("chosen-" + data.tag + "." + data.format) >= 0, app.controller.notice)
            app.controller.dismissNotice()
        }

        function exportThroughTheDialog(conversationId, name) {
            dialogs.exportChat(conversationId, "Replace me", "md")
            tryCompare(dialogs.exportDialog, "visible", true)
            const field = inDialog("fileNameTextField")
            field.forceActiveFocus()
            field.selectAll()
            for (const c of name) keyClick(c)
            tryVerify(() => dialogButton("Export") !== null)
            mouseClick(dialogButton("Export"))
            tryCompare(dialogs.exportDialog, "visible", false)
        }

        function test_exportAsksBeforeReplacing() {
            const id = newChat("Replace me")
            useTestFolder(id)
            const file = app.fileUrl("existing.md")
            verify(app.writeFile(file, "keep this"))
            exportThroughTheDialog(id, "existing")
            const ask = dialogs.replaceDialog
            tryCompare(ask, "opened", true)
            mouseClick(dialogButton("Cancel"))
            tryCompare(ask, "visible", false)
            compare(app.fileText(file), "keep this")
            exportThroughTheDialog(id, "existing.md")
            tryCompare(ask, "opened", true)
            mouseClick(dialogButton("Replace"))
            tryCompare(ask, "visible", false)
            verify(app.fileText(file).indexOf("Replace me") >= 0, app.fileText(file))
            app.controller.dismissNotice()
        }

        function test_importOpensTheChatAndRefusesATruncatedFile() {
            const id = newChat("Travelling chat")
            const file = app.fileUrl("travelling.rgchat")
            verify(app.controller.exportChat(id, file, "rgchat"))
            const before = chatCount()
            imported.clear()
            mouseClick(findByName(sidebar, "importButton"))
            tryCompare(dialogs.importDialog, "visible", true)
            tryVerify(() => fileRow("travelling.rgchat") !== null)
            wait(500)  // the dialog's opening transition, and no double click with the click that opened it
            mouseDoubleClickSequence(fileRow("travelling.rgchat"))  // a double click opens the file
            imported.wait(10000)
            compare(imported.signalArguments[0][1], "")
            const newId = imported.signalArguments[0][0]
            verify(newId !== id && newId !== 0)
            compare(app.controller.currentConversationId, newId)  // the imported chat is open
            compare(app.controller.currentTitle, "Travelling chat")
            tryCompare(app.controller.conversations, "count", before + 1)
            verify(app.controller.notice.indexOf("Imported") >= 0, app.controller.notice)
            compare(app.controller.messages.contentAt(0), "Travelling chat")
            verify(!app.controller.importing)

            // Cut short: refused, said so, and nothing changes.
            verify(app.truncateFile(file, 40))
            imported.clear()
            verify(app.controller.importChat(file))
            imported.wait(10000)
            compare(imported.signalArguments[0][0], 0)
            verify(app.controller.notice.indexOf("not a conversation file") >= 0, app.controller.notice)
            compare(chatCount(), before + 1)
            compare(app.controller.currentConversationId, newId)
            app.controller.dismissNotice()
        }
    }
}
