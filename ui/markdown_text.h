// markdown_text.h — making model output safe to show as Markdown, and pulling code out of it.
#pragma once

#include <QString>

// The text with everything outside code spans and fenced code blocks made inert for Qt's Markdown renderer:
// raw HTML is escaped (no tags, no scripts, no styles) and images become plain links (nothing is fetched).
// Code keeps its characters verbatim.
QString renderableMarkdown(const QString& markdown);

// Longer messages are shown as plain text: Qt's Markdown importer takes time quadratic in a paragraph's length
// (measured on Qt 6.4: 100,000 characters of soft-wrapped lines, 0.5 s; with code spans, 2 s; a megabyte, minutes).
inline constexpr qsizetype kMaxMarkdownLength = 32 * 1024;
inline bool rendersAsMarkdown(const QString& text) { return text.size() <= kMaxMarkdownLength; }

// What the reader of `markdown` sees, as plain text: headings, emphasis, code and link marks left out, HTML kept as
// the characters typed. Reads only the first `maxLength` characters (the importer is slow on long paragraphs).
QString plainTextOf(const QString& markdown, qsizetype maxLength = 1024);

// The contents of every fenced code block (``` or ~~~), joined by a blank line; "" if there is none.
QString codeBlocks(const QString& markdown);
