// Composer.qml — where the user writes: Enter sends, Shift+Enter starts a new line; Stop while a reply streams.
// What it sends goes out as sendRequested; the text leaves the box only once whoever sends it calls sent(), so a
// message that could not be taken (nothing can be saved) stays to be sent again.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Pane {
    id: composer

    required property bool ready
    required property bool generating
    signal sendRequested(string text)
    signal stopRequested()

    function submit() {
        const text = input.text.trim()
        if (text.length === 0 || composer.generating) return
        composer.sendRequested(text)
        input.forceActiveFocus()
    }
    function sent() { input.clear() }
    function focusInput() { input.forceActiveFocus() }

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
                enabled: composer.ready
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
            text: composer.generating ? qsTr("Stop") : qsTr("Send")
            enabled: composer.generating || (input.text.trim().length > 0 && composer.ready)
            onClicked: composer.generating ? composer.stopRequested() : composer.submit()
        }
    }
}
