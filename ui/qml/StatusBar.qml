// StatusBar.qml — generation speed, the conversation's length, and the fixed state size (in memory, on disk).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import RecurrentChat

ToolBar {
    id: status

    required property ChatController controller

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 8
        anchors.rightMargin: 8
        spacing: 16

        Label {
            visible: status.controller.generating
            text: qsTr("Generating… %1 tokens/s").arg(status.controller.tokensPerSecond.toFixed(1))
        }
        Label {
            visible: status.controller.notice.length > 0
            Layout.fillWidth: true
            elide: Text.ElideRight
            text: status.controller.notice
            color: "#c77700"
        }
        Item { Layout.fillWidth: status.controller.notice.length === 0 }
        Label {
            visible: status.controller.currentConversationId !== 0
            text: qsTr("%n token(s) in this conversation", "", status.controller.conversationTokens)
        }
        Label {
            visible: status.controller.modelStatus === ChatController.Ready
            text: qsTr("State: %1 in memory, %2 on disk — fixed, however long the chat")
                  .arg(status.controller.formatBytes(status.controller.stateBytesInMemory))
                  .arg(status.controller.formatBytes(status.controller.stateBytesOnDisk))
        }
    }
}
