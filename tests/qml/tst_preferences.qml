// tst_preferences.qml — PreferencesDialog writes straight to the preferences, and sampling defaults come back.
import QtQuick
import QtTest
import RecurrentChat
import RecurrentChatTest

Item {
    width: 700
    height: 700

    PreferencesDialog {
        id: dialog
        prefs: TestApp.preferences
    }

    TestCase {
        name: "PreferencesDialog"
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

        function test_temperatureSpinWritesPreference() {
            dialog.open()
            tryCompare(dialog, "opened", true)
            const spin = findByName(dialog.contentItem, "temperatureSpin")
            verify(spin)
            const before = TestApp.preferences.temperature
            spin.increase()
            spin.valueModified()
            verify(Math.abs(TestApp.preferences.temperature - (before + 0.05)) < 1e-6)
            TestApp.preferences.resetSampling()
            verify(Math.abs(TestApp.preferences.temperature - before) < 1e-6)
            dialog.close()
        }

        function test_fastPrefillBoxWritesPreference() {
            dialog.open()
            tryCompare(dialog, "opened", true)
            const box = findByName(dialog.contentItem, "fastPrefillBox")
            verify(box)
            verify(TestApp.preferences.fastPrefill)  // on by default
            verify(box.checked)
            box.toggle()
            box.toggled()
            verify(!TestApp.preferences.fastPrefill)
            box.toggle()
            box.toggled()
            verify(TestApp.preferences.fastPrefill)
            dialog.close()
        }
    }
}
