// HubTokenSection.qml — the Preferences' Hugging Face access token: enter, replace or remove it, where it is kept
// (the system's keyring, or a file only the user can read) and which token downloads send.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import RecurrentChat

ColumnLayout {
    id: section

    required property HubTokenStore store

    Label { text: qsTr("Hugging Face"); font.bold: true }
    RowLayout {
        Layout.fillWidth: true
        TextField {
            id: tokenField
            objectName: "tokenField"
            Layout.fillWidth: true
            echoMode: TextInput.Password
            placeholderText: section.store.hasStoredToken ? qsTr("A token is stored") : qsTr("Access token (hf_…)")
            onAccepted: saveButton.clicked()
        }
        Button {
            id: saveButton
            objectName: "saveTokenButton"
            text: qsTr("Save")
            enabled: tokenField.text.length > 0 && section.store.ready
            onClicked: {
                section.store.setToken(tokenField.text)
                tokenField.clear()
            }
        }
        Button {
            objectName: "removeTokenButton"
            text: qsTr("Remove")
            enabled: section.store.hasStoredToken
            onClicked: section.store.clear()
        }
    }
    Label {
        objectName: "tokenStorageText"
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        opacity: 0.75
        text: section.store.storageText
    }
    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        opacity: 0.75
        text: section.store.activeTokenText
    }
}
