// tst_chat_view.qml — ChatView end to end on the real engine (a golden model on its own thread): Enter sends, the
// reply streams in and is stored, Regenerate adds an alternative and the arrows switch between the two.
import QtQuick
import QtTest
import RecurrentChat
import RecurrentChatTest

Item {
    width: 700
    height: 600

    RealEngineTestApp {
        id: app
    }

    ChatView {
        id: view
        anchors.fill: parent
        controller: app.controller
    }

    TestCase {
        name: "ChatViewOnTheRealEngine"
        when: windowShown
        visible: true

        // A bound on a hang, not a wait: under ThreadSanitizer a reply of the golden model can take tens of seconds.
        readonly property int replyWaitMs: 180000

        function find(item, predicate) {
            if (predicate(item)) return item
            for (let i = 0; i < item.children.length; ++i) {
                const found = find(item.children[i], predicate)
                if (found) return found
            }
            return null
        }
        function byName(name) { return find(view, item => item.objectName === name) }
        function button(text) {
            return find(view, item => item.text === text && item.clicked !== undefined && item.visible)
        }

        function test_sendRegenerateAndSwitch() {
            tryCompare(app.controller, "modelStatus", ChatController.Ready, replyWaitMs)
            const input = byName("composerInput")
            input.forceActiveFocus()
            keyClick(Qt.Key_H)
            keyClick(Qt.Key_I)
            keyClick(Qt.Key_Return)
            compare(input.text, "")
            tryCompare(app.controller, "generating", false, replyWaitMs)
            const messages = app.controller.messages
            compare(messages.count, 2)
            compare(messages.contentAt(0), "hi")
            verify(messages.contentAt(1).length > 0)
            verify(messages.messageIdAt(1) > 0)
            const first = messages.contentAt(1)

            tryVerify(() => button("Regenerate") !== null)
            mouseClick(button("Regenerate"))
            tryCompare(app.controller, "generating", false, replyWaitMs)
            compare(messages.count, 2)
            tryVerify(() => find(view, item => item.text === "2/2" && item.visible) !== null)
            mouseClick(button("‹"))
            tryVerify(() => find(view, item => item.text === "1/2" && item.visible) !== null)
            compare(messages.contentAt(1), first)
        }
    }
}
