// data_folder.h — DataFolder: the app's data folder. Opens the conversation database (a damaged one is kept aside
// with its states, a new one started and what can still be read salvaged into it), removes what nothing refers to
// any more (deleted conversations, orphaned state files), and names the state files that live beside the database
// in states/.
#pragma once

#include <QCoreApplication>
#include <QString>
#include <optional>

#include "conversation_store.h"
#include "database_salvage.h"

class DataFolder {
    Q_DECLARE_TR_FUNCTIONS(DataFolder)

  public:
    // Opens `directory`/conversations.sqlite3 (creating the folder, its states/ and the database as needed).
    explicit DataFolder(const QString& directory);
    DataFolder(const DataFolder&) = delete;
    DataFolder& operator=(const DataFolder&) = delete;

    // The database, or null if it could not be opened (storageError() says why; nothing is saved then).
    ConversationStore* store() { return m_store ? &*m_store : nullptr; }
    const ConversationStore* store() const { return m_store ? &*m_store : nullptr; }
    QString storageError() const { return m_storageError; }
    // What the user should hear about the opening (a damaged database set aside, what was recovered), or "";
    // translated when asked.
    QString openingNotice() const;
    // The damaged database kept aside at this start (conversations.sqlite3.corrupt-<time>), or "".
    QString keptDatabase() const { return m_keptDatabase; }
    // What was read back from it into the new database.
    SalvageReport salvaged() const { return m_salvaged; }

    // A new, unique name for a state file (what messages store), and where a named one lives.
    static QString newStateFileName();
    QString statePath(const QString& name) const;
    QString stateDirectory() const;

  private:
    void open();
    void recoverFrom(const QString& aside, const QString& damage);
    void removeOrphanStateFiles();

    QString m_directory;
    std::optional<ConversationStore> m_store;
    QString m_storageError;
    QString m_damage;  // why the database was set aside
    QString m_keptDatabase;
    SalvageReport m_salvaged;
};
