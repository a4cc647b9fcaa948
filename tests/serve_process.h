// serve_process.h — `rgemma serve` as a child process for tests: started on a free port with its own state folder,
// its first stdout line parsed for the URL, /health polled until the model is ready.
#pragma once

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <csignal>

#include "http_test_client.h"

namespace rctest {

class ServeProcess {
  public:
    // Starts `rgemma serve --model <demo> --port 0 --state-dir <tmp>` plus `extra`; false if no "listening" line.
    bool start(const QStringList& extra = {}) {
        QStringList args{QStringLiteral("serve"),
                         QStringLiteral("--model"),
                         QStringLiteral(RC_DEMO_MODEL_DIR),
                         QStringLiteral("--port"),
                         QStringLiteral("0"),
                         QStringLiteral("--state-dir"),
                         m_folder.filePath(QStringLiteral("states")),
                         QStringLiteral("--threads"),
                         QStringLiteral("1")};
        m_process.start(QStringLiteral(RC_RGEMMA_BIN), args + extra);
        if (!m_process.waitForStarted(10000)) return false;
        if (!spinUntil([this] { return m_process.canReadLine() || m_process.state() != QProcess::Running; }, 30000)) {
            return false;
        }
        firstLine = m_process.readLine();
        const auto match = QRegularExpression(QStringLiteral("^listening on http://([^ ]+):(\\d+)\\n$"))
                               .match(QString::fromUtf8(firstLine));
        if (!match.hasMatch()) return false;
        port = static_cast<quint16>(match.captured(2).toUInt());
        return true;
    }
    bool waitReady() {
        return spinUntil(
            [this] {
                const auto health = roundTrip(port, getRequest("/health"), 2000);
                return health && health->status == 200;
            },
            30000);
    }
    void signal(int number) { ::kill(static_cast<pid_t>(m_process.processId()), number); }
    // Exit status once it has exited, -1 on timeout (then it is killed).
    int waitExit(int timeoutMs = 30000) {
        if (!spinUntil([this] { return m_process.state() == QProcess::NotRunning; }, timeoutMs)) {
            m_process.kill();
            m_process.waitForFinished();
            return -1;
        }
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }
    QByteArray stderrText() { return m_err += m_process.readAllStandardError(); }
    QProcess& process() { return m_process; }
    ~ServeProcess() {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }

    QByteArray firstLine;
    quint16 port = 0;

  private:
    QTemporaryDir m_folder;
    QProcess m_process;
    QByteArray m_err;
};

}  // namespace rctest
