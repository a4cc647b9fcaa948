// data_folder.h — DataFolder: the app's data folder. Opens the conversation database (a damaged one is kept aside
// and a new one started), removes what nothing refers to any more (deleted conversations, orphaned state files),
// and names the state files that live beside the database in states/.
#pragma once

#include <QCoreApplication>
#include <QString>
#include <optional>

#include "conversation_store.h"

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
    // What the user should hear about the opening (a damaged database set aside), or "".
    QString openingNotice() const { return m_openingNotice; }

    // A new, unique name for a state file (what messages store), and where a named one lives.
    static QString newStateFileName();
    QString statePath(const QString& name) const;
    QString stateDirectory() const;

  private:
    void open();
    void removeOrphanStateFiles();

    QString m_directory;
    std::optional<ConversationStore> m_store;
    QString m_storageError;
    QString m_openingNotice;
};
