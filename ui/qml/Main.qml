// Main.qml — the main window. Until the chat view lands it says which model is loaded, or how to choose one.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ApplicationWindow {
    id: window

    property string modelPath: ""

    width: 960
    height: 680
    visible: true
    title: qsTr("Recurrent Chat")

    ColumnLayout {
        anchors.centerIn: parent
        spacing: 12

        Label {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Recurrent Chat")
            font.pixelSize: 28
        }
        Label {
            Layout.alignment: Qt.AlignHCenter
            text: window.modelPath.length > 0
                  ? qsTr("Model: %1").arg(window.modelPath)
                  : qsTr("No model loaded. Start with --model DIR, a Hugging Face RecurrentGemma folder.")
            wrapMode: Text.Wrap
        }
    }
}
