// PreferencesDialog.qml — sampling, generation length, seed, threads, theme, font size and language.
// Every control writes straight to Preferences (QSettings); changes apply to the next generation.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import RecurrentChat

Dialog {
    id: dialog

    required property Preferences prefs

    title: qsTr("Preferences")
    modal: true
    standardButtons: Dialog.Close
    width: Math.min(560, parent ? parent.width - 40 : 560)

    ScrollView {
        anchors.fill: parent
        implicitHeight: Math.min(grid.implicitHeight, 480)
        contentWidth: availableWidth

        GridLayout {
            id: grid
            width: parent.width
            columns: 2
            columnSpacing: 12

            Label { text: qsTr("Sampling"); font.bold: true; Layout.columnSpan: 2 }

            Label { text: qsTr("Temperature") }
            SpinBox {
                objectName: "temperatureSpin"
                from: 1; to: 500; stepSize: 5; editable: true
                value: Math.round(dialog.prefs.temperature * 100)
                textFromValue: (v, locale) => Number(v / 100).toLocaleString(locale, 'f', 2)
                valueFromText: (text, locale) => Math.round(Number.fromLocaleString(locale, text) * 100)
                onValueModified: dialog.prefs.temperature = value / 100
            }
            Label { text: qsTr("Top-k (0 = off)") }
            SpinBox {
                from: 0; to: 1000; editable: true
                value: dialog.prefs.topK
                onValueModified: dialog.prefs.topK = value
            }
            Label { text: qsTr("Top-p") }
            SpinBox {
                from: 1; to: 100; editable: true
                value: Math.round(dialog.prefs.topP * 100)
                textFromValue: (v, locale) => Number(v / 100).toLocaleString(locale, 'f', 2)
                valueFromText: (text, locale) => Math.round(Number.fromLocaleString(locale, text) * 100)
                onValueModified: dialog.prefs.topP = value / 100
            }
            Label { text: qsTr("Min-p") }
            SpinBox {
                from: 0; to: 99; editable: true
                value: Math.round(dialog.prefs.minP * 100)
                textFromValue: (v, locale) => Number(v / 100).toLocaleString(locale, 'f', 2)
                valueFromText: (text, locale) => Math.round(Number.fromLocaleString(locale, text) * 100)
                onValueModified: dialog.prefs.minP = value / 100
            }
            Label { text: qsTr("Repetition penalty") }
            SpinBox {
                from: 100; to: 300; stepSize: 5; editable: true
                value: Math.round(dialog.prefs.repeatPenalty * 100)
                textFromValue: (v, locale) => Number(v / 100).toLocaleString(locale, 'f', 2)
                valueFromText: (text, locale) => Math.round(Number.fromLocaleString(locale, text) * 100)
                onValueModified: dialog.prefs.repeatPenalty = value / 100
            }
            Label { text: qsTr("Penalty window (tokens)") }
            SpinBox {
                from: 0; to: 4096; editable: true
                value: dialog.prefs.repeatWindow
                onValueModified: dialog.prefs.repeatWindow = value
            }
            Label { text: qsTr("Max new tokens") }
            SpinBox {
                from: 1; to: 32768; stepSize: 64; editable: true
                value: dialog.prefs.maxNewTokens
                onValueModified: dialog.prefs.maxNewTokens = value
            }
            Label { text: qsTr("Seed") }
            RowLayout {
                CheckBox {
                    text: qsTr("Random")
                    checked: dialog.prefs.randomSeed
                    onToggled: dialog.prefs.randomSeed = checked
                }
                SpinBox {
                    enabled: !dialog.prefs.randomSeed
                    from: 0; to: 2147483647; editable: true
                    value: dialog.prefs.seed
                    onValueModified: dialog.prefs.seed = value
                }
            }
            Button {
                Layout.columnSpan: 2
                text: qsTr("Restore sampling defaults")
                onClicked: dialog.prefs.resetSampling()
            }

            Label { text: qsTr("Engine"); font.bold: true; Layout.columnSpan: 2 }
            Label { text: qsTr("Threads (0 = all %1)").arg(dialog.prefs.maxThreads) }
            SpinBox {
                from: 0; to: dialog.prefs.maxThreads; editable: true
                value: dialog.prefs.threads
                onValueModified: dialog.prefs.threads = value
            }
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
                model: [qsTr("System"), qsTr("Light"), qsTr("Dark")]
                currentIndex: dialog.prefs.theme
                // A language change retranslates the model, which resets the index: bind it again.
                onModelChanged: currentIndex = Qt.binding(() => dialog.prefs.theme)
                onActivated: index => dialog.prefs.theme = index
            }
            Label { text: qsTr("Font size") }
            SpinBox {
                from: 7; to: 32
                value: dialog.prefs.fontSize
                onValueModified: dialog.prefs.fontSize = value
            }
            Label { text: qsTr("Language") }
            ComboBox {
                id: languageBox
                objectName: "languageBox"
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
        }
    }
}
