// StatusBar.qml — what the engine is doing (the prompt's progress and time left, then the generation speed), the
// conversation's length, and the state size (in memory, on disk). Every label elides: the bar never runs off a
// narrow window, and the least important text (the state size) gives way first.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ToolBar {
    id: status

    required property bool generating
    required property real tokensPerSecond
    required property real promptTokensDone
    required property real promptTokensTotal
    required property real promptSecondsLeft  // < 0: not known yet
    required property bool conversationShown
    required property int conversationTokens
    required property bool modelReady
    required property real stateBytesInMemory
    required property real stateBytesOnDisk

    // The prompt is still being read (the long wait on common CPUs): its progress instead of a speed of zero.
    readonly property bool readingPrompt: generating && promptTokensTotal > 0 && promptTokensDone < promptTokensTotal

    function progressText() {
        const done = Math.round(status.promptTokensDone)
        const total = Math.round(status.promptTokensTotal)
        const percent = Math.floor(100 * done / total)
        if (status.promptSecondsLeft < 0)
            return qsTr("Reading the prompt… %1 of %2 tokens (%3%)").arg(done).arg(total).arg(percent)
        return qsTr("Reading the prompt… %1 of %2 tokens (%3%), about %4 left").arg(done).arg(total).arg(percent)
            .arg(durationText(status.promptSecondsLeft))
    }
    // Qt's catalogues do not translate "bytes": small sizes are counted here.
    function sizeText(bytes) {
        return bytes < 1024 ? qsTr("%n byte(s)", "", bytes) : Qt.locale().formattedDataSize(bytes)
    }
    function durationText(seconds) {
        const s = Math.ceil(seconds)
        if (s < 60) return qsTr("%n second(s)", "", s)
        return qsTr("%n minute(s)", "", Math.ceil(s / 60))
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 8
        anchors.rightMargin: 8
        spacing: 16

        Label {
            objectName: "engineStatus"
            visible: status.generating
            Layout.fillWidth: true
            Layout.maximumWidth: implicitWidth
            Layout.minimumWidth: Math.min(implicitWidth, 120)
            elide: Text.ElideRight
            text: status.readingPrompt ? status.progressText()
                                       : qsTr("Generating… %1 tokens/s").arg(status.tokensPerSecond.toFixed(1))
        }
        Item { Layout.fillWidth: true; Layout.preferredWidth: 0 }
        Label {
            objectName: "conversationLength"
            visible: status.conversationShown
            Layout.fillWidth: true
            Layout.maximumWidth: implicitWidth
            Layout.minimumWidth: Math.min(implicitWidth, 60)
            elide: Text.ElideRight
            text: qsTr("%n token(s) in this conversation", "", status.conversationTokens)
        }
        Label {
            objectName: "stateSize"
            visible: status.modelReady
            Layout.fillWidth: true
            Layout.maximumWidth: implicitWidth
            Layout.minimumWidth: 0
            elide: Text.ElideRight
            text: qsTr("State: %1 in memory, %2 on disk — fixed, however long the chat")
                  .arg(status.sizeText(status.stateBytesInMemory))
                  .arg(status.sizeText(status.stateBytesOnDisk))
        }
    }
}
