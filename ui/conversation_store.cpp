// ui/conversation_store.cpp — ConversationStore: opening and checking the SQLite file, migrating it (the steps
// are in conversation_schema.h), the connection's lifetime and the helpers every query runs through. The queries
// behind the API are in conversation_queries.cpp.
#include "conversation_store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>
#include <utility>

#include "conversation_schema.h"
#include "conversation_store_sql.h"

namespace {

using conversation_schema::Migration;
using conversation_schema::migrations;

constexpr int kSqliteNotADatabase = 26;  // SQLITE_NOTADB, as QSqlError::nativeErrorCode() reports it

}  // namespace

ConversationStore::ConversationStore(QString connectionName) : m_connectionName(std::move(connectionName)) {
    QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
}

ConversationStore::ConversationStore(ConversationStore&& other) noexcept
    : m_connectionName(std::exchange(other.m_connectionName, QString())),
      m_lastStamp(other.m_lastStamp),
      m_lastError(std::move(other.m_lastError)) {}

ConversationStore& ConversationStore::operator=(ConversationStore&& other) noexcept {
    if (this == &other) return *this;
    closeConnection();
    m_connectionName = std::exchange(other.m_connectionName, QString());
    m_lastStamp = other.m_lastStamp;
    m_lastError = std::move(other.m_lastError);
    return *this;
}

ConversationStore::~ConversationStore() { closeConnection(); }

void ConversationStore::closeConnection() {
    if (m_connectionName.isEmpty()) return;  // moved from
    QSqlDatabase::database(m_connectionName, false).close();
    QSqlDatabase::removeDatabase(std::exchange(m_connectionName, QString()));
}

int ConversationStore::schemaVersion() { return migrations().constLast().version; }

QString ConversationStore::roleName(MessageRole role) {
    return role == MessageRole::Model ? QStringLiteral("model") : QStringLiteral("user");
}

QSqlDatabase ConversationStore::database() const { return QSqlDatabase::database(m_connectionName, false); }

std::optional<ConversationStore> ConversationStore::open(const QString& path, const QString& connectionName,
                                                         QString* error, OpenError* reason) {
    if (reason) *reason = OpenError::None;
    if (QSqlDatabase::contains(connectionName)) {
        if (error) *error = tr("The database connection “%1” is already open.").arg(connectionName);
        if (reason) *reason = OpenError::CannotOpen;
        return std::nullopt;
    }
    ConversationStore store(connectionName);  // its destructor drops the connection if we refuse
    if (!store.checkAndConfigure(path, error, reason) || !store.migrate(error, reason)) return std::nullopt;
    return std::optional<ConversationStore>(std::move(store));
}

// Everything here only reads until the file is known to be a healthy database of a version we understand: a
// refused file must stay byte-identical, so the user (or a newer app) still has it.
bool ConversationStore::checkAndConfigure(const QString& path, QString* error, OpenError* reason) {
    const auto refuse = [&](OpenError why, const QString& text) {
        if (error) *error = text;
        if (reason) *reason = why;
        return false;
    };
    QFile file(path);
    if (file.exists() && file.size() > 0) {
        // SQLite takes a garbage file shorter than a page for an empty database and would overwrite it.
        if (!file.open(QIODevice::ReadOnly))
            return refuse(OpenError::CannotOpen, tr("Cannot read %1: %2").arg(path, file.errorString()));
        if (file.read(16) != QByteArray("SQLite format 3", 16))
            return refuse(OpenError::NotADatabase, tr("%1 is not a conversation database.").arg(path));
        file.close();
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    // An existing file is checked through a read-only connection: closing a read-write one checkpoints the WAL into
    // the file, which would change a damaged file we then keep aside (and write into its damaged pages). The
    // read-only connection leaves the -wal and -shm it had to create; a refused file gets rid of them again.
    const bool existing = file.exists() && file.size() > 0;
    QStringList created;
    for (const QString& suffix : {QStringLiteral("-wal"), QStringLiteral("-shm")})
        if (!QFile::exists(path + suffix)) created << path + suffix;
    QSqlDatabase db = database();
    db.setDatabaseName(path);
    db.setConnectOptions(existing ? QStringLiteral("QSQLITE_OPEN_READONLY") : QString());
    if (!db.open()) return refuse(OpenError::CannotOpen, tr("Cannot open %1: %2").arg(path, db.lastError().text()));
    OpenError problem = OpenError::None;
    QString problemText;
    checkReadable(path, &problem, &problemText);
    if (problem != OpenError::None) {
        db.close();
        if (existing)
            for (const QString& leftover : created) QFile::remove(leftover);
        return refuse(problem, problemText);
    }
    if (existing) {  // healthy: now for writing
        db.close();
        db.setConnectOptions(QString());
        if (!db.open()) return refuse(OpenError::CannotOpen, tr("Cannot open %1: %2").arg(path, db.lastError().text()));
    }

    QSqlQuery q(db);
    // WAL: readers never block the writer and a crash mid-write leaves the last commit intact. synchronous=FULL
    // also syncs the WAL at each commit, so a power cut cannot take back a turn the user saw saved; we commit a
    // few times per turn, so the fsync costs nothing the user can notice (NORMAL would only save those fsyncs).
    for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=FULL"}) {
        if (!q.exec(QLatin1String(pragma)))
            return refuse(OpenError::CannotOpen, tr("Cannot configure %1: %2").arg(path, q.lastError().text()));
    }
    return true;
}

