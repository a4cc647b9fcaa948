// markdown_text.h — making model output safe to show as Markdown, and pulling code out of it.
#pragma once

#include <QString>

// The text with everything outside code spans and fenced code blocks made inert for Qt's Markdown renderer:
// raw HTML is escaped (no tags, no scripts, no styles) and images become plain links (nothing is fetched).
// Code keeps its characters verbatim.
QString renderableMarkdown(const QString& markdown);

// The contents of every fenced code block (``` or ~~~), joined by a blank line; "" if there is none.
QString codeBlocks(const QString& markdown);
