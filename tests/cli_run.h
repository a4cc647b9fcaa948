// cli_run.h — running the rgemma binary from a test as a script would: arguments, stdin, exit status, output.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTest>
#include <vector>

#include "rgemma/tokenizer.h"

namespace rctest {

struct CliRun {
    int exitCode = -1;
    bool crashed = false;
    QByteArray out;
    QByteArray err;
};

inline CliRun runCli(const QStringList& args, const QByteArray& input = {}, int timeoutMs = 60000) {
    QProcess process;
    process.start(QStringLiteral(RC_RGEMMA_BIN), args);
    CliRun run;
    if (!process.waitForStarted(10000)) {
        run.crashed = true;
        return run;
    }
    process.write(input);
    process.closeWriteChannel();  // chat must see end of input and finish
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        run.crashed = true;
    }
    run.crashed = run.crashed || process.exitStatus() != QProcess::NormalExit;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

// A runtime failure: exit 1 and exactly one "error: ..." line (containing `expected`, if given), no crash.
inline void expectRuntimeError(const CliRun& run, const char* expected = nullptr) {
    QVERIFY(!run.crashed);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.startsWith("error: "), run.err.constData());
    QCOMPARE(run.err.count('\n'), 1);
    if (expected) QVERIFY2(run.err.contains(expected), run.err.constData());
}

// A usage mistake: exit 2, an "error: ..." line pointing to --help, nothing on stdout, no crash.
inline void expectUsageError(const CliRun& run) {
    QVERIFY(!run.crashed);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.startsWith("error: "), run.err.constData());
    QVERIFY2(run.err.contains("--help"), run.err.constData());
    QVERIFY(run.out.isEmpty());
}

inline QString joinIds(const std::vector<rgemma::TokenId>& ids) {
    QStringList parts;
    for (rgemma::TokenId id : ids) parts << QString::number(id);
    return parts.join(u',');
}

// "1,2,3\n" -> [1, 2, 3]; "\n" -> [].
inline std::vector<rgemma::TokenId> parseIdLine(const QByteArray& out) {
    std::vector<rgemma::TokenId> ids;
    const QByteArray line = out.trimmed();
    if (line.isEmpty()) return ids;
    for (const QByteArray& part : line.split(',')) ids.push_back(part.toInt());
    return ids;
}

}  // namespace rctest
