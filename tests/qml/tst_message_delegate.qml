// tst_message_delegate.qml — MessageDelegate: the alternatives arrows and counter appear only for branched
// messages, Edit only on user messages, a reply the database refused is marked, and model text is rendered without
// raw HTML.
import QtQuick
import QtTest
import RecurrentChat
import RecurrentChatTest

Item {
    width: 600
    height: 400

    Component {
        id: delegateComponent
        MessageDelegate {
            width: 500
            controller: TestApp
        }
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
            const base = { index: 0, messageId: 1, role: "model", content: "hello", siblingIndex: 0,
                           siblingCount: 1, streaming: false }
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

        function test_htmlIsShownAsText() {
            const html = make({ content: "<b>bold</b> and ![x](http://example.com/x.png) and `<i>code</i>`" })
            const rendered = TestApp.renderableMarkdown(html.content)
            verify(rendered.indexOf("<b>") < 0)
            verify(rendered.indexOf("`<i>code</i>`") >= 0)  // code keeps its characters
            verify(rendered.indexOf("\\![x]") >= 0)  // an escaped "!": a link, never a fetched image
        }
    }
}
