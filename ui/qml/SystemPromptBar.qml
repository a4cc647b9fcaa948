// SystemPromptBar.qml — the per-conversation system prompt (prepended to the first user turn: Gemma has no
// system role), folded away until the user opens it.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import RecurrentChat

ColumnLayout {
    id: bar

    required property ChatController controller
    property bool expanded: false

    spacing: 0

    ToolButton {
        Layout.fillWidth: true
        text: (bar.expanded ? "▾ " : "▸ ") + (bar.controller.currentSystemPrompt.length > 0
              ? qsTr("System prompt: %1").arg(bar.controller.currentSystemPrompt)
              : qsTr("System prompt (none)"))
        contentItem: Label {
            text: parent.text
            elide: Text.ElideRight
            opacity: 0.8
        }
        onClicked: bar.expanded = !bar.expanded
    }
    TextArea {
        id: promptEdit
        Layout.fillWidth: true
        Layout.leftMargin: 8
        Layout.rightMargin: 8
        visible: bar.expanded
        wrapMode: TextEdit.Wrap
        placeholderText: qsTr("Instructions for this chat, applied to its first message.")
        text: bar.controller.currentSystemPrompt
        onEditingFinished: bar.controller.setSystemPrompt(text)
    }
}
