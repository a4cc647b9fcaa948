// file_bytes.h — a file's whole contents, read or (re)written, for tests that damage files on purpose.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTest>

namespace rctest {

// The file's bytes; empty if it cannot be read.
inline QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Replaces the file's contents with `bytes` (a test failure if that cannot be done).
inline void writeAll(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

}  // namespace rctest
