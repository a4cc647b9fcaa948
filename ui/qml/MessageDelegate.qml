// MessageDelegate.qml — one message: the model's text as Markdown, the user's as typed (line breaks kept), both
// selectable and copyable, in the theme's colours; and its actions: copy, copy code,
// edit (user messages), regenerate (the last reply), and arrows between alternatives of a branched message. The
// actions that change the conversation go out as signals naming the message by id (rows shift while a reply
// streams).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import RecurrentChat

Pane {
    id: bubble

    required property MessageTools tools
    required property var messageId
    required property string role
    required property string content
    required property int siblingIndex
    required property int siblingCount
    required property bool streaming
    required property string stopReason  // model messages: "end", "length", "stopped", "error"
    required property int tokenCount
    property bool isLast: false
    // While a reply streams nothing else may start or switch.
    property bool busy: false
    property bool editing: false

    signal alternativeRequested(var messageId, int delta)
    signal editRequested(var messageId, string text)
    signal regenerateRequested()

    readonly property bool fromUser: role === "user"
    // How a finished reply ended, and its length: "Stopped · 42 tokens".
    readonly property string details: {
        if (fromUser || streaming || !messageId) return ""
        const reasons = { "end": qsTr("Complete"), "length": qsTr("Length limit reached"), "stopped": qsTr("Stopped"),
                          "error": qsTr("Failed") }
        const reason = reasons[stopReason] || ""
        const tokens = tokenCount > 0 ? qsTr("%n token(s)", "", tokenCount) : ""
        return [reason, tokens].filter(part => part.length > 0).join(" · ")
    }

    function submitEdit() {
        if (editor.text.trim().length === 0) return
        bubble.editing = false
        bubble.editRequested(bubble.messageId, editor.text)
    }

    padding: 10
    background: Rectangle {
        radius: 6
        color: bubble.fromUser ? Theme.userBubble : "transparent"
    }

    ColumnLayout {
        width: bubble.availableWidth
        spacing: 4

        RowLayout {
            Layout.fillWidth: true
            Label {
                text: bubble.fromUser ? qsTr("You") : qsTr("Model")
                font.bold: true
            }
            BusyIndicator {
                Layout.preferredHeight: 18
                Layout.preferredWidth: 18
                running: bubble.streaming
                visible: running
            }
            // A finished reply without an id: the database refused it; it is written again until it is taken.
            Label {
                objectName: "notSavedLabel"
                visible: !bubble.streaming && !bubble.messageId
                text: qsTr("Not saved yet")
                color: Theme.error
            }
            Item { Layout.fillWidth: true }
            // ‹ 2/3 › between the alternatives made by regenerate and edit.
            ToolButton {
                visible: bubble.siblingCount > 1
                enabled: bubble.siblingIndex > 0 && !bubble.busy
                text: "‹"
                onClicked: bubble.alternativeRequested(bubble.messageId, -1)
                ToolTip.text: qsTr("Previous alternative")
                ToolTip.visible: hovered
            }
            Label {
                visible: bubble.siblingCount > 1
                text: qsTr("%1/%2").arg(bubble.siblingIndex + 1).arg(bubble.siblingCount)
            }
            ToolButton {
                visible: bubble.siblingCount > 1
                enabled: bubble.siblingIndex < bubble.siblingCount - 1 && !bubble.busy
                text: "›"
                onClicked: bubble.alternativeRequested(bubble.messageId, 1)
                ToolTip.text: qsTr("Next alternative")
                ToolTip.visible: hovered
            }
        }

        TextEdit {
            id: body
            Layout.fillWidth: true
            visible: !bubble.editing
            readOnly: true
            selectByMouse: true
            wrapMode: TextEdit.Wrap
            objectName: "messageBody"
            // The user's text as typed; the model's as Markdown, but plain text (never HTML) for a message too long
            // for Qt's Markdown importer to render quickly.
            textFormat: !bubble.fromUser && bubble.tools.rendersAsMarkdown(bubble.content) ? TextEdit.MarkdownText
                                                                                          : TextEdit.PlainText
            color: Theme.text
            selectionColor: Theme.selection
            selectedTextColor: Theme.selectedText
            font: bubble.font
            text: textFormat === TextEdit.MarkdownText ? bubble.tools.renderableMarkdown(bubble.content)
                                                       : bubble.content
            onLinkActivated: link => bubble.tools.openLink(link)
            // Code blocks on their own background, their long lines wrapped.
            property bool styling: false
            function styleCode() {
                if (textFormat !== TextEdit.MarkdownText || styling) return
                styling = true
                bubble.tools.styleCodeBlocks(textDocument, Theme.codeBackground)
                styling = false
            }
            onTextChanged: styleCode()
            Component.onCompleted: styleCode()
            Connections {
                target: Theme
                function onDarkChanged() { body.styleCode() }
            }
        }

        // Like the composer: Enter sends the edited message, Shift+Enter starts a new line; Esc cancels.
        TextArea {
            id: editor
            objectName: "messageEditor"
            Layout.fillWidth: true
            visible: bubble.editing
            wrapMode: TextEdit.Wrap
            selectByMouse: true
            Keys.onPressed: event => {
                if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                        && !(event.modifiers & Qt.ShiftModifier)) {
                    event.accepted = true
                    bubble.submitEdit()
                } else if (event.key === Qt.Key_Escape) {
                    event.accepted = true
                    bubble.editing = false
                }
            }
        }

        RowLayout {
            visible: !bubble.streaming
            spacing: 0
            ToolButton {
                id: copyButton
                objectName: "copyButton"
                property bool copied: false
                visible: !bubble.editing
                text: copied ? qsTr("Copied") : qsTr("Copy")
                onClicked: {
                    bubble.tools.copyText(bubble.content)
                    copied = true
                    copiedTimer.restart()
                }
                Timer {
                    id: copiedTimer
                    interval: 1500
                    onTriggered: copyButton.copied = false
                }
            }
            ToolButton {
                visible: !bubble.editing && !bubble.fromUser && bubble.content.indexOf("```") >= 0
                text: qsTr("Copy code")
                onClicked: bubble.tools.copyCode(bubble.content)
            }
            ToolButton {
                objectName: "editButton"
                visible: bubble.fromUser && !bubble.editing
                enabled: !bubble.busy
                text: qsTr("Edit")
                onClicked: {
                    editor.text = bubble.content
                    editor.cursorPosition = editor.length
                    bubble.editing = true
                    editor.forceActiveFocus()
                }
            }
            ToolButton {
                visible: bubble.editing
                text: qsTr("Send edited")
                onClicked: bubble.submitEdit()
            }
            ToolButton {
                visible: bubble.editing
                text: qsTr("Cancel")
                onClicked: bubble.editing = false
            }
            Label {
                objectName: "replyDetails"
                visible: bubble.details.length > 0 && !bubble.editing
                text: bubble.details
                color: Theme.secondaryText
                leftPadding: 8
                rightPadding: 8
                font.pointSize: Math.max(7, bubble.font.pointSize - 1)
            }
            ToolButton {
                visible: bubble.isLast && !bubble.editing
                enabled: !bubble.busy
                text: bubble.fromUser ? qsTr("Reply") : qsTr("Regenerate")
                onClicked: bubble.regenerateRequested()
            }
        }
    }
}
