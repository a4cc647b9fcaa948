// source_strings.cpp — a small lexer (comments, "…", '…', R"(…)") and the rules of source_strings.h.
#include "source_strings.h"

#include <QRegularExpression>

namespace rctest {

namespace {

bool isIdentifierChar(QChar c) { return c.isLetterOrNumber() || c == u'_'; }

struct Lexed {
    QString masked;  // the code with comments and literal contents blanked (newlines kept): for finding calls
    struct Raw {
        int begin = 0;  // offset of the opening quote (or R)
        int end = 0;    // one past the closing quote
        QString text;
    };
    QList<Raw> literals;
};

// The text of a literal's escapes: \n, \t, \", \' and \\ (all our sources use).
QString unescape(const QString& text) {
    QString out;
    for (int i = 0; i < text.size(); ++i) {
        if (text.at(i) != u'\\' || i + 1 == text.size()) {
            out += text.at(i);
            continue;
        }
        const QChar c = text.at(++i);
        out += c == u'n' ? QChar(u'\n') : c == u't' ? QChar(u'\t') : c;
    }
    return out;
}

// Skips a quoted literal starting at `i` (the quote); returns one past its end and its content.
int skipQuoted(const QString& code, int i, QString* text) {
    const QChar quote = code.at(i);
    int j = i + 1;
    while (j < code.size() && code.at(j) != quote && code.at(j) != u'\n') {
        if (code.at(j) == u'\\' && j + 1 < code.size()) {
            text->append(code.at(j));
            ++j;
        }
        text->append(code.at(j));
        ++j;
    }
    return std::min<int>(j + 1, code.size());
}

Lexed lex(const QString& code, SourceLanguage language) {
    Lexed out;
    out.masked = code;
    auto blank = [&](int from, int to) {
        for (int k = from; k < to; ++k) {
            if (out.masked.at(k) != u'\n') out.masked[k] = u' ';
        }
    };
    int i = 0;
    while (i < code.size()) {
        const QChar c = code.at(i);
        const QChar next = i + 1 < code.size() ? code.at(i + 1) : QChar();
        if (c == u'/' && next == u'/') {
            const int end = code.indexOf(u'\n', i);
            const int stop = end < 0 ? int(code.size()) : end;
            blank(i, stop);
            i = stop;
        } else if (c == u'/' && next == u'*') {
            const int end = code.indexOf(QStringLiteral("*/"), i + 2);
            const int stop = end < 0 ? int(code.size()) : end + 2;
            blank(i, stop);
            i = stop;
        } else if (language == SourceLanguage::Cpp && c == u'R' && next == u'"' &&
                   (i == 0 || !isIdentifierChar(code.at(i - 1)) || QStringLiteral("uLU8").contains(code.at(i - 1)))) {
            const int open = code.indexOf(u'(', i + 2);
            const QString delimiter = code.mid(i + 2, open - i - 2);
            const int close = code.indexOf(u')' + delimiter + u'"', open);
            const int stop = close < 0 ? int(code.size()) : close + int(delimiter.size()) + 2;
            out.literals.append({i, stop, code.mid(open + 1, close - open - 1)});
            blank(i + 1, stop);
            i = stop;
        } else if (c == u'"' || c == u'\'') {
            if (language == SourceLanguage::Cpp && c == u'\'' && i > 0 && code.at(i - 1).isDigit()) {
                ++i;  // a digit separator: 1'000
                continue;
            }
            // In C++ '…' is a character (u'x' included), skipped as a unit; in QML it is a string.
            QString text;
            const int stop = skipQuoted(code, i, &text);
            if (c == u'"' || language == SourceLanguage::Qml) out.literals.append({i, stop, unescape(text)});
            blank(i + 1, stop - 1);
            i = stop;
        } else {
            ++i;
        }
    }
    return out;
}

// The spans (open paren to close paren) of the calls to any of `names`.
QList<std::pair<int, int>> callSpans(const QString& masked, const QStringList& names) {
    QList<std::pair<int, int>> spans;
    static const QRegularExpression call(QStringLiteral("([A-Za-z_][A-Za-z0-9_]*)\\s*\\("));
    for (auto it = call.globalMatch(masked); it.hasNext();) {
        const auto match = it.next();
        if (!names.contains(match.captured(1))) continue;
        const int start = int(match.capturedStart(1));
        if (start > 0 && isIdentifierChar(masked.at(start - 1))) continue;
        int depth = 0;
        int k = int(match.capturedEnd(0)) - 1;
        for (; k < masked.size(); ++k) {
            if (masked.at(k) == u'(') ++depth;
            if (masked.at(k) == u')' && --depth == 0) break;
        }
        spans.append({int(match.capturedEnd(0)) - 1, k});
    }
    return spans;
}

bool inside(const QList<std::pair<int, int>>& spans, int offset) {
    return std::any_of(spans.begin(), spans.end(), [offset](auto s) { return offset > s.first && offset < s.second; });
}

const QStringList kCppTranslate = {QStringLiteral("tr"), QStringLiteral("translate"), QStringLiteral("QT_TR_NOOP"),
                                   QStringLiteral("QT_TRANSLATE_NOOP"), QStringLiteral("QT_TR_N_NOOP")};
const QStringList kQmlTranslate = {QStringLiteral("qsTr"), QStringLiteral("qsTranslate"), QStringLiteral("qsTrId"),
                                   QStringLiteral("QT_TR_NOOP"), QStringLiteral("QT_TRANSLATE_NOOP")};
// Calls whose strings never reach the user: logs, assertions, type registration for QML.
const QStringList kCppIgnored = {QStringLiteral("qDebug"),      QStringLiteral("qInfo"),
                                 QStringLiteral("qWarning"),    QStringLiteral("qCritical"),
                                 QStringLiteral("qFatal"),      QStringLiteral("Q_ASSERT"),
                                 QStringLiteral("Q_ASSERT_X"),  QStringLiteral("QML_UNCREATABLE"),
                                 QStringLiteral("Q_CLASSINFO"), QStringLiteral("QML_NAMED_ELEMENT")};

}  // namespace

QList<SourceLiteral> sourceLiterals(const QString& code, SourceLanguage language) {
    const Lexed lexed = lex(code, language);
    const auto marked = callSpans(lexed.masked, language == SourceLanguage::Cpp ? kCppTranslate : kQmlTranslate);
    const auto ignored =
        language == SourceLanguage::Cpp ? callSpans(lexed.masked, kCppIgnored) : QList<std::pair<int, int>>{};
    QList<SourceLiteral> literals;
    int previousEnd = -1;
    for (const auto& raw : lexed.literals) {
        const bool adjacent = language == SourceLanguage::Cpp && previousEnd >= 0 &&
                              lexed.masked.mid(previousEnd, raw.begin - previousEnd).trimmed().isEmpty();
        previousEnd = raw.end;
        if (adjacent) {
            literals.last().text += raw.text;
            continue;
        }
        const int lineStart = int(lexed.masked.lastIndexOf(u'\n', raw.begin)) + 1;
        SourceLiteral literal;
        literal.text = raw.text;
        literal.line = int(code.left(raw.begin).count(u'\n')) + 1;
        literal.marked = inside(marked, raw.begin);
        literal.ignored = inside(ignored, raw.begin) || lexed.masked.mid(lineStart).trimmed().startsWith(u'#');
        literal.before = lexed.masked.mid(lineStart, raw.begin - lineStart);
        literals.append(literal);
    }
    return literals;
}

QStringList unmarkedUserStrings(const QString& code, SourceLanguage language, const QStringList& allowed) {
    static const QRegularExpression twoWords(QStringLiteral("\\p{L}{2,}\\s+\\p{L}{2,}"));
    static const QRegularExpression sql(
        QStringLiteral("\\b(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|PRAGMA|WHERE|FROM|IS NULL|IS NOT NULL)\\b"));
    static const QRegularExpression textProperty(
        QStringLiteral("\\b(text|title|placeholderText|ToolTip\\.text|label|description|displayText)\\s*:\\s*$"));
    static const QRegularExpression technicalProperty(QStringLiteral("\\b(objectName|sequence)\\s*:\\s*$"));
    static const QRegularExpression readsLikeText(QStringLiteral("\\p{L}{2,}\\s+\\p{L}|^\\p{Lu}\\p{Ll}"));
    static const QRegularExpression anyLetter(QStringLiteral("\\p{L}"));
    QStringList found;
    for (const SourceLiteral& literal : sourceLiterals(code, language)) {
        if (literal.marked || literal.ignored || allowed.contains(literal.text)) continue;
        bool user = false;
        if (language == SourceLanguage::Cpp) {
            user = literal.text.contains(twoWords) && !literal.text.contains(sql);
        } else if (!technicalProperty.match(literal.before).hasMatch() &&
                   !literal.before.trimmed().startsWith(QStringLiteral("import"))) {
            user = literal.text.contains(anyLetter) &&
                   (textProperty.match(literal.before).hasMatch() || literal.text.contains(readsLikeText));
        }
        if (user) found << QStringLiteral("%1: %2").arg(literal.line).arg(literal.text);
    }
    return found;
}

QList<QStringList> translationCalls(const QString& code, SourceLanguage language) {
    const Lexed lexed = lex(code, language);
    const auto spans = callSpans(lexed.masked, language == SourceLanguage::Cpp ? kCppTranslate : kQmlTranslate);
    QList<QStringList> calls;
    for (const auto& span : spans) {
        QStringList parts;
        int previousEnd = -1;
        for (const auto& raw : lexed.literals) {
            if (raw.begin <= span.first || raw.begin >= span.second) continue;
            const bool adjacent =
                previousEnd >= 0 && lexed.masked.mid(previousEnd, raw.begin - previousEnd).trimmed().isEmpty();
            if (adjacent) {
                parts.last() += raw.text;
            } else {
                parts << raw.text;
            }
            previousEnd = raw.end;
        }
        calls << parts;
    }
    return calls;
}

}  // namespace rctest
