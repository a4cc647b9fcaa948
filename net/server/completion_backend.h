// net/server/completion_backend.h — what the local API server needs from a model, and all it needs: the model's
// name and tokenizer, and completions started by id, streamed as text and stopped by id. The rgemma CLI runs one
// on its own engine thread (QueuedEngineBackend); the app implements it over the engine thread its window uses.
// The engine side of any implementation runs CompletionTask (completion_task.h) over a PrefixStateCache
// (prefix_state_cache.h): resuming from kept states is the same code wherever the model lives.
#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QObject>
#include <QString>

#include "completion_types.h"
#include "rgemma/tokenizer.h"

namespace rcserver {

enum class BackendStatus { Loading, Ready, Failed };

struct ModelDescription {
    QString name;         // the model folder's name: the one id /v1/models lists
    QString fingerprint;  // rgemma::ModelInfo::fingerprint
    qint64 loadedAt = 0;  // seconds since the epoch
};

// Lives on the server's thread: every call below is made there and every signal is emitted there.
class CompletionBackend : public QObject {
    Q_OBJECT

  public:
    using QObject::QObject;

    virtual BackendStatus status() const = 0;
    // Why the model could not be loaded (status() == Failed); "" otherwise.
    virtual QString failure() const = 0;
    virtual ModelDescription model() const = 0;
    // The model's tokenizer, usable on the server's thread (rendering prompts, counting tokens); null unless Ready.
    virtual const rgemma::Tokenizer* tokenizer() const = 0;

    // Takes a job (status() must be Ready). Never refuses one: over the backend's parallel limit it waits its turn.
    // Then, for this id: started once, textReady any number of times, finished once.
    virtual void start(const CompletionJob& job) = 0;
    // The job ends before its next token or prompt slice and finishes with every unfinished choice cancelled.
    // Unknown or finished ids are ignored.
    virtual void stop(quint64 id) = 0;

  signals:
    void statusChanged();
    void started(quint64 id, qint64 promptTokens, qint64 cachedTokens);
    // The next piece of one choice's text (whole UTF-8 characters); the pieces add up to ChoiceResult::text.
    void textReady(quint64 id, int choice, const QByteArray& utf8);
    void finished(const rcserver::CompletionOutcome& outcome);
};

}  // namespace rcserver

Q_DECLARE_METATYPE(rcserver::CompletionOutcome)
