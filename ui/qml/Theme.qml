// Theme.qml — the window's colours in one place, a light and a dark palette: the main window sets `dark` from the
// theme in effect (Material resolves "System"), and every colour below follows it. Text colours are chosen for a
// contrast of at least 4.5:1 (WCAG AA) against the backgrounds they are drawn on.
pragma Singleton
import QtQuick

QtObject {
    // Set by Main.qml; components shown without the main window (Qt Quick tests) get the light palette.
    property bool dark: false

    // The conversation's background (Material's own, light and dark) and its text.
    readonly property color background: dark ? "#303030" : "#fafafa"
    readonly property color text: dark ? "#e8eaed" : "#1b1b1f"
    // Secondary text (captions, hints, details).
    readonly property color secondaryText: dark ? "#b4b8bf" : "#50545c"
    // The user's messages.
    readonly property color userBubble: dark ? "#44474d" : "#e9ecf1"
    // Code blocks and inline code.
    readonly property color codeBackground: dark ? "#222326" : "#eef0f3"
    // Selected text.
    readonly property color selection: dark ? "#3d6f6a" : "#a7d8d2"
    readonly property color selectedText: text
    // A message the database has not taken yet.
    readonly property color error: dark ? "#ff8a80" : "#b71c1c"
    // Notices: a banner above the conversation.
    readonly property color bannerBackground: dark ? "#4a3b12" : "#fff4d6"
    readonly property color bannerText: dark ? "#ffe7a8" : "#4a3500"
    readonly property color warning: dark ? "#ffcc66" : "#8a5a00"
    // The accent (Material's Teal; in the dark theme its 600 shade, not the pale one Material picks there, so that the
    // white text of a highlighted button stays readable).
    readonly property color accent: dark ? "#00897b" : "#009688"
    // Links in messages.
    readonly property color link: dark ? "#8ab4f8" : "#0b57d0"
}
