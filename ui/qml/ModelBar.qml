// ModelBar.qml — the top bar: which model is loaded (name, size, dtype, state size), load and preferences.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import RecurrentChat

ToolBar {
    id: bar

    required property ChatController controller
    signal pickModel()
    signal openPreferences()

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 8
        anchors.rightMargin: 8
        spacing: 8

        BusyIndicator {
            Layout.preferredHeight: 28
            Layout.preferredWidth: 28
            running: bar.controller.modelStatus === ChatController.Loading
            visible: running
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Label {
                Layout.fillWidth: true
                elide: Text.ElideRight
                font.bold: true
                text: {
                    switch (bar.controller.modelStatus) {
                    case ChatController.Ready: return bar.controller.demoModel ? qsTr("Demo model")
                                                                              : bar.controller.modelName
                    case ChatController.Loading: return qsTr("Loading model…")
                    case ChatController.Failed: return qsTr("The model could not be loaded")
                    default: return qsTr("No model loaded")
                    }
                }
            }
            Label {
                Layout.fillWidth: true
                elide: Text.ElideRight
                opacity: 0.75
                font.pointSize: Math.max(7, bar.font.pointSize - 2)
                text: bar.controller.modelStatus === ChatController.Failed ? bar.controller.modelError
                    : bar.controller.modelStatus === ChatController.Ready && bar.controller.demoModel
                    ? qsTr("A tiny demo model trained by this project: it adds two numbers, defines words (often wrongly) and tells fortunes. For real answers, download RecurrentGemma from Hugging Face and use Open model.")
                    : bar.controller.modelStatus === ChatController.Ready ? bar.controller.modelDetails
                    : qsTr("Choose a Hugging Face RecurrentGemma folder (config.json, *.safetensors, tokenizer.model).")
            }
        }
        ToolButton {
            text: qsTr("Open model…")
            onClicked: bar.pickModel()
        }
        ToolButton {
            text: qsTr("Preferences")
            onClicked: bar.openPreferences()
        }
    }
}
