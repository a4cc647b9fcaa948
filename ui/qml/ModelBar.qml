// ModelBar.qml — the top bar: the sidebar's fold button, which model is loaded (or what is happening instead) with
// its details, and the buttons to open another model (or the demo) and the preferences, and the application menu
// (the demo model, Quit).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ToolBar {
    id: bar

    required property bool loading
    required property string title
    required property string subtitle
    required property bool sidebarShown
    // The demo model can be loaded (it is installed and not the loaded one), and is offered in the bar itself (no
    // model, or the last load failed); the menu always has it.
    required property bool canUseDemo
    required property bool offerDemo
    signal useDemo()
    signal pickModel()
    signal openModels()
    signal openPreferences()
    signal toggleSidebar()
    signal quitRequested()

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 8
        anchors.rightMargin: 8
        spacing: 8

        ToolButton {
            objectName: "sidebarButton"
            text: "☰"
            onClicked: bar.toggleSidebar()
            ToolTip.text: bar.sidebarShown ? qsTr("Hide the chat list (Ctrl+B)") : qsTr("Show the chat list (Ctrl+B)")
            ToolTip.visible: hovered
        }
        BusyIndicator {
            Layout.preferredHeight: 28
            Layout.preferredWidth: 28
            running: bar.loading
            visible: running
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Label {
                objectName: "modelTitle"
                Layout.fillWidth: true
                elide: Text.ElideRight
                font.bold: true
                text: bar.title
            }
            Label {
                Layout.fillWidth: true
                elide: Text.ElideRight
                opacity: 0.75
                font.pointSize: Math.max(7, bar.font.pointSize - 2)
                text: bar.subtitle
            }
        }
        ToolButton {
            objectName: "modelsButton"
            text: qsTr("Models")
            onClicked: bar.openModels()
        }
        ToolButton {
            objectName: "useDemoButton"
            visible: bar.offerDemo
            text: qsTr("Use the demo model")
            onClicked: bar.useDemo()
        }
        ToolButton {
            text: qsTr("Open model…")
            onClicked: bar.pickModel()
        }
        ToolButton {
            text: qsTr("Preferences")
            onClicked: bar.openPreferences()
        }
        ToolButton {
            objectName: "appMenuButton"
            text: "⋮"
            onClicked: appMenu.popup()
            ToolTip.text: qsTr("More")
            ToolTip.visible: hovered
            Menu {
                id: appMenu
                MenuItem {
                    objectName: "useDemoItem"
                    text: qsTr("Use the demo model")
                    enabled: bar.canUseDemo
                    onTriggered: bar.useDemo()
                }
                MenuItem {
                    objectName: "quitItem"
                    text: qsTr("Quit (Ctrl+Q)")
                    onTriggered: bar.quitRequested()
                }
            }
        }
    }
}
