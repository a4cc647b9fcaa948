// ChatView.qml — one conversation: its system prompt, the messages of the shown branch, and the composer.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import RecurrentChat

Pane {
    id: view

    required property ChatController controller

    padding: 0

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        SystemPromptBar {
            Layout.fillWidth: true
            controller: view.controller
        }

        ListView {
            id: messageList
            objectName: "messageList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 4
            model: view.controller.messages
            ScrollBar.vertical: ScrollBar {}
            // Follow the streaming reply only while the user is at the bottom.
            property bool pinnedToEnd: true
            onMovementEnded: pinnedToEnd = atYEnd
            onContentHeightChanged: if (pinnedToEnd) positionViewAtEnd()
            onCountChanged: if (pinnedToEnd) positionViewAtEnd()

            delegate: MessageDelegate {
                width: ListView.view.width
                controller: view.controller
                isLast: index === ListView.view.count - 1
            }

            Label {
                anchors.centerIn: parent
                width: parent.width * 0.7
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                visible: messageList.count === 0
                opacity: 0.6
                text: view.controller.modelStatus === ChatController.Ready
                      ? qsTr("Say something. This conversation keeps its model state on disk, so it resumes instantly however long it gets.")
                      : qsTr("Open a RecurrentGemma model folder to start chatting.")
            }
        }

        Composer {
            Layout.fillWidth: true
            controller: view.controller
        }
    }
}
