// engine_types.h — the values that cross between the app and a ChatEngine (and the threads of the real one): what
// is loaded, what reply to produce and what came of it. Plain copyable structs, registered as metatypes for
// queued connections.
#pragma once

#include <QMetaType>
#include <QString>
#include <QVector>
#include <memory>

#include "rgemma/error.h"
#include "rgemma/generate.h"
#include "rgemma/sampler.h"
#include "rgemma/tokenizer.h"

// What the GUI shows about the loaded model.
struct LoadedModelInfo {
    QString directory;
    QString name;
    QString dtype;  // "F32", "BF16", "F16"
    qint64 parameterCount = 0;
    qint64 weightBytes = 0;
    qint64 stateBytes = 0;  // one conversation's state in memory
    QString fingerprint;    // what state files are bound to; store it with each message's state file
    // A second instance of the model's tokenizer for the GUI thread (the local API server renders prompts there);
    // null from an engine that serves no completions.
    std::shared_ptr<const rgemma::Tokenizer> tokenizer;
};
Q_DECLARE_METATYPE(LoadedModelInfo)

// Where the local API server keeps the states after its replies (net/server's TieredStateCache): a folder of its
// own (each model in a subfolder by fingerprint), and its bounds in memory and on disk. 0 turns a tier off.
struct ServerStateSettings {
    QString folder;
    qint64 memoryBytes = 0;
    qint64 diskBytes = 0;
};
Q_DECLARE_METATYPE(ServerStateSettings)

// One reply to produce: a user turn fed on top of the state its conversation had after the last reply (the
// parent state), then sampled. A state is named by its state file's path, in memory as on disk, so the app names
// both ends before it asks: the parent's, and the one the reply's state goes to. The engine takes the parent
// state, cheapest first:
//   1. from the states it keeps in memory (the few newest), under `parentStateFile`: the state after every reply
//      is kept there under its `stateFileOut`, so the next turn, a regenerate and an edit of the last user
//      message all start without I/O or recomputation;
//   2. from the file `parentStateFile`, if it loads and belongs to the loaded model;
//   3. fresh, for a first turn;
//   4. else it emits stateRebuilding() with the reason and feeds `historyTokens` again.
// A kept or loaded state whose position differs from historyTokens.size() (when given) counts as stale.
struct GenerationRequest {
    qint64 requestId = 0;   // > 0 and unique: stopReply(requestId) and every signal name it
    QString userText;       // the new user turn (the system prompt already prepended if first turn)
    bool firstTurn = true;  // BOS + first-turn format on a fresh state, else the continuation format
    rgemma::SamplerSettings sampling;
    int maxNewTokens = rgemma::GenerateOptions{}.maxNewTokens;
    QString parentStateFile;        // absolute path of the parent state's file, or empty
    QVector<qint32> historyTokens;  // the `tokens` of every message before the new turn, in order
    QString stateFileOut;           // absolute path where the state after the reply is saved and kept, or empty
};
Q_DECLARE_METATYPE(GenerationRequest)

// Where the state the reply continued from came from.
enum class ParentStateSource { Fresh, Memory, File, Rebuilt };

struct GenerationResult {
    qint64 requestId = 0;
    QString text;                 // the reply's text (stop token excluded) == decode(replyTokens)
    QVector<qint32> userTokens;   // tokens of the user turn: store them as the user message's `tokens`
    QVector<qint32> replyTokens;  // the reply, stop token excluded: store them as the model message's `tokens`
    QString stopReason;           // "end", "length", "stopped"
    ParentStateSource parentSource = ParentStateSource::Fresh;
    qint64 prefillTokens = 0;  // tokens fed before sampling: the user turn plus any rebuilt history
    double tokensPerSecond = 0;
    qint64 position = 0;       // the conversation's length in tokens after the reply
    QString stateFile;         // where the state after the reply was saved ("" if not saved)
    QString stateSaveError;    // why it was not saved although asked for (the reply is still good, and kept)
    QString modelFingerprint;  // the model that produced the reply and the state file
    // False when stopped before the user turn was fully fed: the state was neither kept nor saved, so a turn
    // after this reply rebuilds it from the transcript.
    bool stateKept = true;
};
Q_DECLARE_METATYPE(GenerationResult)

// Registers the structs above for queued connections. Idempotent; ChatEngine's constructor calls it.
void registerEngineTypes();

// A translated, user-visible sentence for an engine error, its technical detail appended.
QString engineErrorText(const rgemma::Error& error);
