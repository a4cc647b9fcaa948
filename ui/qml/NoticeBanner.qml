// NoticeBanner.qml — what the app tells the user (a failed save, a state being rebuilt...) as a readable banner
// above the conversation: the whole text, wrapped, in the theme's banner colours, with a button to dismiss it. It
// shows while there is a notice; the controller withdraws a notice once it no longer applies.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import RecurrentChat

Pane {
    id: banner

    required property string text
    signal dismissed()

    objectName: "noticeBanner"
    visible: text.length > 0
    padding: 8
    background: Rectangle {
        color: Theme.bannerBackground
    }

    RowLayout {
        anchors.fill: parent
        spacing: 8

        Label {
            objectName: "noticeText"
            Layout.fillWidth: true
            text: banner.text
            wrapMode: Text.Wrap
            color: Theme.bannerText
        }
        ToolButton {
            text: "✕"
            Layout.alignment: Qt.AlignTop
            onClicked: banner.dismissed()
            ToolTip.text: qsTr("Dismiss")
            ToolTip.visible: hovered
            Material.foreground: Theme.bannerText
        }
    }
}
