// ChatView.qml — one conversation: its system prompt, the messages of the shown branch, and the composer; it
// turns what they ask for into the controller's actions.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import RecurrentChat

Pane {
    id: view

    required property ChatController controller

    padding: 0

    MessageTools {
        id: messageTools
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        SystemPromptBar {
            Layout.fillWidth: true
            prompt: view.controller.currentSystemPrompt
            onEdited: text => view.controller.setSystemPrompt(text)
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

            // The delegate reads this file's ids, which the linter of Qt 6.4 (before ComponentBehavior: Bound) takes
            // for unqualified access.
            // qmllint disable unqualified
            delegate: MessageDelegate {
                required property int index
                width: ListView.view.width
                tools: messageTools
                busy: view.controller.generating
                isLast: index === ListView.view.count - 1
                onAlternativeRequested: (messageId, delta) => view.controller.switchAlternative(messageId, delta)
                onEditRequested: (messageId, text) => view.controller.editMessage(messageId, text)
                onRegenerateRequested: view.controller.regenerate()
            }
            // qmllint enable unqualified

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
            id: composer
            Layout.fillWidth: true
            ready: view.controller.modelStatus === ChatController.Ready
            generating: view.controller.generating
            onSendRequested: text => {
                if (view.controller.send(text))  // refused (nothing can be saved): the text stays to send again
                    composer.sent()
            }
            onStopRequested: view.controller.stop()
        }
    }
}
