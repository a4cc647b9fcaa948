// tst_model_folder_dialog.qml — the model folder dialog loads only what the user chose (issue 19, bug 3): it opens
// at the home folder; after ↑ with nothing clicked, Open gives the folder shown (never the subfolder the user came
// from); a clicked subfolder is what Open gives, until the user goes elsewhere. On the real folders of tests/.
import QtQuick
import QtTest
import RecurrentChat

Item {
    width: 900
    height: 700

    ModelFolderDialog {
        id: dialog
    }

    SignalSpy {
        id: chosen
        target: dialog
        signalName: "folderChosen"
    }

    TestCase {
        name: "ModelFolderDialog"
        when: windowShown
        visible: true

        // tests/ and tests/qml/ as the dialog names folders (no trailing slash).
        readonly property string qmlFolder: Qt.resolvedUrl(".").toString().replace(/\/$/, "")
        readonly property string testsFolder: qmlFolder.replace(/\/qml$/, "")

        function findByName(item, name) {
            if (item.objectName === name) return item
            for (let i = 0; i < item.children.length; ++i) {
                const found = findByName(item.children[i], name)
                if (found) return found
            }
            return null
        }
        function entry(name) {
            const list = findByName(dialog.contentItem, "folderList")
            return list ? findByName(list.contentItem, "folderEntry_" + name) : null
        }
        function openAt(folder) {
            dialog.open()
            tryCompare(dialog, "opened", true)
            dialog.goTo(folder)
        }
        function pressOpen() {
            chosen.clear()
            mouseClick(findByName(dialog.footer, "folderOpenButton"))
            tryCompare(dialog, "visible", false)
            compare(chosen.count, 1)
            return chosen.signalArguments[0][0].toString()
        }

        function cleanup() {
            if (dialog.visible) dialog.close()
            tryCompare(dialog, "visible", false)
        }

        function test_opensAtHome() {
            dialog.goTo(qmlFolder)  // wherever it was left
            dialog.open()
            tryCompare(dialog, "opened", true)
            compare(dialog.currentFolder.toString(), dialog.homeFolder.toString())
            verify(dialog.homeFolder.toString().length > "file://".length)
            compare(dialog.selectedFolder.toString(), "")
        }

        function test_upWithNothingSelectedOpensTheFolderShown() {
            openAt(qmlFolder)
            mouseClick(findByName(dialog.contentItem, "folderUpButton"))
            compare(dialog.currentFolder.toString(), testsFolder)
            tryVerify(() => entry("qml") !== null, 5000, "tests/ listed")
            verify(!entry("qml").highlighted)  // the folder we came from is not taken for a choice
            compare(pressOpen(), testsFolder)
        }

        function test_clickedSubfolderIsOpened() {
            openAt(testsFolder)
            tryVerify(() => entry("data") !== null, 5000, "tests/ listed")
            mouseClick(entry("data"))
            verify(entry("data").highlighted)
            compare(dialog.chosenFolder().toString(), testsFolder + "/data")
            compare(pressOpen(), testsFolder + "/data")
        }

        function test_goingElsewhereForgetsTheClick() {
            openAt(testsFolder)
            tryVerify(() => entry("qml") !== null, 5000, "tests/ listed")
            mouseClick(entry("qml"))
            mouseDoubleClickSequence(entry("qml"))  // into tests/qml
            tryVerify(() => dialog.currentFolder.toString() === qmlFolder, 5000, "into tests/qml")
            mouseClick(findByName(dialog.contentItem, "folderUpButton"))
            compare(dialog.selectedFolder.toString(), "")
            compare(pressOpen(), testsFolder)
        }

        function test_typedPathIsGoneTo() {
            openAt(testsFolder)
            const field = findByName(dialog.contentItem, "folderPathField")
            field.text = qmlFolder.replace(/^file:\/\//, "")
            field.accepted()
            compare(dialog.currentFolder.toString(), qmlFolder)
            compare(pressOpen(), qmlFolder)
        }
    }
}
