// test_hub_token_store — the Hugging Face token the app keeps: in a file only the user can read (0600, even under a
// permissive umask) where no keyring runs, found again by the next start, removed on request; without a keyring
// service the store says it uses the file; and net/hub's rules for which token is sent ($HF_TOKEN and
// huggingface-cli's token file when none is stored). Never touches a real keyring: the keyring probe is pointed at a
// D-Bus address that does not exist.
#include <sys/stat.h>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "hub_locations.h"
#include "hub_token_store.h"

namespace {

int fileMode(const QString& path) {
    struct stat info {};
    if (::stat(QFile::encodeName(path).constData(), &info) != 0) return -1;
    return int(info.st_mode & 07777);
}

}  // namespace

class TestHubTokenStore : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;

  private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        for (const char* name : {"HF_TOKEN", "HF_TOKEN_PATH", "DISPLAY", "WAYLAND_DISPLAY"}) qunsetenv(name);
        qputenv("HF_HOME", m_home.filePath("hf-home").toUtf8());
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/rc-test-bus");
    }

    void storesInAFileOnlyTheUserReads() {
        QTemporaryDir config;
        const mode_t previous = ::umask(0);  // the file must not depend on the user's umask
        {
            HubTokenStore store(config.path(), false);
            QCOMPARE(store.backend(), HubTokenStore::Backend::File);
            QVERIFY(!store.hasStoredToken());
            QVERIFY(store.storageText().contains(store.fileName()));
            store.setToken(QStringLiteral("  hf_secret \n"));
            QCOMPARE(store.token(), QStringLiteral("hf_secret"));
            QCOMPARE(fileMode(store.fileName()), 0600);
            QFile file(store.fileName());
            QVERIFY(file.open(QIODevice::ReadOnly));
            QCOMPARE(file.readAll(), QByteArray("hf_secret\n"));
            // No stray temporary file is left readable beside it.
            QCOMPARE(QDir(config.path()).entryList(QDir::Files), QStringList{QStringLiteral("huggingface-token")});
        }
        ::umask(previous);
        HubTokenStore again(config.path(), false);
        QCOMPARE(again.token(), QStringLiteral("hf_secret"));
        QCOMPARE(hub::findToken(again.token()).source, hub::TokenSource::Given);
        QVERIFY(again.activeTokenText().contains(QStringLiteral("stored here")));
        again.clear();
        QVERIFY(!QFile::exists(again.fileName()));
        QVERIFY(!HubTokenStore(config.path(), false).hasStoredToken());
    }

    // Where no keyring service answers, the probe ends in the file, and says so.
    void withoutAKeyringServiceUsesTheFile() {
        QTemporaryDir config;
        HubTokenStore store(config.path(), true);
        QTRY_COMPARE_WITH_TIMEOUT(store.backend(), HubTokenStore::Backend::File, 20000);
        QVERIFY(store.ready());
        QVERIFY(store.storageText().contains(QStringLiteral("No keyring service")));
        store.setToken(QStringLiteral("hf_abc"));
        QCOMPARE(fileMode(store.fileName()), 0600);
    }

    // Nothing stored: $HF_TOKEN, else the file huggingface-cli login writes, are what downloads send.
    void honoursTheEnvironmentAndHuggingfaceCli() {
        QTemporaryDir config;
        HubTokenStore store(config.path(), false);
        QVERIFY(store.activeTokenText().contains(QStringLiteral("No token")));
        QVERIFY(QDir().mkpath(m_home.filePath("hf-home")));
        QFile cliToken(m_home.filePath("hf-home/token"));
        QVERIFY(cliToken.open(QIODevice::WriteOnly) && cliToken.write("hf_cli\n") > 0);
        cliToken.close();
        QVERIFY(store.activeTokenText().contains(QStringLiteral("huggingface-cli")));
        QCOMPARE(hub::findToken(store.token()).value, QStringLiteral("hf_cli"));
        qputenv("HF_TOKEN", "hf_env");
        QVERIFY(store.activeTokenText().contains(QStringLiteral("HF_TOKEN")));
        QCOMPARE(hub::findToken(store.token()).value, QStringLiteral("hf_env"));
        store.setToken(QStringLiteral("hf_mine"));  // the app's own token comes first
        QCOMPARE(hub::findToken(store.token()).value, QStringLiteral("hf_mine"));
        qunsetenv("HF_TOKEN");
        QFile::remove(cliToken.fileName());
    }

    // A config "folder" that is a file (so not even root can write there): the token is not taken, and the
    // failure says where.
    void reportsAFailedWrite() {
        QTemporaryDir config;
        QFile blocker(config.filePath("not-a-folder"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        HubTokenStore store(blocker.fileName(), false);
        QSignalSpy failed(&store, &HubTokenStore::failed);
        store.setToken(QStringLiteral("hf_x"));
        QCOMPARE(failed.size(), 1);
        QVERIFY(failed.first().first().toString().contains(store.fileName()));
        QVERIFY(!store.hasStoredToken());
    }
};

QTEST_GUILESS_MAIN(TestHubTokenStore)
#include "test_hub_token_store.moc"
