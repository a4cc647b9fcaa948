// DatabaseNoticeDialog.qml — told once, at start, when the conversation database was found damaged: what happened,
// where the damaged file was kept and how many conversations were recovered, with a button that opens the kept
// file's folder. A dialog, not the banner: every chat the user had may be gone from the list. Main.qml opens it
// once the window is on screen.
import QtQuick
import QtQuick.Controls

Dialog {
    id: dialog

    required property string text
    signal showFileRequested()

    objectName: "databaseNoticeDialog"
    title: qsTr("Your conversations could not be read")
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(560, Overlay.overlay ? Overlay.overlay.width - 40 : 560)

    Label {
        objectName: "databaseNoticeText"
        width: dialog.availableWidth
        text: dialog.text
        wrapMode: Text.Wrap  // at words; the kept file's path, one long word, anywhere
        textFormat: Text.PlainText
    }

    footer: DialogButtonBox {
        Button {
            objectName: "showKeptFileButton"
            flat: true
            text: qsTr("Show the file")
            // The linter of Qt 6.4 does not see DialogButtonBox's role enumeration.
            // qmllint disable
            DialogButtonBox.buttonRole: DialogButtonBox.ActionRole
            // qmllint enable
            onClicked: dialog.showFileRequested()
        }
        Button {
            objectName: "databaseNoticeOk"
            text: qsTr("OK")
            highlighted: true
            // The linter of Qt 6.4 does not see DialogButtonBox's role enumeration.
            // qmllint disable
            DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
            // qmllint enable
        }
    }
}
