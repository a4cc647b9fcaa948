// ui/conversation_schema.h — the conversation database's schema, as the ordered list of steps that build it
// (used only by conversation_store.cpp). Steps are only ever appended; a released step is never edited, because
// databases in the wild were made by it. user_version holds the number of the last step applied.
#pragma once

#include <QList>
#include <QStringList>

namespace conversation_schema {

// One step: the statements that take a database from `version - 1` to `version`, run in one transaction.
struct Migration {
    int version;
    QStringList statements;
};

inline const QList<Migration>& migrations() {
    static const QList<Migration> steps = {
        {1,
         {
             R"(CREATE TABLE conversations (
                    id INTEGER PRIMARY KEY,
                    title TEXT NOT NULL DEFAULT '',
                    system_prompt TEXT NOT NULL DEFAULT '',
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    current_leaf_id INTEGER))",
             R"(CREATE TABLE messages (
                    id INTEGER PRIMARY KEY,
                    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
                    parent_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
                    role TEXT NOT NULL CHECK (role IN ('user', 'model')),
                    content TEXT NOT NULL DEFAULT '',
                    tokens BLOB,
                    created_at INTEGER NOT NULL,
                    state_file TEXT NOT NULL DEFAULT '',
                    model_fingerprint TEXT NOT NULL DEFAULT '',
                    stop_reason TEXT NOT NULL DEFAULT ''))",
             "CREATE INDEX conversations_by_updated ON conversations(updated_at DESC, id DESC)",
             // Children by parent; also what the parent_id cascade looks up (without it a purge is quadratic).
             "CREATE INDEX messages_by_parent ON messages(parent_id, created_at)",
             // The conversation_id cascade, the roots of a conversation and the content search.
             "CREATE INDEX messages_by_conversation ON messages(conversation_id)",
         }},
        // Soft delete, so the UI can undo a deletion; the list index only covers live conversations.
        {2,
         {
             "ALTER TABLE conversations ADD COLUMN deleted_at INTEGER",
             "DROP INDEX conversations_by_updated",
             "CREATE INDEX live_conversations_by_updated ON conversations(updated_at DESC, id DESC) "
             "WHERE deleted_at IS NULL",
         }},
        // Starting points: a branch saved with its state under a name, to start new chats from without processing
        // it again. The branch is kept as a .rgchat file without states (docs/rgchat-format.md), so it outlives
        // the conversation it came from.
        {3,
         {
             R"(CREATE TABLE starting_points (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL DEFAULT '',
                    created_at INTEGER NOT NULL,
                    transcript BLOB NOT NULL,
                    state_file TEXT NOT NULL DEFAULT '',
                    model_fingerprint TEXT NOT NULL DEFAULT ''))",
         }},
    };
    return steps;
}

}  // namespace conversation_schema
