// chat_transfer_support.h — for the tests of moving chats between data folders (test_chat_transfer,
// test_chat_transfer_window): one start of the app's non-GUI half on the real engine, a conversation's tree as
// comparable text, and a snapshot of everything an import must leave alone when it refuses.
#pragma once

#include <QDir>
#include <QHash>
#include <QSettings>
#include <QSignalSpy>
#include <QStringList>
#include <QTest>

#include "chat_controller.h"
#include "data_folder.h"
#include "threaded_engine.h"

namespace rctest {

inline constexpr int kReplyWaitMs = 180000;

// One start of the app's non-GUI half, greedy, on `model`.
struct App {
    App(const QString& dataDirectory, const QString& model)
        : settings(dataDirectory + QStringLiteral("/settings.ini"), QSettings::IniFormat),
          controller(dataDirectory, &settings, engine) {
        Preferences& p = *controller.preferences();
        p.setTemperature(0);
        p.setRandomSeed(false);
        p.setSeed(5);
        p.setMaxNewTokens(10);
        controller.loadModel(model);
    }
    bool ready() {
        return QTest::qWaitFor([&] { return controller.modelStatus() == ChatController::ModelStatus::Ready; }, 60000);
    }
    // Sends `text` in the current conversation; the reply's text ("" if none was stored in time).
    QString say(const QString& text) {
        QSignalSpy stored(&controller, &ChatController::replyStored);
        if (!controller.send(text) || !stored.wait(kReplyWaitMs) || stored.last().at(1).toLongLong() == 0) return {};
        return controller.messages()->contentAt(controller.messages()->rowCount() - 1);
    }
    QSettings settings;
    ThreadedEngine engine;
    ChatController controller;
};

// What must be identical after a round trip: the tree (as parent indices), every field but ids and state names.
inline QStringList treeOf(const QList<StoredMessage>& messages) {
    QHash<qint64, int> index;
    QStringList rows;
    for (const StoredMessage& m : messages) {
        QStringList tokens;
        for (const qint32 t : m.tokens) tokens << QString::number(t);
        rows << QStringLiteral("%1|%2|%3|%4|%5|%6|%7")
                    .arg(m.parentId == 0 ? -1 : index.value(m.parentId, -2))
                    .arg(ConversationStore::roleName(m.role), m.content, tokens.join(u','), m.stopReason)
                    .arg(m.createdAt.toMSecsSinceEpoch())
                    .arg(m.stateFile.isEmpty() ? QString() : m.modelFingerprint);
        index.insert(m.id, int(index.size()));
    }
    return rows;
}

// Everything an import must leave alone when it refuses: the conversations, their messages, the state files.
inline QString snapshot(const DataFolder& data) {
    const ConversationStore& store = *data.store();
    QString all;
    for (const ConversationSummary& c : store.conversations({}, 0, 1000)) {
        all += QString::number(c.id) + c.title + u'\n' + treeOf(store.allMessages(c.id)).join(u'\n');
    }
    return all + QDir(data.stateDirectory()).entryList(QDir::Files | QDir::Hidden).join(u',');
}

}  // namespace rctest
