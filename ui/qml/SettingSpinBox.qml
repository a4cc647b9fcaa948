// SettingSpinBox.qml — a spin box for one numeric preference, named by its property: the range comes from
// Preferences.range() (the engine's, for sampling settings), and a decimal setting counts in hundredths, since a
// SpinBox counts in integers.
import QtQuick
import QtQuick.Controls
import RecurrentChat

SpinBox {
    id: spin

    required property Preferences prefs
    required property string setting
    property int decimals: 0

    readonly property var range: prefs.range(setting)
    readonly property int scale: Math.pow(10, decimals)

    // An open end is left out: the nearest step inside it is offered instead.
    from: Math.round(range.min * scale) + (range.minIncluded ? 0 : 1)
    to: Math.round(range.max * scale) - (range.maxIncluded ? 0 : 1)
    value: Math.round(prefs[setting] * scale)
    editable: true
    textFromValue: (v, locale) => Number(v / spin.scale).toLocaleString(locale, 'f', spin.decimals)
    valueFromText: (text, locale) => Math.round(Number.fromLocaleString(locale, text) * spin.scale)
    onValueModified: prefs[setting] = value / scale
}
