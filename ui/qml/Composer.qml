// Composer.qml — where the user writes: Enter sends, Shift+Enter starts a new line; Stop while generating.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import RecurrentChat

Pane {
    id: composer

    required property ChatController controller

    function submit() {
        const text = input.text.trim()
        if (text.length === 0 || composer.controller.generating) return
        if (composer.controller.send(text))  // refused (nothing can be saved): the text stays to send again
            input.clear()
        input.forceActiveFocus()
    }

    RowLayout {
        anchors.fill: parent
        spacing: 8

        ScrollView {
            Layout.fillWidth: true
            Layout.maximumHeight: 200
            TextArea {
                id: input
                objectName: "composerInput"
                wrapMode: TextEdit.Wrap
                selectByMouse: true
                focus: true
                Component.onCompleted: forceActiveFocus()
                enabled: composer.controller.modelStatus === ChatController.Ready
                placeholderText: qsTr("Message (Enter to send, Shift+Enter for a new line)")
                Keys.onPressed: event => {
                    if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                            && !(event.modifiers & Qt.ShiftModifier)) {
                        event.accepted = true
                        composer.submit()
                    }
                }
            }
        }
        Button {
            objectName: "sendButton"
            text: composer.controller.generating ? qsTr("Stop") : qsTr("Send")
            enabled: composer.controller.generating
                     || (input.text.trim().length > 0 && composer.controller.modelStatus === ChatController.Ready)
            onClicked: composer.controller.generating ? composer.controller.stop() : composer.submit()
        }
    }
}
