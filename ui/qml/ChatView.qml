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

    // Puts the keyboard focus in the message box (after New chat, after a chat was picked in the list).
    function focusComposer() { composer.focusInput() }

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
            // Follows the end (a sent message, the streaming reply) while the user is at the end; once the user
            // scrolls away (wheel, drag, scroll bar, keys) the position is theirs until they come back to the end or
            // send a message.
            property bool pinnedToEnd: true
            property bool following: false
            function follow() {
                if (!pinnedToEnd || count === 0) return
                following = true
                positionViewAtEnd()
                following = false
            }
            function pinToEnd() {
                pinnedToEnd = true
                follow()
            }
            onContentYChanged: if (!following) pinnedToEnd = atYEnd || contentHeight <= height
            onContentHeightChanged: follow()
            onHeightChanged: follow()
            onCountChanged: follow()
            Connections {
                target: view.controller
                function onCurrentConversationChanged() { messageList.pinToEnd() }
            }

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
                if (view.controller.send(text)) {  // refused (nothing can be saved): the text stays to send again
                    composer.sent()
                    messageList.pinToEnd()
                }
            }
            onStopRequested: view.controller.stop()
        }
    }
}
