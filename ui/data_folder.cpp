// data_folder.cpp — opening and recovering the database, the start-up clean-up, and state-file names.
#include "data_folder.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSet>
#include <QUuid>

namespace {

const QString kDatabaseName = QStringLiteral("conversations.sqlite3");

// Renames a damaged database to <name>.corrupt-<UTC time>, with its WAL and shared-memory files (they belong to it:
// left behind, SQLite would replay that WAL into the new database). Returns the new name, or "" if any rename
// failed, in which case nothing more is touched.
QString setAsideDamagedDatabase(const QString& path) {
    const QString aside = path + QStringLiteral(".corrupt-") +
                          QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    for (const QString& suffix : {QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        if (QFile::exists(path + suffix) && !QFile::rename(path + suffix, aside + suffix)) return {};
    }
    return QFile::rename(path, aside) ? aside : QString();
}

}  // namespace

DataFolder::DataFolder(const QString& directory) : m_directory(directory) {
    QDir().mkpath(stateDirectory());
    open();
    if (!m_store) return;
    m_store->purgeDeleted();  // an undo is only offered within a session
    // Not after a damaged database was set aside: its states went with it, and whatever is left in states/ may
    // still be named by it (a states folder that could not be moved).
    if (m_keptDatabase.isEmpty()) removeOrphanStateFiles();
}

void DataFolder::open() {
    const QString databasePath = QDir(m_directory).filePath(kDatabaseName);
    const QString connection = QStringLiteral("chat-%1").arg(reinterpret_cast<quintptr>(this));
    QString error;
    ConversationStore::OpenError reason = ConversationStore::OpenError::None;
    m_store = ConversationStore::open(databasePath, connection, &error, &reason);
    if (!m_store &&
        (reason == ConversationStore::OpenError::NotADatabase || reason == ConversationStore::OpenError::Corrupt)) {
        // Damaged: kept aside (never deleted, never overwritten), and a new database started so the app works.
        const QString aside = setAsideDamagedDatabase(databasePath);
        if (!aside.isEmpty()) {
            const QString damage = error;
            m_store = ConversationStore::open(databasePath, connection, &error, &reason);
            if (m_store) recoverFrom(aside, damage);
        }
    }
    if (!m_store) {
        m_storageError = tr("Your conversations could not be opened: %1. The file was left untouched; nothing "
                            "will be saved until this is resolved.")
                             .arg(error);
    }
}

// The damaged file's states go with it to <aside>.states (one rename: the orphan sweep of later starts only looks
// in states/, so they are never taken for orphans of the new database); what the salvage read back takes its
// states back to states/.
void DataFolder::recoverFrom(const QString& aside, const QString& damage) {
    m_keptDatabase = aside;
    const QString statesAside = aside + QStringLiteral(".states");
    const bool statesMoved = QDir().rename(stateDirectory(), statesAside);
    QDir().mkpath(stateDirectory());
    m_salvaged = salvageDatabase(aside, *m_store);
    if (statesMoved) {
        const std::optional<QStringList> referenced = m_store->referencedStateFiles();
        for (const QString& name : referenced.value_or(QStringList())) {
            const QString from = QDir(statesAside).filePath(name);
            if (QFile::exists(from)) QFile::rename(from, statePath(name));
        }
    }
    m_damage = damage;
}

QString DataFolder::openingNotice() const {
    if (m_keptDatabase.isEmpty()) return {};
    const QString recovered = m_salvaged.conversations == 0
                                  ? tr("Nothing could be recovered from it.")
                                  : tr("%n conversation(s) could be recovered from it.", "", m_salvaged.conversations);
    QString damage = m_damage.trimmed();  // one sentence, whether or not its text ended in a full stop
    if (!damage.endsWith(u'.')) damage += u'.';
    return tr("The conversation database could not be read: %1 It was kept, unchanged, as %2, with its state files "
              "beside it, and a new database was started. %3")
        .arg(damage, QDir::toNativeSeparators(m_keptDatabase), recovered);
}

// State files no message names any more (their conversation was deleted and purged, the app was killed between
// saving a state and storing its reply) and the temporary files of saves killed half way: nothing will read them.
// Runs at start, before any reply, so no save is in flight; the single-instance lock keeps other copies out.
void DataFolder::removeOrphanStateFiles() {
    const std::optional<QStringList> referenced = m_store->referencedStateFiles();
    if (!referenced) return;
    const QSet<QString> keep(referenced->begin(), referenced->end());
    QDir states(stateDirectory());
    const QStringList candidates =
        states.entryList({QStringLiteral("*.rgstate"), QStringLiteral("*.rgstate.tmp-*")}, QDir::Files | QDir::Hidden);
    for (const QString& name : candidates) {
        if (!keep.contains(name)) QFile::remove(states.filePath(name));
    }
}

QString DataFolder::newStateFileName() {
    return QUuid::createUuid().toString(QUuid::WithoutBraces) + QStringLiteral(".rgstate");
}

QString DataFolder::statePath(const QString& name) const { return QDir(stateDirectory()).filePath(name); }

QString DataFolder::stateDirectory() const { return QDir(m_directory).filePath(QStringLiteral("states")); }
