// message_tools.cpp — MessageTools: the clipboard, the desktop's link handler and markdown_text.h, for QML.
#include "message_tools.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QQuickTextDocument>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QUrl>

#include "markdown_text.h"

MessageTools::MessageTools(QObject* parent) : QObject(parent) {}

void MessageTools::copyText(const QString& text) const { QGuiApplication::clipboard()->setText(text); }

void MessageTools::copyCode(const QString& markdown) const {
    const QString code = codeBlocks(markdown);
    QGuiApplication::clipboard()->setText(code.isEmpty() ? markdown : code);
}

void MessageTools::openLink(const QString& link) const {
    const QUrl url(link);
    if (url.scheme() == u"https" || url.scheme() == u"http" || url.scheme() == u"mailto") {
        QDesktopServices::openUrl(url);
    }
}

QString MessageTools::renderableMarkdown(const QString& content) const { return ::renderableMarkdown(content); }

bool MessageTools::rendersAsMarkdown(const QString& content) const { return ::rendersAsMarkdown(content); }

void MessageTools::styleCodeBlocks(QObject* textDocument, const QColor& background) const {
    auto* quickDocument = qobject_cast<QQuickTextDocument*>(textDocument);
    QTextDocument* document = quickDocument ? quickDocument->textDocument() : nullptr;
    if (!document) return;
    QTextCursor cursor(document);
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        QTextBlockFormat format = block.blockFormat();
        // Fenced and indented code blocks alike: the Markdown importer marks both as unbreakable lines.
        if (!format.nonBreakableLines() && !format.hasProperty(QTextFormat::BlockCodeFence)) continue;
        // Already styled: changing nothing announces no change (the TextEdit would call again).
        if (!format.nonBreakableLines() && format.background().color() == background) continue;
        format.setNonBreakableLines(false);
        format.setBackground(background);
        cursor.setPosition(block.position());
        cursor.setBlockFormat(format);
        // Qt Quick's text renderer paints character backgrounds, not block ones: the code's characters carry it.
        cursor.setPosition(block.position() + block.length() - 1, QTextCursor::KeepAnchor);
        QTextCharFormat characters;
        characters.setBackground(background);
        cursor.mergeCharFormat(characters);
    }
}
