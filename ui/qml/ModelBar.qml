// ModelBar.qml — the top bar: which model is loaded (or what is happening instead) with its details, and the
// buttons to open another model and the preferences.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ToolBar {
    id: bar

    required property bool loading
    required property string title
    required property string subtitle
    signal pickModel()
    signal openModels()
    signal openPreferences()

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 8
        anchors.rightMargin: 8
        spacing: 8

        BusyIndicator {
            Layout.preferredHeight: 28
            Layout.preferredWidth: 28
            running: bar.loading
            visible: running
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Label {
                objectName: "modelTitle"
                Layout.fillWidth: true
                elide: Text.ElideRight
                font.bold: true
                text: bar.title
            }
            Label {
                Layout.fillWidth: true
                elide: Text.ElideRight
                opacity: 0.75
                font.pointSize: Math.max(7, bar.font.pointSize - 2)
                text: bar.subtitle
            }
        }
        ToolButton {
            objectName: "modelsButton"
            text: qsTr("Models")
            onClicked: bar.openModels()
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
