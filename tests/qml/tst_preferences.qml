// tst_preferences.qml — PreferencesDialog writes straight to the preferences, offers exactly the ranges they
// give (the engine's, for sampling), and sampling defaults come back.
import QtQuick
import QtTest
import RecurrentChat
import RecurrentChatTest

Item {
    width: 700
    height: 700

    TestApp {
        id: app
    }

    PreferencesDialog {
        id: dialog
        prefs: app.controller.preferences
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
            const before = app.controller.preferences.temperature
            spin.increase()
            spin.valueModified()
            verify(Math.abs(app.controller.preferences.temperature - (before + 0.05)) < 1e-6)
            app.controller.preferences.resetSampling()
            verify(Math.abs(app.controller.preferences.temperature - before) < 1e-6)
            dialog.close()
        }

        // Decimal settings count hundredths; an open end of a range is left out (a temperature of 0 means nothing).
        function test_spinBoxesOfferThePreferencesRanges() {
            dialog.open()
            tryCompare(dialog, "opened", true)
            const prefs = app.controller.preferences
            const temperature = findByName(dialog.contentItem, "temperatureSpin")
            const range = prefs.range("temperature")
            verify(!range.minIncluded)
            compare(temperature.from, Math.round(range.min * 100) + 1)
            compare(temperature.to, Math.round(range.max * 100))
            compare(temperature.value, Math.round(prefs.temperature * 100))
            compare(temperature.textFromValue(70, Qt.locale("en")), "0.70")
            const spins = []
            const collect = item => {
                if (item.setting !== undefined) spins.push(item)
                for (let i = 0; i < item.children.length; ++i) collect(item.children[i])
            }
            collect(dialog.contentItem)
            const settings = spins.map(spin => spin.setting).sort()
            compare(settings, ["fontSize", "maxNewTokens", "minP", "repeatPenalty", "repeatWindow", "seed", "serverPort",
                               "temperature", "threads", "topK", "topP"])
            for (const spin of spins) {
                const r = prefs.range(spin.setting)
                verify(r.max > r.min, spin.setting)
                compare(spin.to, Math.round(r.max * spin.scale) - (r.maxIncluded ? 0 : 1), spin.setting)
                compare(spin.from, Math.round(r.min * spin.scale) + (r.minIncluded ? 0 : 1), spin.setting)
                compare(spin.value, Math.round(prefs[spin.setting] * spin.scale), spin.setting)
            }
            compare(prefs.range("threads").max, prefs.maxThreads)
            dialog.close()
        }

        function test_fastPrefillBoxWritesPreference() {
            dialog.open()
            tryCompare(dialog, "opened", true)
            const box = findByName(dialog.contentItem, "fastPrefillBox")
            verify(box)
            verify(app.controller.preferences.fastPrefill)  // on by default
            verify(box.checked)
            box.toggle()
            box.toggled()
            verify(!app.controller.preferences.fastPrefill)
            box.toggle()
            box.toggled()
            verify(app.controller.preferences.fastPrefill)
            dialog.close()
        }
    }
}
