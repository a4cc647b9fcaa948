// markdown_text.cpp — a line scanner for fenced code blocks plus an inline scanner for code spans; everything
// outside code has '<' escaped as an entity and "![" made literal, which Qt's Markdown (md4c) then shows as text.
#include "markdown_text.h"

#include <QStringList>

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

// Escapes one line outside fenced blocks, leaving `code spans` alone.
QString escapeInline(const QString& line) {
    QString out;
    out.reserve(line.size() + 16);
    int i = 0;
    while (i < line.size()) {
        if (line[i] == u'`') {
            int ticks = 0;
            while (i + ticks < line.size() && line[i + ticks] == u'`') ++ticks;
            const QString delimiter(ticks, u'`');
            const int end = line.indexOf(delimiter, i + ticks);
            if (end >= 0) {
                out += line.mid(i, end + ticks - i);
                i = end + ticks;
                continue;
            }
            out += delimiter;
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
    return out.join(u'\n');
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
