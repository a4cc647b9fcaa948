// engine_types.h — the values that cross the thread boundary between the GUI and the EngineWorker: what is loaded,
// what to generate and what came of it. Plain copyable structs, registered as metatypes for queued connections.
#pragma once

#include <QMetaType>
#include <QString>
#include <QVector>

#include "rgemma/error.h"
#include "rgemma/sampler.h"

// What the GUI shows about the loaded model.
struct LoadedModelInfo {
    QString directory;
    QString name;
    QString dtype;  // "F32", "BF16", "F16"
    qint64 parameterCount = 0;
    qint64 weightBytes = 0;
    qint64 stateBytes = 0;  // one conversation's state in memory
    QString fingerprint;    // what state files are bound to; store it with each message's state file
};
Q_DECLARE_METATYPE(LoadedModelInfo)

// One reply to produce, continuing from the state after `parentMessageId` (the last model message before the new
// user turn; 0 for a new conversation). The worker takes that state, cheapest first:
//   1. its in-memory cache, keyed by (conversationId, message id). A reply's state is cached under its request
//      until EngineWorker::bindState(requestId, messageId) names the message the GUI stored it as; a parent that
//      had to be loaded or rebuilt is cached too. So the next turn, a regenerate and an edit of the last user
//      message all start without I/O or recomputation;
//   2. `parentStateFile`, if it loads and belongs to the loaded model;
//   3. a fresh state if `parentMessageId` is 0;
//   4. else it emits stateRebuilding() with the reason and re-feeds `historyTokens`.
// A cached or loaded state whose position differs from historyTokens.size() (when given) counts as stale.
struct GenerationRequest {
    qint64 requestId = 0;  // > 0 and unique: requestStop(requestId) and every signal name it
    qint64 conversationId = 0;
    qint64 parentMessageId = 0;
    QString parentStateFile;        // absolute path, or empty
    QVector<qint32> historyTokens;  // the `tokens` of every message from the first through the parent, in order
    QString userText;               // the new user turn (the system prompt already prepended if first turn)
    bool firstTurn = true;          // BOS + first-turn format, else the continuation format
    rgemma::SamplerSettings sampling;
    int maxNewTokens = 512;
    QString stateFileOut;  // absolute path where the state after the reply is saved, or empty
};
Q_DECLARE_METATYPE(GenerationRequest)

// Where the state the reply continued from came from.
enum class ParentStateSource { Fresh, Memory, File, Rebuilt };

struct GenerationResult {
    qint64 requestId = 0;
    qint64 conversationId = 0;
    QString text;                 // the reply's text (stop token excluded) == decode(replyTokens)
    QVector<qint32> userTokens;   // tokens of the user turn: store them as the user message's `tokens`
    QVector<qint32> replyTokens;  // the reply, stop token excluded: store them as the model message's `tokens`
    QString stopReason;           // "end", "length", "stopped"
    ParentStateSource parentSource = ParentStateSource::Fresh;
    qint64 prefillTokens = 0;  // tokens fed before sampling: the user turn plus any rebuilt history
    double tokensPerSecond = 0;
    qint64 position = 0;       // the conversation's length in tokens after the reply
    QString stateFile;         // where the state after the reply was saved ("" if not saved)
    QString stateSaveError;    // why it was not saved although asked for (the reply is still good)
    QString modelFingerprint;  // the model that produced the reply and the state file
    // False when stopped before the user turn was fully fed: the state was neither cached nor saved, so a turn
    // after this reply rebuilds it from the transcript.
    bool stateKept = true;
};
Q_DECLARE_METATYPE(GenerationResult)

// Registers the structs above for queued connections. Idempotent; the EngineWorker constructor calls it.
void registerEngineWorkerTypes();

// A translated, user-visible sentence for an engine error, its technical detail appended.
QString engineErrorText(const rgemma::Error& error);
