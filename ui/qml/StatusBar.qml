// StatusBar.qml — generation speed, notices, the conversation's length, and the fixed state size (in memory, on
// disk).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import RecurrentChat

ToolBar {
    id: status

    required property bool generating
    required property real tokensPerSecond
    required property string notice
    required property bool conversationShown
    required property int conversationTokens
    required property bool modelReady
    required property real stateBytesInMemory
    required property real stateBytesOnDisk

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 8
        anchors.rightMargin: 8
        spacing: 16

        Label {
            visible: status.generating
            text: qsTr("Generating… %1 tokens/s").arg(status.tokensPerSecond.toFixed(1))
        }
        Label {
            visible: status.notice.length > 0
            Layout.fillWidth: true
            elide: Text.ElideRight
            text: status.notice
            color: Theme.warning
        }
        Item { Layout.fillWidth: status.notice.length === 0 }
        Label {
            visible: status.conversationShown
            text: qsTr("%n token(s) in this conversation", "", status.conversationTokens)
        }
        Label {
            visible: status.modelReady
            text: qsTr("State: %1 in memory, %2 on disk — fixed, however long the chat")
                  .arg(Qt.locale().formattedDataSize(status.stateBytesInMemory))
                  .arg(Qt.locale().formattedDataSize(status.stateBytesOnDisk))
        }
    }
}
