// test_desktop_integration.cpp — what a desktop and a package see of the app: one instance per user (a second
// launch hands over and exits; a crashed instance's lock is taken over), --help and --version, the desktop entry
// and AppStream metainfo as their validators see them, and the files an install puts in the standard places.
#include <QDirIterator>
#include <QLocalServer>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "single_instance.h"

namespace {

const QString kAppId = QStringLiteral("io.github.recurrentchat.RecurrentChat");

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run run(const QString& program, const QStringList& args, const QProcessEnvironment& env = {}, int timeoutMs = 60000) {
    QProcess process;
    if (!env.isEmpty()) process.setProcessEnvironment(env);
    process.start(program, args);
    Run result;
    if (!process.waitForStarted(10000)) {
        result.err = QStringLiteral("cannot start ") + program;
        return result;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        result.err = QStringLiteral("timed out");
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

}  // namespace

class TestDesktopIntegration : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;

    // The environment of a user whose XDG folders are all in `home`, the messages in English.
    QProcessEnvironment userEnvironment(const QString& home) const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_home.path());
        env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
        env.remove(QStringLiteral("LANGUAGE"));
        return env;
    }

  private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());  // mode 0700, as a runtime folder must be
        qputenv("XDG_RUNTIME_DIR", m_home.path().toUtf8());
    }

    void singleInstanceLocksAndActivates() {
        QTemporaryDir data;
        SingleInstance first(data.path());
        QVERIFY(first.tryLock());
        SingleInstance second(data.path());
        QVERIFY(!second.tryLock());
        QCOMPARE(second.runningProcessId(), QCoreApplication::applicationPid());
        QSignalSpy activated(&first, &SingleInstance::activationRequested);
        QVERIFY(second.activateRunning());
        QVERIFY(activated.wait(5000));
        // Another data folder is another instance.
        QTemporaryDir otherData;
        SingleInstance other(otherData.path());
        QVERIFY(other.tryLock());
        QVERIFY(other.socketPath() != first.socketPath());
    }

    // The real binary: a second launch says so and exits 0 while the first runs; after the first is killed, its
    // lock is stale and a new launch starts normally.
    void secondLaunchHandsOverAndCrashLockIsTakenOver() {
        const QString home = m_home.filePath(QStringLiteral("instance"));
        const QProcessEnvironment env = userEnvironment(home);
        const QStringList model = {QStringLiteral("--model"), QStringLiteral(RC_TEST_DATA_DIR "/tiny-f32")};
        QProcess first;
        first.setProcessEnvironment(env);
        first.start(QStringLiteral(RC_APP_BIN), QStringList(model)
                                                    << QStringLiteral("--quit-after-ms") << QStringLiteral("60000"));
        const QString lock = home + QStringLiteral("/data/recurrent-chat/recurrent-chat.lock");
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(lock), 30000);

        const Run second = run(QStringLiteral(RC_APP_BIN),
                               QStringList(model) << QStringLiteral("--quit-after-ms") << QStringLiteral("10000"), env);
        QCOMPARE(second.exitCode, 0);
        QVERIFY2(second.err.contains(QStringLiteral("already running; its window was brought to the front")),
                 qPrintable(second.err));
        QCOMPARE(first.state(), QProcess::Running);

        first.kill();  // a crash: the lock file stays behind
        QVERIFY(first.waitForFinished(10000));
        QVERIFY(QFile::exists(lock));
        const Run third = run(QStringLiteral(RC_APP_BIN),
                              QStringList(model) << QStringLiteral("--quit-after-ms") << QStringLiteral("1000"), env);
        QCOMPARE(third.exitCode, 0);
        QVERIFY2(!third.err.contains(QStringLiteral("already running")), qPrintable(third.err));
        QVERIFY(!QFile::exists(lock));  // released at exit
    }

    void helpAndVersion() {
        const QString home = m_home.filePath(QStringLiteral("help"));
        QProcessEnvironment env = userEnvironment(home);
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));  // no display needed
        const Run help = run(QStringLiteral(RC_APP_BIN), {QStringLiteral("--help")}, env);
        QCOMPARE(help.exitCode, 0);
        for (const char* expected : {"--model <dir>", "--quit-after-ms <ms>", "--version", "--help",
                                     "$XDG_DATA_HOME/recurrent-chat", "brings its window to the front"}) {
            QVERIFY2(help.out.contains(QLatin1String(expected)), expected);
        }
        const Run version = run(QStringLiteral(RC_APP_BIN), {QStringLiteral("--version")}, env);
        QCOMPARE(version.exitCode, 0);
        QCOMPARE(version.out.trimmed(), QStringLiteral("recurrent-chat " RC_VERSION));

        // --help speaks the language chosen in the preferences.
        QDir().mkpath(home + QStringLiteral("/config/recurrent-chat"));
        QFile settings(home + QStringLiteral("/config/recurrent-chat/settings.ini"));
        QVERIFY(settings.open(QIODevice::WriteOnly));
        settings.write("[ui]\nlanguage=de\n");
        settings.close();
        const Run german = run(QStringLiteral(RC_APP_BIN), {QStringLiteral("--help")}, env);
        QVERIFY2(german.out.contains(QStringLiteral("--model <ordner>")), qPrintable(german.out));

        const Run cli = run(QStringLiteral(RC_RGEMMA_BIN), {QStringLiteral("--help")});
        QCOMPARE(cli.exitCode, 0);
        QVERIFY(cli.out.contains(QStringLiteral("usage: rgemma")));
        QCOMPARE(run(QStringLiteral(RC_RGEMMA_BIN), {QStringLiteral("--version")}).exitCode, 0);
    }

    void desktopEntryIsValid() {
        const Run check = run(QStringLiteral(RC_DESKTOP_FILE_VALIDATE),
                              {QStringLiteral(RC_SOURCE_DIR "/resources/") + kAppId + QStringLiteral(".desktop")});
        QVERIFY2(check.exitCode == 0 && check.out.isEmpty() && check.err.isEmpty(), qPrintable(check.out + check.err));
    }

    void metainfoIsValid() {
        const Run check = run(QStringLiteral(RC_APPSTREAMCLI),
                              {QStringLiteral("validate"), QStringLiteral("--no-net"), QStringLiteral("--explain"),
                               QStringLiteral(RC_SOURCE_DIR "/packaging/") + kAppId + QStringLiteral(".metainfo.xml")});
        QVERIFY2(check.exitCode == 0, qPrintable(check.out + check.err));
        QVERIFY2(!check.out.contains(QStringLiteral("W: ")) && !check.out.contains(QStringLiteral("E: ")),
                 qPrintable(check.out));
    }

    // `cmake --install` into a staging folder (DESTDIR, as packagers do): the binaries, the desktop entry and
    // metainfo, the icons in the hicolor theme, the man pages; the installed entry names what was installed.
    void installPutsFilesInStandardPlaces() {
        const QString stage = m_home.filePath(QStringLiteral("stage"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DESTDIR"), stage);
        const Run install = run(QStringLiteral(RC_CMAKE),
                                {QStringLiteral("--install"), QStringLiteral(RC_BINARY_DIR), QStringLiteral("--prefix"),
                                 QStringLiteral("/usr")},
                                env, 120000);
        QVERIFY2(install.exitCode == 0, qPrintable(install.out + install.err));
        QStringList expected = {
            QStringLiteral("/usr/bin/recurrent-chat"),
            QStringLiteral("/usr/bin/rgemma"),
            QStringLiteral("/usr/share/applications/") + kAppId + QStringLiteral(".desktop"),
            QStringLiteral("/usr/share/metainfo/") + kAppId + QStringLiteral(".metainfo.xml"),
            QStringLiteral("/usr/share/icons/hicolor/scalable/apps/") + kAppId + QStringLiteral(".svg"),
            QStringLiteral("/usr/share/man/man1/recurrent-chat.1.gz"),
            QStringLiteral("/usr/share/man/man1/rgemma.1.gz"),
        };
        for (int size : {16, 32, 48, 64, 128, 256})
            expected << QStringLiteral("/usr/share/icons/hicolor/%1x%1/apps/").arg(size) + kAppId +
                            QStringLiteral(".png");
        for (const QString& path : expected) QVERIFY2(QFileInfo::exists(stage + path), qPrintable(path));
        QVERIFY(QFileInfo(stage + QStringLiteral("/usr/bin/recurrent-chat")).isExecutable());

        const QString desktop =
            stage + QStringLiteral("/usr/share/applications/") + kAppId + QStringLiteral(".desktop");
        QCOMPARE(run(QStringLiteral(RC_DESKTOP_FILE_VALIDATE), {desktop}).exitCode, 0);
        QSettings entry(desktop, QSettings::IniFormat);
        entry.beginGroup(QStringLiteral("Desktop Entry"));
        QCOMPARE(entry.value(QStringLiteral("Icon")).toString(), kAppId);
        QVERIFY(QFileInfo::exists(stage + QStringLiteral("/usr/bin/") +
                                  entry.value(QStringLiteral("Exec")).toString().section(u' ', 0, 0)));
    }

    // The man pages render without a warning.
    void manPagesRender() {
        const QString groff = QStandardPaths::findExecutable(QStringLiteral("groff"));
        if (groff.isEmpty()) QSKIP("groff is not installed");
        for (const char* page : {"recurrent-chat.1", "rgemma.1"}) {
            const Run render = run(groff, {QStringLiteral("-man"), QStringLiteral("-ww"), QStringLiteral("-z"),
                                           QStringLiteral(RC_SOURCE_DIR "/packaging/") + QLatin1String(page)});
            QVERIFY2(render.exitCode == 0 && render.err.isEmpty(), qPrintable(QLatin1String(page) + render.err));
        }
    }
};

QTEST_GUILESS_MAIN(TestDesktopIntegration)
#include "test_desktop_integration.moc"
