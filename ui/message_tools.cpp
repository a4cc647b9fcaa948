// message_tools.cpp — MessageTools: the clipboard, the desktop's link handler and markdown_text.h, for QML.
#include "message_tools.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QGuiApplication>
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