// Whether the open file (at `path`) is a healthy database of a schema this build knows; if not, why.
void ConversationStore::checkReadable(const QString& path, OpenError* problem, QString* text) const {
    QSqlQuery q(database());
    if (!q.exec(QStringLiteral("PRAGMA quick_check"))) {
        const bool notADatabase = q.lastError().nativeErrorCode().toInt() == kSqliteNotADatabase;
        *problem = notADatabase ? OpenError::NotADatabase : OpenError::Corrupt;
        *text = tr("%1 is damaged: %2").arg(path, q.lastError().text());
        return;
    }
    QStringList problems;
    while (q.next()) problems << q.value(0).toString();
    if (problems != QStringList{QStringLiteral("ok")}) {
        *problem = OpenError::Corrupt;
        *text = tr("%1 is damaged: %2").arg(path, problems.join(u'\n'));
        return;
    }
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next()) {
        *problem = OpenError::Corrupt;
        *text = tr("%1 is damaged: %2").arg(path, q.lastError().text());
        return;
    }
    const int version = q.value(0).toInt();
    if (version > schemaVersion()) {
        *problem = OpenError::TooNew;
        *text = tr("%1 was written by a newer version of Recurrent Chat (schema %2; this version knows up to %3). "
                   "Update the app to open it.")
                    .arg(path)
                    .arg(version)
                    .arg(schemaVersion());
    }
}

bool ConversationStore::migrate(QString* error, OpenError* reason) {
    QSqlQuery q(database());
    const int version = q.exec(QStringLiteral("PRAGMA user_version")) && q.next() ? q.value(0).toInt() : -1;
    q.finish();
    for (const Migration& step : migrations()) {
        if (step.version <= version) continue;
        // user_version is part of the database header, so setting it inside the transaction makes the step atomic.
        const bool done = inTransaction([&] {
            QSqlQuery s(database());
            for (const QString& statement : step.statements)
                if (!exec(s, statement)) return false;
            return exec(s, QStringLiteral("PRAGMA user_version = %1").arg(step.version));
        });
        if (!done) {
            if (error)
                *error =
                    tr("Cannot upgrade the conversation database to schema %1: %2").arg(step.version).arg(m_lastError);
            if (reason) *reason = OpenError::MigrationFailed;
            return false;
        }
    }
    return true;
}

// Strictly increasing within a session, so that "most recently updated first" is a total order even when several
// writes land in the same millisecond.
qint64 ConversationStore::nextTimestamp() {
    m_lastStamp = std::max(QDateTime::currentMSecsSinceEpoch(), m_lastStamp + 1);
    return m_lastStamp;
}

bool ConversationStore::exec(QSqlQuery& query, const QString& sql, const QVariantList& values) const {
    query.setForwardOnly(true);
    if (!query.prepare(sql)) return fail(tr("Database error: %1").arg(query.lastError().text()));
    for (const QVariant& value : values) query.addBindValue(value);
    if (!query.exec()) return fail(tr("Database error: %1").arg(query.lastError().text()));
    return true;
}

bool ConversationStore::fail(const QString& message) const {
    m_lastError = message;
    return false;
}

// Runs one UPDATE/DELETE that must change at least one row, in its own transaction; `missing` is the error if
// it changes none.
bool ConversationStore::updateOne(const QString& sql, const QVariantList& values, const QString& missing) {
    return inTransaction([&] {
        QSqlQuery q(database());
        if (!exec(q, sql, values)) return false;
        return q.numRowsAffected() > 0 || fail(missing);
    });
}
