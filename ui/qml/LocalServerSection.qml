// LocalServerSection.qml — Preferences → "Local API server": on/off, port, address and API key (written straight to
// Preferences), and what the server is doing: its URL, why it is not listening, the warning for an open address
// without a key, and the last requests it answered.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import RecurrentChat

ColumnLayout {
    id: section

    required property Preferences prefs
    property LocalServer server: null
    // What the server says, or nothing while the section has none.
    readonly property bool listening: server !== null && server.listening
    readonly property string url: server ? server.url : ""
    readonly property string error: server ? server.error : ""
    readonly property string warning: server ? server.warning : ""
    readonly property var recentRequests: server ? server.recentRequests : []

    Label { text: qsTr("Local API server"); font.bold: true }
    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        text: qsTr("Serves the loaded model to other programs over the OpenAI API (chat and text completions), from the same queue as this window's replies.")
    }
    CheckBox {
        objectName: "serverEnabledBox"
        text: qsTr("Serve the loaded model")
        checked: section.prefs.serverEnabled
        onToggled: section.prefs.serverEnabled = checked
    }
    GridLayout {
        columns: 2
        columnSpacing: 12
        Label { text: qsTr("Port") }
        SettingSpinBox {
            objectName: "serverPortSpin"
            prefs: section.prefs
            setting: "serverPort"
            textFromValue: (v, locale) => String(v)  // no digit grouping in a port
            valueFromText: (text, locale) => parseInt(text, 10)
        }
        Label { text: qsTr("Address") }
        ComboBox {
            objectName: "serverAddressBox"
            editable: true
            model: ["127.0.0.1", "0.0.0.0", "::1"]
            Component.onCompleted: editText = section.prefs.serverAddress
            onAccepted: section.prefs.serverAddress = editText
            onActivated: section.prefs.serverAddress = currentText
            ToolTip.text: qsTr("127.0.0.1: this computer only. 0.0.0.0: every network this computer is on.")
            ToolTip.visible: hovered
        }
        Label { text: qsTr("API key") }
        TextField {
            objectName: "serverKeyField"
            Layout.fillWidth: true
            placeholderText: qsTr("none")
            text: section.prefs.serverApiKey
            echoMode: TextInput.PasswordEchoOnEdit
            onEditingFinished: section.prefs.serverApiKey = text
        }
    }
    Label {
        objectName: "serverStatusLabel"
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        textFormat: Text.PlainText
        text: section.listening ? qsTr("On: %1").arg(section.url)
                                       : section.prefs.serverEnabled ? qsTr("Not listening") : qsTr("Off")
    }
    Label {
        objectName: "serverErrorLabel"
        Layout.fillWidth: true
        visible: text.length > 0
        wrapMode: Text.Wrap
        color: Theme.error
        text: section.error
    }
    Label {
        Layout.fillWidth: true
        visible: text.length > 0
        wrapMode: Text.Wrap
        color: Theme.warning
        text: section.warning
    }
    Label {
        visible: section.recentRequests.length > 0
        text: qsTr("Recent requests")
        font.italic: true
    }
    Repeater {
        objectName: "serverLog"
        model: section.recentRequests
        delegate: Label {
            required property var modelData
            Layout.fillWidth: true
            elide: Text.ElideRight
            textFormat: Text.PlainText
            font.family: "monospace"
            text: [modelData.time, modelData.request, modelData.status, modelData.tokens, modelData.note]
                  .filter(part => String(part).length > 0).join("  ")
        }
    }
}
