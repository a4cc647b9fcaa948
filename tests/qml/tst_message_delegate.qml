// tst_message_delegate.qml — MessageDelegate: the alternatives arrows and counter appear only for branched
// messages, Edit only on user messages, a reply the database refused is marked, its actions name the message by id,
// and model text is rendered without raw HTML.
import QtQuick
import QtTest
import RecurrentChat

Item {
    width: 600
    height: 400

    MessageTools {
        id: messageTools
    }

    Component {
        id: delegateComponent
        MessageDelegate {
            width: 500
            tools: messageTools
        }
    }

    Component {
        id: signalSpy
        SignalSpy {}
    }

    TestCase {
        name: "MessageDelegate"
        when: windowShown
        visible: true

        function texts(item, out) {
            if (item.text !== undefined && item.visible) out.push(String(item.text))
            for (let i = 0; i < item.children.length; ++i) texts(item.children[i], out)
            return out
        }

        function make(props) {
            const base = { messageId: 1, role: "model", content: "hello", siblingIndex: 0,
                           siblingCount: 1, streaming: false, stopReason: "end", tokenCount: 0 }
            for (const key in props) base[key] = props[key]
            return createTemporaryObject(delegateComponent, parent, base)
        }

        function test_branchCounter() {
            const single = make({})
            verify(texts(single, []).indexOf("1/1") < 0)
            const branched = make({ siblingIndex: 1, siblingCount: 3 })
            verify(texts(branched, []).indexOf("2/3") >= 0)
        }

        function test_editOnlyOnUserMessages() {
            verify(texts(make({ role: "user" }), []).indexOf("Edit") >= 0)
            verify(texts(make({ role: "model" }), []).indexOf("Edit") < 0)
        }

        function test_unsavedReplyIsMarked() {
            verify(texts(make({}), []).indexOf("Not saved yet") < 0)
            verify(texts(make({ messageId: 0, streaming: true }), []).indexOf("Not saved yet") < 0)
            verify(texts(make({ messageId: 0 }), []).indexOf("Not saved yet") >= 0)
        }

        // A finished reply says how it ended and how long it is; Copy confirms.
        function test_replyDetailsAndCopied() {
            // (No catalogue here: "%n token(s)" reads "42 token(s)".)
            verify(texts(make({ stopReason: "length", tokenCount: 42 }), [])
                   .some(t => t.startsWith("Length limit reached · 42 token")))
            verify(texts(make({ stopReason: "stopped", tokenCount: 1 }), []).some(t => t.startsWith("Stopped · 1 token")))
            verify(texts(make({ role: "user", tokenCount: 7 }), []).join("|").indexOf("7 tokens") < 0)
            verify(texts(make({ streaming: true, stopReason: "" }), []).join("|").indexOf("Complete") < 0)
            const message = make({})
            mouseClick(findButton(message, "Copy"))
            verify(findButton(message, "Copied") !== null)
            tryVerify(() => findButton(message, "Copy") !== null, 3000)
        }

        function findButton(item, text) {
            if (item.text === text && item.clicked !== undefined && item.visible) return item
            for (let i = 0; i < item.children.length; ++i) {
                const found = findButton(item.children[i], text)
                if (found) return found
            }
            return null
        }

        // The arrows and Edit say which message by its id (rows shift while a reply streams), and are off while busy.
        function test_actionsNameTheMessageById() {
            const branched = make({ messageId: 42, role: "user", siblingIndex: 1, siblingCount: 3, isLast: true })
            const switched = signalSpy.createObject(branched, { target: branched, signalName: "alternativeRequested" })
            mouseClick(findButton(branched, "‹"))
            mouseClick(findButton(branched, "›"))
            compare(switched.count, 2)
            compare(switched.signalArguments[0][0], 42)
            compare(switched.signalArguments[0][1], -1)
            compare(switched.signalArguments[1][1], 1)

            const edited = signalSpy.createObject(branched, { target: branched, signalName: "editRequested" })
            mouseClick(findButton(branched, "Edit"))
            const send = findButton(branched, "Send edited")
            waitForItemPolished(send.parent.parent)  // the bubble lays out again, the editor above the buttons
            mouseClick(send)
            compare(edited.count, 1)
            compare(edited.signalArguments[0][0], 42)
            compare(edited.signalArguments[0][1], "hello")

            branched.busy = true
            verify(!findButton(branched, "‹").enabled)
            verify(!findButton(branched, "Edit").enabled)
            verify(!findButton(branched, "Reply").enabled)
        }

        function test_htmlIsShownAsText() {
            const html = make({ content: "<b>bold</b> and ![x](http://example.com/x.png) and `<i>code</i>`" })
            const rendered = messageTools.renderableMarkdown(html.content)
            verify(rendered.indexOf("<b>") < 0)
            verify(rendered.indexOf("`<i>code</i>`") >= 0)  // code keeps its characters
            verify(rendered.indexOf("\\![x]") >= 0)  // an escaped "!": a link, never a fetched image
        }
    }
}
