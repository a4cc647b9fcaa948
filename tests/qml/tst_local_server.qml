// tst_local_server.qml — LocalServerSection (Preferences → Local API server) on the fake engine: the box turns the
// server on and off through Preferences, and the section shows where it listens, or why it cannot.
import QtQuick
import QtTest
import RecurrentChat
import RecurrentChatTest

Item {
    width: 600
    height: 700

    TestApp {
        id: app
    }

    LocalServerSection {
        id: section
        width: parent.width
        prefs: app.controller.preferences
        server: app.controller.server
    }

    TestCase {
        name: "LocalServerSection"
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

        function test_boxTurnsTheServerOnAndOff() {
            const prefs = app.controller.preferences
            const server = app.controller.server
            const box = findByName(section, "serverEnabledBox")
            const status = findByName(section, "serverStatusLabel")
            verify(box && status)
            verify(!prefs.serverEnabled)  // off by default (and after the other case)
            compare(prefs.serverAddress, "127.0.0.1")  // loopback by default
            compare(status.text, "Off")
            const port = app.freePort()
            verify(port > 0)
            prefs.serverPort = port
            compare(findByName(section, "serverPortSpin").value, port)
            box.toggle()
            box.toggled()
            verify(prefs.serverEnabled)
            verify(server.listening)
            compare(status.text, "On: http://127.0.0.1:" + port + "/v1")
            box.toggle()
            box.toggled()
            verify(!server.listening)
            compare(status.text, "Off")
        }

        function test_badAddressIsShown() {
            const prefs = app.controller.preferences
            prefs.serverAddress = "nowhere"
            prefs.serverEnabled = true
            const error = findByName(section, "serverErrorLabel")
            verify(error.visible)
            verify(error.text.indexOf("nowhere") >= 0)
            compare(findByName(section, "serverStatusLabel").text, "Not listening")
            prefs.serverEnabled = false
            verify(!error.visible)
            prefs.serverAddress = ""  // back to the default
            compare(prefs.serverAddress, "127.0.0.1")
        }
    }
}
