// markdown_text.cpp — a line scanner for fenced code blocks plus an inline scanner for code spans; everything
// outside code has '<' escaped as an entity and "![" made literal, which Qt's Markdown (md4c) then shows as text.
// A line scanner cannot agree with md4c on every input (code spans across lines, fences md4c does not accept), so
// when code kept a '<' or "![", the result is checked with Qt's own importer and, if it would still take some of
// it as HTML or an image, everything is escaped, code included.
#include "markdown_text.h"

#include <QStringList>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextFragment>

namespace {

// A fence line: up to 3 spaces, then 3+ backticks or tildes. Returns the fence (e.g. "```") or "".
QString fenceOf(const QString& line) {
    int i = 0;
    while (i < line.size() && i < 3 && line[i] == u' ') ++i;
    if (i >= line.size() || (line[i] != u'`' && line[i] != u'~')) return {};
    const QChar mark = line[i];
    int count = 0;
    while (i + count < line.size() && line[i + count] == mark) ++count;
    return count >= 3 ? QString(count, mark) : QString();
}

bool closes(const QString& line, const QString& fence) {
    const QString candidate = fenceOf(line);
    return !candidate.isEmpty() && candidate[0] == fence[0] && candidate.size() >= fence.size() &&
           line.trimmed() == candidate;
}

// Where the code span opened by `ticks` backticks ends: the next run of exactly as many (CommonMark), or -1.
int closingRun(const QString& line, int from, int ticks) {
    int j = from;
    while ((j = line.indexOf(u'`', j)) >= 0) {
        int run = 0;
        while (j + run < line.size() && line[j + run] == u'`') ++run;
        if (run == ticks) return j;
        j += run;
    }
    return -1;
}

// Escapes one line outside fenced blocks, leaving `code spans` alone.
QString escapeInline(const QString& line) {
    QString out;
    out.reserve(line.size() + 16);
    int i = 0;
    while (i < line.size()) {
        if (line[i] == u'\\' && i + 1 < line.size()) {  // a backslash escape: an escaped backtick opens nothing
            out += line[i];
            out += line[i + 1];  // "\\<" is a literal '<' for md4c
            i += 2;
            continue;
        }
        if (line[i] == u'`') {
            int ticks = 0;
            while (i + ticks < line.size() && line[i + ticks] == u'`') ++ticks;
            const int end = closingRun(line, i + ticks, ticks);
            if (end >= 0) {
                out += line.mid(i, end + ticks - i);
                i = end + ticks;
                continue;
            }
            out += QString(ticks, u'`');
            i += ticks;
            continue;
        }
        if (line[i] == u'<') {
            out += QStringLiteral("&lt;");
        } else if (line[i] == u'!' && i + 1 < line.size() && line[i + 1] == u'[') {
            out += QStringLiteral("\\!");
        } else {
            out += line[i];
        }
        ++i;
    }
    return out;
}

bool hasImage(const QTextDocument& document) {
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            if (it.fragment().charFormat().isImageFormat()) return true;
        }
    }
    return false;
}

// Whether Qt's Markdown importer, as TextEdit.MarkdownText runs it (GitHub dialect), takes part of `markdown` as
// HTML or as an image. A tag taken as HTML leaves the plain text, so it differs from a parse with HTML off.
bool showsHtmlOrImages(const QString& markdown) {
    QTextDocument shown;
    shown.setMarkdown(markdown);
    if (hasImage(shown)) return true;
    if (!markdown.contains(u'<')) return false;
    QTextDocument inert;
    inert.setMarkdown(markdown, QTextDocument::MarkdownNoHTML);
    return shown.toPlainText() != inert.toPlainText();
}

// The last resort: no '<' and no "![" anywhere, as entities md4c shows as text but never parses as syntax. Code
// then shows them as entities: only input built to confuse the scanner comes here.
QString escapeEverything(const QString& markdown) {
    QString out = markdown;
    out.replace(u'<', QStringLiteral("&lt;"));
    out.replace(QStringLiteral("!["), QStringLiteral("&#33;["));
    return out;
}

}  // namespace

QString renderableMarkdown(const QString& markdown) {
    const QStringList lines = markdown.split(u'\n');
    QStringList out;
    out.reserve(lines.size());
    QString fence;
    for (const QString& line : lines) {
        if (fence.isEmpty()) {
            fence = fenceOf(line);
            out << (fence.isEmpty() ? escapeInline(line) : line);
        } else {
            if (closes(line, fence)) fence.clear();
            out << line;
        }
    }
    const QString escaped = out.join(u'\n');
    // Only code kept '<' and "![" as they were: whether md4c agrees that it is code is checked, not assumed.
    if (!escaped.contains(u'<') && !escaped.contains(QStringLiteral("!["))) return escaped;
    return showsHtmlOrImages(escaped) ? escapeEverything(markdown) : escaped;
}

QString codeBlocks(const QString& markdown) {
    QStringList blocks;
    QStringList current;
    QString fence;
    for (const QString& line : markdown.split(u'\n')) {
        if (fence.isEmpty()) {
            fence = fenceOf(line);
        } else if (closes(line, fence)) {
            blocks << current.join(u'\n');
            current.clear();
            fence.clear();
        } else {
            current << line;
        }
    }
    if (!fence.isEmpty() && !current.isEmpty()) blocks << current.join(u'\n');  // unterminated (still streaming)
    return blocks.join(QStringLiteral("\n\n"));
}

QString plainTextOf(const QString& markdown, qsizetype maxLength) {
    QTextDocument document;
    document.setMarkdown(
        markdown.left(maxLength),
        QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub | QTextDocument::MarkdownNoHTML));
    return document.toPlainText();
}
