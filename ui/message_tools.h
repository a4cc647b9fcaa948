// message_tools.h — MessageTools: what a message bubble needs besides its data: copying its text or its code,
// opening its links, and showing model text safely as Markdown. Stateless; QML creates one where it is used.
#pragma once

#include <QtQml/qqmlregistration.h>

#include <QColor>
#include <QObject>
#include <QString>

class MessageTools : public QObject {
    Q_OBJECT
    QML_ELEMENT

  public:
    explicit MessageTools(QObject* parent = nullptr);

    Q_INVOKABLE void copyText(const QString& text) const;
    // The message's fenced code blocks, or the whole message if it has none.
    Q_INVOKABLE void copyCode(const QString& markdown) const;
    // Opens http(s) and mailto links in the user's browser; anything else is ignored.
    Q_INVOKABLE void openLink(const QString& link) const;
    // Model text made safe for Qt's Markdown renderer (no HTML, no remote images).
    Q_INVOKABLE QString renderableMarkdown(const QString& content) const;
    // False for a message too long to render as Markdown quickly: the view shows it as plain text.
    Q_INVOKABLE bool rendersAsMarkdown(const QString& content) const;
    // Styles the code blocks of a rendered message (`textDocument`: a TextEdit's textDocument) on `background`,
    // wrapping their long lines instead of cutting them at the bubble's edge (Qt's Markdown import makes code lines
    // unbreakable). Called again after every change of the text: each one imports the Markdown afresh.
    Q_INVOKABLE void styleCodeBlocks(QObject* textDocument, const QColor& background) const;
};
