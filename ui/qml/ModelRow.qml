// ModelRow.qml — one model on the Models page: its name, size, dtype and state size, what is happening to it (a
// download's progress, rate and time left, a copy being made, an error), and the buttons that fit its status. What
// the user asks for goes out as signals; the list model decides.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import RecurrentChat

ItemDelegate {
    id: row

    required property int index
    required property string name
    required property string repo
    required property string folder
    required property string source
    required property int status
    required property string details
    required property real progress
    required property string progressText
    required property string message
    required property real quantizeProgress
    required property bool canDelete
    required property bool inUse
    required property var quantizeFormats  // [{id, label, hint}] from the model list

    signal downloadRequested()
    signal pauseRequested()
    signal cancelRequested()
    signal useRequested()
    signal quantizeRequested(string formatId)
    signal deleteRequested()

    readonly property bool downloading: status === ModelListModel.Downloading
    readonly property bool paused: status === ModelListModel.Paused
    readonly property bool ready: status === ModelListModel.Ready

    objectName: "modelRow_" + name
    hoverEnabled: false

    contentItem: ColumnLayout {
        spacing: 4
        RowLayout {
            Layout.fillWidth: true
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0
                Label {
                    Layout.fillWidth: true
                    elide: Text.ElideRight
                    font.bold: true
                    text: row.inUse ? qsTr("%1 (in use)").arg(row.name) : row.name
                }
                Label {
                    Layout.fillWidth: true
                    elide: Text.ElideMiddle
                    opacity: 0.75
                    text: row.details + (row.source === "catalog" || row.source === "cache" ? "" : " · " + row.folder)
                }
            }
            Button {
                objectName: "downloadButton"
                visible: row.status === ModelListModel.NotDownloaded || row.status === ModelListModel.Failed
                text: row.status === ModelListModel.Failed ? qsTr("Retry") : qsTr("Download")
                onClicked: row.downloadRequested()
            }
            Button {
                objectName: "pauseButton"
                visible: row.downloading || row.paused
                text: row.paused ? qsTr("Resume") : qsTr("Pause")
                onClicked: row.paused ? row.downloadRequested() : row.pauseRequested()
            }
            Button {
                objectName: "cancelButton"
                visible: row.downloading || row.paused || row.status === ModelListModel.Failed
                text: qsTr("Cancel")
                onClicked: row.cancelRequested()
            }
            // qmllint disable unqualified
            Repeater {
                model: row.ready && row.quantizeProgress < 0 && row.source !== "copy" ? row.quantizeFormats : []
                delegate: Button {
                    required property var modelData
                    objectName: "quantizeButton_" + modelData.id
                    flat: true
                    text: modelData.label
                    ToolTip.visible: hovered && modelData.hint !== ""
                    ToolTip.text: modelData.hint
                    Accessible.description: modelData.hint
                    onClicked: row.quantizeRequested(modelData.id)
                }
            }
            // qmllint enable unqualified
            Button {
                objectName: "deleteButton"
                visible: row.canDelete
                flat: true
                text: qsTr("Delete")
                onClicked: row.deleteRequested()
            }
            Button {
                objectName: "useButton"
                visible: row.ready
                enabled: !row.inUse
                highlighted: true
                text: qsTr("Use this model")
                onClicked: row.useRequested()
            }
        }
        ProgressBar {
            objectName: "downloadProgress"
            Layout.fillWidth: true
            visible: row.progress >= 0
            value: Math.max(0, row.progress)
        }
        Label {
            objectName: "progressText"
            Layout.fillWidth: true
            visible: text.length > 0
            opacity: 0.75
            text: row.progressText
        }
        RowLayout {
            Layout.fillWidth: true
            visible: row.quantizeProgress >= 0
            Label { text: qsTr("Making a copy…") }
            ProgressBar {
                objectName: "quantizeProgress"
                Layout.fillWidth: true
                value: Math.max(0, row.quantizeProgress)
            }
        }
        Label {
            objectName: "messageText"
            Layout.fillWidth: true
            visible: text.length > 0
            wrapMode: Text.Wrap
            color: row.status === ModelListModel.Downloading || row.status === ModelListModel.Paused
                   ? Theme.warning : Theme.error
            text: row.message
        }
    }
}
