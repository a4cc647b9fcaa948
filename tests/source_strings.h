// source_strings.h — finds the string literals of C++ and QML sources, and tells those marked for translation
// (inside tr(), translate(), qsTr(), …) from those that are not, for the translation tests.
#pragma once

#include <QString>
#include <QStringList>

namespace rctest {

enum class SourceLanguage { Cpp, Qml };

// One literal as the program sees it: adjacent C++ literals ("a" "b") are one, escapes resolved.
struct SourceLiteral {
    QString text;
    int line = 0;          // 1-based, where it starts
    bool marked = false;   // inside the arguments of a translation function
    bool ignored = false;  // inside a call that never reaches the user (qWarning, Q_ASSERT, QML_UNCREATABLE, …)
    QString before;        // the code just before it on its line, comments and other literals blanked
};

// Every literal of `code` outside comments.
QList<SourceLiteral> sourceLiterals(const QString& code, SourceLanguage language);

// The literals that read like text for the user but are not marked for translation, as "line: text".
//  C++: two words or more, not SQL (a keyword in capitals), not in `allowed`.
//  QML: the value of a text property (text, title, placeholderText, ToolTip.text, …), or anything that reads
//       like text (a space between words, or a capitalized word), except objectName and Shortcut sequences
//       and what is in `allowed`.
QStringList unmarkedUserStrings(const QString& code, SourceLanguage language, const QStringList& allowed);

// The literal arguments of each translation call (context, source, comment, as the call has them).
QList<QStringList> translationCalls(const QString& code, SourceLanguage language);

}  // namespace rctest
