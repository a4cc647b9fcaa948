// ChatFileDialogs.qml — the file dialogs that take a chat out of the app and bring one in. Export offers a file
// named after the chat's title in the folder last used, and replaces an existing file only when the user says so;
// Import takes a .rgchat file, which the controller reads on a worker thread and then opens. What came of either is
// the controller's notice.
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import RecurrentChat

Item {
    id: dialogs

    required property ChatController controller
    // For tests: the dialogs themselves.
    readonly property alias exportDialog: exportDialog
    readonly property alias importDialog: importDialog
    readonly property alias replaceDialog: replaceDialog

    // `format`: "rgchat", "md" or "json".
    function exportChat(conversationId, title, format) {
        exportDialog.conversationId = conversationId
        exportDialog.chatTitle = title
        exportDialog.format = format
        exportDialog.currentFolder = controller.transferFolderUrl()
        exportDialog.selectedFile = controller.exportFileUrl(conversationId, format)
        exportDialog.open()
    }
    function importChat() {
        importDialog.currentFolder = controller.transferFolderUrl()
        importDialog.open()
    }
    function writeExport(file) {
        dialogs.controller.exportChat(exportDialog.conversationId, file, exportDialog.format)
    }

    FileDialog {
        id: exportDialog
        property var conversationId: 0
        property string chatTitle
        property string format: "rgchat"

        objectName: "exportDialog"
        // Qt 6.4 finds no window for a dialog whose item enters one after it is made (a Loader, a test's view).
        parentWindow: dialogs.Window.window
        fileMode: FileDialog.SaveFile
        acceptLabel: qsTr("Export")  // Qt 6.4's own dialog says "Open" here
        title: qsTr("Export “%1”").arg(chatTitle.length > 0 ? chatTitle : qsTr("New chat"))
        nameFilters: format === "md" ? [qsTr("Markdown (*.md)")]
                   : format === "json" ? [qsTr("JSON (*.json)")]
                   : [qsTr("Recurrent Chat files (*.rgchat)")]
        defaultSuffix: format
        onAccepted: {
            if (dialogs.controller.exportWouldReplace(selectedFile, format)) replaceDialog.openFor(selectedFile)
            else dialogs.writeExport(selectedFile)
        }
    }

    Dialog {
        id: replaceDialog
        property url file

        function openFor(file) {
            replaceDialog.file = file
            open()
        }

        // Sized from the window, not from the text: a wrapped text whose width follows the dialog's makes binding
        // loops on the dialog's implicit size in Qt 6.4.
        readonly property real textWidth: Math.min(400, (Overlay.overlay ? Overlay.overlay.width : 480) - 88)

        objectName: "replaceDialog"
        anchors.centerIn: Overlay.overlay
        width: textWidth + leftPadding + rightPadding
        modal: true
        title: qsTr("Replace the file?")
        standardButtons: Dialog.Ok | Dialog.Cancel
        onAboutToShow: standardButton(Dialog.Ok).text = qsTr("Replace")
        onAccepted: dialogs.writeExport(file)
        Label {
            width: replaceDialog.textWidth
            wrapMode: Text.Wrap
            text: qsTr("%1 already exists. Replacing it overwrites what it holds.")
                      .arg(dialogs.controller.exportPath(replaceDialog.file, exportDialog.format))
        }
    }

    FileDialog {
        id: importDialog
        objectName: "importDialog"
        parentWindow: dialogs.Window.window
        fileMode: FileDialog.OpenFile
        acceptLabel: qsTr("Import")
        title: qsTr("Import a chat")
        nameFilters: [qsTr("Recurrent Chat files (*.rgchat)"), qsTr("All files (*)")]
        onAccepted: dialogs.controller.importChat(selectedFile)
    }
}
