// Theme.qml — the colours the window uses beyond the style's own palette, in one place.
pragma Singleton
import QtQuick

QtObject {
    // A message the database has not taken yet.
    readonly property color error: "#c62828"
    // The status bar's notices.
    readonly property color warning: "#c77700"
    // The user's messages, against the window's background in light and dark themes alike.
    readonly property color userBubble: Qt.rgba(0.5, 0.5, 0.5, 0.12)
}
