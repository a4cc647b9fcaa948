// tst_models_page.qml — the Models page against a fake Hugging Face Hub on loopback (HubTestApp): the token entered
// in the Preferences; the catalog with sizes from the tree API and the Hub's errors shown in their rows; a download's
// progress, pause, resume (a Range request) and cancel (partial files gone); a gated model refused without the
// token; a finished download used as the chat's model, and an int8 copy of it made and deleted.
import QtQuick
import QtQuick.Controls
import QtTest
import RecurrentChat
import RecurrentChatTest

Item {
    width: 1000
    height: 800

    HubTestApp {
        id: app
    }

    ModelsPage {
        id: page
        controller: app.controller
    }

    PreferencesDialog {
        id: preferences
        prefs: app.controller.preferences
        tokenStore: app.controller.models.tokenStore
    }

    TestCase {
        name: "ModelsPage"
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
        function row(name) {
            const list = findByName(page.contentItem, "modelList")
            return list ? findByName(list.contentItem, "modelRow_" + name) : null
        }
        function button(name, buttonName) {
            const r = row(name)
            return r ? findByName(r, buttonName) : null
        }
        function click(name, buttonName) {
            const b = button(name, buttonName)
            verify(b, name + " " + buttonName)
            tryVerify(() => b.visible && b.enabled, 5000, buttonName + " shown")
            mouseClick(b)
        }
        // A scan rebuilds the rows: ask for the row at each look, never keep one.
        function waitStatus(name, status, timeout) {
            tryVerify(() => row(name) !== null && row(name).status === status, timeout || 5000,
                      name + " status " + status)
        }
        function openPage() {
            page.open()
            tryCompare(page, "opened", true)
            tryVerify(() => !page.models.scanning && row("recurrentgemma-2b-it") !== null, 10000)
        }

        function cleanup() {
            page.close()
            tryCompare(page, "visible", false)
        }

        // The four checkpoints, with the sizes the tree API gives; a repo the Hub does not have says so.
        function test_1_catalogWithSizes() {
            openPage()
            for (const name of ["recurrentgemma-2b-it", "recurrentgemma-2b", "recurrentgemma-9b-it",
                                "recurrentgemma-9b"]) {
                verify(row(name), name)
                compare(row(name).status, ModelListModel.NotDownloaded, name)
            }
            tryVerify(() => row("recurrentgemma-2b").details.indexOf("to download") > 0, 10000)
            verify(row("recurrentgemma-2b").details.indexOf("MB") > 0, row("recurrentgemma-2b").details)
            tryVerify(() => row("recurrentgemma-9b-it").message.length > 0, 10000)
            compare(row("recurrentgemma-9b-it").details, "size unknown")
            verify(button("recurrentgemma-9b-it", "downloadButton").visible)
        }

        // No token: the gated model's download fails with the Hub's words and a retry is offered.
        function test_2_gatedModelSaysWhy() {
            openPage()
            click("recurrentgemma-9b", "downloadButton")
            waitStatus("recurrentgemma-9b", ModelListModel.Failed, 15000)
            const message = row("recurrentgemma-9b").message
            verify(message.indexOf("gated") >= 0, message)
            verify(findByName(row("recurrentgemma-9b"), "messageText").visible)
            compare(button("recurrentgemma-9b", "downloadButton").text, "Retry")
            click("recurrentgemma-9b", "cancelButton")
            waitStatus("recurrentgemma-9b", ModelListModel.NotDownloaded)
        }

        // The token entered in the Preferences is kept in the file (no keyring in tests), and the dialog says so.
        function test_0_tokenInPreferences() {
            preferences.open()
            tryCompare(preferences, "opened", true)
            const field = findByName(preferences.contentItem, "tokenField")
            verify(field)
            verify(findByName(preferences.contentItem, "tokenStorageText").text.indexOf("readable only by you") > 0)
            field.text = "hf_wrong"
            // The section may sit below the dialog's scrolled area: press the buttons without the mouse.
            verify(findByName(preferences.contentItem, "saveTokenButton").enabled)
            findByName(preferences.contentItem, "saveTokenButton").clicked()
            verify(app.controller.models.tokenStore.hasStoredToken)
            compare(field.text, "")
            findByName(preferences.contentItem, "removeTokenButton").clicked()
            verify(!app.controller.models.tokenStore.hasStoredToken)
            preferences.close()
        }

        // With the token: progress with rate and time left, pause keeps the partial file, resume continues it with a
        // Range request, cancel deletes it.
        function test_3_downloadPauseResumeCancel() {
            app.controller.models.tokenStore.setToken(app.grantedToken)
            app.serveSlowly(true)
            openPage()
            click("recurrentgemma-2b-it", "downloadButton")
            waitStatus("recurrentgemma-2b-it", ModelListModel.Downloading)
            tryVerify(() => row("recurrentgemma-2b-it").progress > 0.05, 15000)
            verify(findByName(row("recurrentgemma-2b-it"), "downloadProgress").visible)
            tryVerify(() => /of .*s/.test(row("recurrentgemma-2b-it").progressText), 10000)

            click("recurrentgemma-2b-it", "pauseButton")
            waitStatus("recurrentgemma-2b-it", ModelListModel.Paused)
            verify(app.partialBytes() > 0)
            compare(button("recurrentgemma-2b-it", "pauseButton").text, "Resume")
            const before = app.rangeRequests()
            click("recurrentgemma-2b-it", "pauseButton")
            waitStatus("recurrentgemma-2b-it", ModelListModel.Downloading)
            tryVerify(() => app.rangeRequests() > before, 15000)

            click("recurrentgemma-2b-it", "cancelButton")
            waitStatus("recurrentgemma-2b-it", ModelListModel.NotDownloaded)
            tryVerify(() => app.partialBytes() === 0, 5000)
            app.serveSlowly(false)
        }

        // A finished download becomes a model with its dtype and state size, and "Use this model" loads it.
        function test_4_downloadThenUse() {
            openPage()
            click("recurrentgemma-2b", "downloadButton")
            // The rows are rebuilt by the scan that follows a download: ask for the row each time.
            tryVerify(() => row("recurrentgemma-2b") && row("recurrentgemma-2b").status === ModelListModel.Ready
                      && row("recurrentgemma-2b").folder.length > 0, 30000)
            const folder = row("recurrentgemma-2b").folder
            verify(folder.indexOf("/snapshots/") > 0, folder)
            verify(row("recurrentgemma-2b").details.indexOf("F32") > 0 ||
                   row("recurrentgemma-2b").details.indexOf("BF16") > 0, row("recurrentgemma-2b").details)
            verify(row("recurrentgemma-2b").details.indexOf("state") > 0, row("recurrentgemma-2b").details)
            click("recurrentgemma-2b", "useButton")
            tryCompare(app.controller.preferences, "modelDirectory", folder, 10000)
            compare(app.controller.modelStatus, ChatController.Ready)
            tryCompare(page, "visible", false)
            openPage()
            tryVerify(() => row("recurrentgemma-2b") && row("recurrentgemma-2b").inUse, 10000)

            // Both copies are offered; the 4-bit one says what it trades. An int8 copy of it, listed with its own
            // size once written, then deleted (test_model_list_model makes and checks both kinds).
            const fourBit = button("recurrentgemma-2b", "quantizeButton_q4k")
            verify(fourBit && fourBit.visible, "the 4-bit copy is offered")
            verify(fourBit.ToolTip.text.indexOf("4-bit") >= 0, fourBit.ToolTip.text)
            click("recurrentgemma-2b", "quantizeButton_int8")
            tryVerify(() => row("recurrentgemma-2b-int8") !== null, 60000)
            verify(row("recurrentgemma-2b-int8").details.indexOf("I8") > 0, row("recurrentgemma-2b-int8").details)
            compare(row("recurrentgemma-2b-int8").source, "copy")
            verify(row("recurrentgemma-2b-int8").folder.indexOf("/snapshots/") < 0)
            click("recurrentgemma-2b-int8", "deleteButton")
            tryVerify(() => row("recurrentgemma-2b-int8") === null, 10000)
        }
    }
}
