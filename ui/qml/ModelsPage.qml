// ModelsPage.qml — the Models page: the RecurrentGemma checkpoints to download, the models already on this computer
// (the Hugging Face cache, folders opened before, the copies the app made) and what can be done with each. Closing it
// leaves downloads and copies running.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import RecurrentChat

Dialog {
    id: page

    required property ChatController controller
    readonly property ModelListModel models: controller.models
    signal openFolderRequested()

    objectName: "modelsPage"
    title: qsTr("Models")
    modal: true
    standardButtons: Dialog.Close
    width: parent ? parent.width - 40 : 800
    height: parent ? parent.height - 40 : 600

    onOpened: models.refresh()

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            opacity: 0.75
            text: qsTr("Google's RecurrentGemma models are gated: accept the licence on the model's Hugging Face page and enter an access token in the Preferences. Downloads go to the Hugging Face cache, shared with other tools, and go on while you chat.")
        }
        ListView {
            id: list
            objectName: "modelList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: page.models
            ScrollBar.vertical: ScrollBar {}
            // The delegate reads this file's ids, which the linter of Qt 6.4 (before ComponentBehavior: Bound) takes
            // for unqualified access.
            // qmllint disable unqualified
            delegate: ModelRow {
                width: ListView.view.width
                quantizeFormats: page.models.quantizeFormats
                onDownloadRequested: page.models.download(index)
                onPauseRequested: page.models.pause(index)
                onCancelRequested: page.models.cancel(index)
                onQuantizeRequested: formatId => page.models.quantize(index, formatId)
                onDeleteRequested: page.models.remove(index)
                onUseRequested: {
                    page.controller.loadModel(folder)
                    page.close()
                }
            }
            // qmllint enable unqualified
        }
        RowLayout {
            Layout.fillWidth: true
            BusyIndicator {
                Layout.preferredHeight: 24
                Layout.preferredWidth: 24
                running: page.models.scanning
                visible: running
            }
            Item { Layout.fillWidth: true }
            Button {
                text: qsTr("Open a folder…")
                onClicked: {
                    page.close()
                    page.openFolderRequested()
                }
            }
        }
    }
}
