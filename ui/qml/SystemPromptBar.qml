// SystemPromptBar.qml — the per-conversation system prompt (prepended to the first user turn: Gemma has no
// system role), folded away until the user opens it.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ColumnLayout {
    id: bar

    required property string prompt
    property bool expanded: false
    signal edited(string text)

    spacing: 0

    ToolButton {
        id: toggle
        objectName: "systemPromptToggle"
        Layout.fillWidth: true
        text: (bar.expanded ? "▾ " : "▸ ") + (bar.prompt.length > 0 ? qsTr("System prompt: %1").arg(bar.prompt)
                                                                    : qsTr("System prompt (none)"))
        contentItem: Label {
            text: toggle.text
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
        text: bar.prompt
        onEditingFinished: bar.edited(text)
    }
}
