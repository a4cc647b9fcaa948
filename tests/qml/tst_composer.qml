// tst_composer.qml — Composer: Shift+Enter starts a new line, Enter sends and clears, the button turns into Stop.
import QtQuick
import QtTest
import RecurrentChat
import RecurrentChatTest

Item {
    width: 600
    height: 200

    Composer {
        id: composer
        anchors.fill: parent
        controller: TestApp
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

        function test_enterSendsShiftEnterBreaksLine() {
            compare(TestApp.modelStatus, ChatController.Ready)
            const input = findByName(composer, "composerInput")
            verify(input)
            input.clear()
            input.forceActiveFocus()
            keyClick(Qt.Key_H)
            keyClick(Qt.Key_I)
            keyClick(Qt.Key_Return, Qt.ShiftModifier)
            keyClick(Qt.Key_O)
            compare(input.text, "hi\no")
            const before = TestApp.messages.count
            keyClick(Qt.Key_Return)
            compare(input.text, "")
            tryCompare(TestApp, "generating", false, 180000)  // a bound on a hang: under TSan replies are slow
            compare(TestApp.messages.count, before + 2)
            compare(TestApp.messages.contentAt(before), "hi\no")
        }

        function test_emptyMessageIsNotSent() {
            const input = findByName(composer, "composerInput")
            input.clear()
            input.forceActiveFocus()
            const before = TestApp.messages.count
            keyClick(Qt.Key_Space)
            keyClick(Qt.Key_Return)
            compare(TestApp.messages.count, before)
            verify(!findByName(composer, "sendButton").enabled)
        }
    }
}
