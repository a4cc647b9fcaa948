// ModelFolderDialog.qml — choosing a model folder: it opens at the home folder, with the usual places, a path field
// and the shown folder's subfolders. Open takes exactly what the user chose: the subfolder they clicked in the folder
// shown, or else the folder shown. Qt's own FolderDialog returned the subfolder its list merely highlighted after ↑
// (issue 19, bug 3); here nothing is chosen until clicked, and going to another folder forgets the click.
import QtCore
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Qt.labs.folderlistmodel

Dialog {
    id: dialog

    // The folder shown, and the subfolder clicked in it ("" for none).
    property url currentFolder: dialog.homeFolder
    property url selectedFolder: ""
    readonly property url homeFolder: StandardPaths.writableLocation(StandardPaths.HomeLocation)
    signal folderChosen(url folder)

    // What Open loads.
    function chosenFolder() {
        return String(dialog.selectedFolder).length > 0 ? dialog.selectedFolder : dialog.currentFolder
    }
    function goTo(folder) {
        dialog.currentFolder = folder
        dialog.selectedFolder = ""
    }
    function goUp() {
        if (String(folders.parentFolder).length > 0) goTo(folders.parentFolder)
    }
    // The path typed in the field, as a folder URL.
    function goToPath(path) {
        const trimmed = path.trim()
        if (trimmed.length > 0) goTo(trimmed.startsWith("file:") ? trimmed : "file://" + trimmed)
    }
    function shownPath(folder) {
        return decodeURIComponent(folder.toString().replace(/^file:\/\//, ""))
    }

    objectName: "modelFolderDialog"
    title: qsTr("Choose a RecurrentGemma model folder")
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(640, Overlay.overlay ? Overlay.overlay.width - 40 : 640)
    height: Math.min(520, Overlay.overlay ? Overlay.overlay.height - 40 : 520)
    onAboutToShow: goTo(dialog.homeFolder)

    FolderListModel {
        id: folders
        folder: dialog.currentFolder
        showFiles: false
        showDotAndDotDot: false
        sortCaseSensitive: false
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        RowLayout {
            Layout.fillWidth: true
            spacing: 4
            ToolButton {
                objectName: "folderUpButton"
                text: "↑"
                font.pixelSize: 20
                enabled: String(folders.parentFolder).length > 0
                onClicked: dialog.goUp()
                ToolTip.text: qsTr("Parent folder")
                ToolTip.visible: hovered
            }
            TextField {
                id: pathField
                objectName: "folderPathField"
                Layout.fillWidth: true
                selectByMouse: true
                text: dialog.shownPath(dialog.currentFolder)
                onAccepted: dialog.goToPath(text)
                Connections {
                    target: dialog
                    function onCurrentFolderChanged() { pathField.text = dialog.shownPath(dialog.currentFolder) }
                }
            }
        }

        Flow {
            Layout.fillWidth: true
            spacing: 4
            Repeater {
                model: [
                    { name: qsTr("Home"), location: StandardPaths.HomeLocation },
                    { name: qsTr("Downloads"), location: StandardPaths.DownloadLocation },
                    { name: qsTr("Documents"), location: StandardPaths.DocumentsLocation }
                ]
                delegate: Button {
                    required property var modelData
                    flat: true
                    text: modelData.name
                    onClicked: dialog.goTo(StandardPaths.writableLocation(modelData.location))  // qmllint disable unqualified
                }
            }
        }

        ListView {
            id: list
            objectName: "folderList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: folders
            currentIndex: -1  // nothing highlighted that the user did not click
            ScrollBar.vertical: ScrollBar {}
            delegate: ItemDelegate {
                required property string fileName
                required property url fileUrl
                objectName: "folderEntry_" + fileName
                width: ListView.view.width
                text: "📁  " + fileName
                highlighted: String(dialog.selectedFolder) === String(fileUrl)  // qmllint disable unqualified
                onClicked: dialog.selectedFolder = fileUrl  // qmllint disable unqualified
                onDoubleClicked: dialog.goTo(fileUrl)  // qmllint disable unqualified
            }
            Label {
                anchors.centerIn: parent
                visible: list.count === 0
                opacity: 0.7
                text: qsTr("No subfolders here")
            }
        }

        Label {
            objectName: "folderChoice"
            Layout.fillWidth: true
            elide: Text.ElideMiddle
            opacity: 0.8
            text: qsTr("Opens: %1").arg(dialog.shownPath(dialog.chosenFolder()))
        }
    }

    footer: DialogButtonBox {
        Button {
            objectName: "folderOpenButton"
            text: qsTr("Open")
            highlighted: true
            // qmllint disable
            DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
            // qmllint enable
        }
        Button {
            flat: true
            text: qsTr("Cancel")
            // qmllint disable
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            // qmllint enable
        }
    }
    onAccepted: dialog.folderChosen(dialog.chosenFolder())
}
