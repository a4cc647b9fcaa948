// tst_composer.qml — Composer, wired as ChatView wires it, on the fake engine: Shift+Enter starts a new line,
// Enter sends and clears, an empty message is not sent, and the button turns into Stop while a reply streams.
import QtQuick
import QtTest
import RecurrentChat
import RecurrentChatTest

Item {
    width: 600
    height: 200

    TestApp {
        id: app
    }

    Composer {
        id: composer
        anchors.fill: parent
        ready: app.controller.modelStatus === ChatController.Ready
        generating: app.controller.generating
        onSendRequested: text => {
            if (app.controller.send(text))
                composer.sent()
        }
        onStopRequested: app.controller.stop()
    }

    TestCase {
        name: "Composer"
        when: windowShown
        visible: true

        function findByName(item, name) {
            if (item.objectName === name) return item
            for (let i = 0; i < item.children.length; ++i) {
                const found = findByName(item.children[i], name)
                if (found) return found
            }
            return null
        }

        function init() {
            tryCompare(app.controller, "modelStatus", ChatController.Ready)
            app.stallReplies(false)
        }

        function test_enterSendsShiftEnterBreaksLine() {
            const input = findByName(composer, "composerInput")
            verify(input)
            input.clear()
            input.forceActiveFocus()
            keyClick(Qt.Key_H)
            keyClick(Qt.Key_I)
            keyClick(Qt.Key_Return, Qt.ShiftModifier)
            keyClick(Qt.Key_O)
            compare(input.text, "hi\no")
            const before = app.controller.messages.count
            keyClick(Qt.Key_Return)
            compare(input.text, "")
            tryCompare(app.controller, "generating", false, 5000)  // the fake engine answers at once
            compare(app.controller.messages.count, before + 2)
            compare(app.controller.messages.contentAt(before), "hi\no")
        }

        function test_emptyMessageIsNotSent() {
            const input = findByName(composer, "composerInput")
            input.clear()
            input.forceActiveFocus()
            const before = app.controller.messages.count
            keyClick(Qt.Key_Space)
            keyClick(Qt.Key_Return)
            compare(app.controller.messages.count, before)
            verify(!findByName(composer, "sendButton").enabled)
        }

        function test_buttonStopsTheReply() {
            app.stallReplies(true)
            const input = findByName(composer, "composerInput")
            const button = findByName(composer, "sendButton")
            input.clear()
            input.forceActiveFocus()
            keyClick(Qt.Key_Y)
            compare(button.text, "Send")
            keyClick(Qt.Key_Return)
            verify(app.controller.generating)
            compare(button.text, "Stop")
            verify(button.enabled)
            // Enter does nothing while a reply streams: the text stays.
            keyClick(Qt.Key_Z)
            keyClick(Qt.Key_Return)
            compare(input.text, "z")
            mouseClick(button)
            tryCompare(app.controller, "generating", false, 5000)
            compare(button.text, "Send")
            const last = app.controller.messages.count - 1
            compare(app.controller.messages.contentAt(last), "Once")
        }
    }
}
