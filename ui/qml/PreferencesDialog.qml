// PreferencesDialog.qml — sampling, reply length, seed, threads, theme, font size, language and the Hugging Face token.
// Every control writes straight to Preferences (QSettings), within the ranges Preferences gives; changes apply to
// the next reply. "Restore sampling defaults" sits in the button row, so it is always in view; the dialog fits the
// window, its settings scroll, and its title follows the font size.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import RecurrentChat

Dialog {
    id: dialog

    required property Preferences prefs
    property LocalServer server: null
    property HubTokenStore tokenStore: null  // the Hugging Face token's section, when given

    title: qsTr("Preferences")
    modal: true
    standardButtons: Dialog.Close
    width: Math.min(560, parent ? parent.width - 40 : 560)
    height: Math.min(implicitHeight, parent ? parent.height - 40 : implicitHeight)
    onReset: dialog.prefs.resetSampling()

    header: Label {
        objectName: "preferencesTitle"
        text: dialog.title
        font.bold: true
        font.pointSize: dialog.font.pointSize * 1.3
        elide: Label.ElideRight
        padding: 20
        bottomPadding: 8
    }
    footer: DialogButtonBox {
        Button {
            objectName: "restoreSamplingButton"
            text: qsTr("Restore sampling defaults")
            flat: true
            // The linter of Qt 6.4 does not see DialogButtonBox's role enumeration.
            // qmllint disable
            DialogButtonBox.buttonRole: DialogButtonBox.ResetRole
            // qmllint enable
        }
    }

    ScrollView {
        anchors.fill: parent
        implicitHeight: Math.min(grid.implicitHeight, 480)
        contentWidth: availableWidth
        clip: true

        GridLayout {
            id: grid
            width: parent.width
            columns: 2
            columnSpacing: 12

            Label { text: qsTr("Sampling"); font.bold: true; Layout.columnSpan: 2 }

            Label { text: qsTr("Temperature") }
            SettingSpinBox {
                objectName: "temperatureSpin"
                prefs: dialog.prefs
                setting: "temperature"
                decimals: 2
                stepSize: 5
            }
            Label { text: qsTr("Top-k (0 = off)") }
            SettingSpinBox { prefs: dialog.prefs; setting: "topK" }
            Label { text: qsTr("Top-p") }
            SettingSpinBox { prefs: dialog.prefs; setting: "topP"; decimals: 2 }
            Label { text: qsTr("Min-p") }
            SettingSpinBox { prefs: dialog.prefs; setting: "minP"; decimals: 2 }
            Label { text: qsTr("Repetition penalty") }
            SettingSpinBox { prefs: dialog.prefs; setting: "repeatPenalty"; decimals: 2; stepSize: 5 }
            Label { text: qsTr("Penalty window (tokens)") }
            SettingSpinBox { prefs: dialog.prefs; setting: "repeatWindow" }
            Label { text: qsTr("Max new tokens") }
            SettingSpinBox { prefs: dialog.prefs; setting: "maxNewTokens"; stepSize: 64 }
            Label { text: qsTr("Seed") }
            RowLayout {
                CheckBox {
                    text: qsTr("Random")
                    checked: dialog.prefs.randomSeed
                    onToggled: dialog.prefs.randomSeed = checked
                }
                SettingSpinBox { enabled: !dialog.prefs.randomSeed; prefs: dialog.prefs; setting: "seed" }
            }

            Label { text: qsTr("Engine"); font.bold: true; Layout.columnSpan: 2 }
            Label { text: qsTr("Threads (0 = all %1)").arg(dialog.prefs.maxThreads) }
            SettingSpinBox { prefs: dialog.prefs; setting: "threads" }
            CheckBox {
                objectName: "fastPrefillBox"
                Layout.columnSpan: 2
                text: qsTr("Fast prompt processing (bf16)")
                checked: dialog.prefs.fastPrefill
                onToggled: dialog.prefs.fastPrefill = checked
                ToolTip.text: qsTr("About twice as fast on processors with bf16 instructions, for bf16 models. Replies can differ slightly from exact arithmetic.")
                ToolTip.visible: hovered
            }

            Label { text: qsTr("Appearance"); font.bold: true; Layout.columnSpan: 2 }
            Label { text: qsTr("Theme") }
            ComboBox {
                objectName: "themeBox"
                implicitContentWidthPolicy: ComboBox.WidestText
                model: [qsTr("System"), qsTr("Light"), qsTr("Dark")]
                currentIndex: dialog.prefs.theme
                // A language change retranslates the model, which resets the index: bind it again.
                onModelChanged: currentIndex = Qt.binding(() => dialog.prefs.theme)
                onActivated: index => dialog.prefs.theme = index
            }
            Label { text: qsTr("Font size") }
            SettingSpinBox { prefs: dialog.prefs; setting: "fontSize"; editable: false }
            Label { text: qsTr("Language") }
            ComboBox {
                id: languageBox
                objectName: "languageBox"
                implicitContentWidthPolicy: ComboBox.WidestText
                textRole: "name"
                valueRole: "code"
                model: [
                    { code: "", name: qsTr("System default") },
                    { code: "en", name: "English" },
                    { code: "de", name: "Deutsch" },
                    { code: "fr", name: "Français" }
                ]
                // Again whenever the model is rebuilt: a language change retranslates it, which resets the index.
                onModelChanged: currentIndex = Math.max(0, indexOfValue(dialog.prefs.language))
                Component.onCompleted: currentIndex = Math.max(0, indexOfValue(dialog.prefs.language))
                onActivated: dialog.prefs.language = currentValue
            }

            LocalServerSection {  // where the dialog is given the server
                Layout.columnSpan: 2
                Layout.fillWidth: true
                visible: dialog.server !== null
                prefs: dialog.prefs
                server: dialog.server
            }

            Loader {
                Layout.columnSpan: 2
                Layout.fillWidth: true
                active: dialog.tokenStore !== null && dialog.visible  // the keyring is asked only then
                sourceComponent: HubTokenSection { store: dialog.tokenStore }  // qmllint disable unqualified
            }
        }
    }
}
