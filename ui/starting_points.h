// starting_points.h — StartingPoints: any conversation, at any reply, saved as a named starting point (a persona, a
// system prompt, a long document read once); a new chat from it forks its state file instead of processing the
// branch again. The branch is kept in the database, so the starting point outlives its conversation; its state is a
// state file like any other, bound to the model's fingerprint (with another model, a new chat from it rebuilds the
// state from its transcript on the first reply, like any chat whose state belongs to other weights).
#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <tl/expected.hpp>

class DataFolder;

struct StartingPointInfo {
    qint64 id = 0;
    QString name;
    QDateTime createdAt;
    QString modelFingerprint;
    bool hasState = false;      // its state file is there
    bool matchesModel = false;  // ... and belongs to the model loaded (the fingerprint given to list())
};

class StartingPoints {
    Q_DECLARE_TR_FUNCTIONS(StartingPoints)

  public:
    // Saves the branch ending at reply `messageId` with a copy of its state, under `name`. Returns the id, or why not
    // (translated): no such reply, no state saved after it, a write that failed (then nothing is left behind).
    static tl::expected<qint64, QString> save(DataFolder& data, qint64 messageId, const QString& name);
    // Newest first. `loadedFingerprint`: the model loaded ("" none), to say which starting points fit it.
    static QList<StartingPointInfo> list(const DataFolder& data, const QString& loadedFingerprint);
    static tl::expected<void, QString> rename(DataFolder& data, qint64 id, const QString& name);
    // Removes the starting point and its state file; the chats made from it keep theirs.
    static tl::expected<void, QString> remove(DataFolder& data, qint64 id);
    // A new chat (named like the starting point) with its branch, whose last reply names a fork of its state file.
    static tl::expected<qint64, QString> newChat(DataFolder& data, qint64 id);
};
