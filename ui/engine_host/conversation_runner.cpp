// conversation_runner.cpp — the steps of one reply and the token bookkeeping that keeps a saved state equal to
// "everything through the model's message except its final <end_of_turn>", so every next turn starts with
// nextTurnTokens whatever way the previous reply ended.
#include "conversation_runner.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <algorithm>
#include <filesystem>
#include <vector>

#include "rgemma/chat_format.h"
#include "rgemma/generate.h"
#include "rgemma/sampler.h"
#include "rgemma/state_file.h"

namespace {

// Tokens per cancellable feed. The engine checks cancellation between its own prefill chunks (256 tokens, seconds
// on a 2B model); feeding 32 at a time keeps Stop prompt while the matrix products stay efficient.
constexpr std::size_t kFeedChunk = 32;
// The prompt's progress is told this often at most: often enough for a live count, rarely enough to cost nothing.
constexpr qint64 kProgressIntervalMs = 100;
// Text reaches the GUI at most this often: a signal per token would flood its event loop.
constexpr qint64 kTextBatchMs = 40;

std::filesystem::path toPath(const QString& path) { return std::filesystem::path(QFile::encodeName(path).data()); }

QVector<qint32> toQVector(std::span<const rgemma::TokenId> ids) { return QVector<qint32>(ids.begin(), ids.end()); }

QString stopReasonName(rgemma::StopReason reason) {
    switch (reason) {
        case rgemma::StopReason::EndOfTurn:
            return QStringLiteral("end");
        case rgemma::StopReason::MaxTokens:
            return QStringLiteral("length");
        case rgemma::StopReason::Cancelled:
        case rgemma::StopReason::CallbackStopped:
            break;
    }
    return QStringLiteral("stopped");
}

// Decodes the reply as it is sampled and hands its text on in batches.
class TextBatcher {
  public:
    TextBatcher(const rgemma::Tokenizer& tokenizer, const ConversationRunner::Events& events)
        : m_decoder(tokenizer), m_events(events) {
        m_sinceStart.start();
        m_sinceEmit.start();
    }

    void push(rgemma::TokenId id) {
        ++m_tokens;
        m_pending += QString::fromStdString(m_decoder.push(id));
        if (m_sinceEmit.elapsed() >= kTextBatchMs) emitPending();
    }
    // Flushes what is held back; returns the whole text.
    QString finish() {
        m_pending += QString::fromStdString(m_decoder.flush());
        emitPending();
        return m_all;
    }

  private:
    void emitPending() {
        m_sinceEmit.restart();
        if (m_pending.isEmpty()) return;
        m_all += m_pending;
        const double seconds = static_cast<double>(std::max<qint64>(m_sinceStart.elapsed(), 1)) / 1000.0;
        if (m_events.textAppended) m_events.textAppended(m_pending, static_cast<double>(m_tokens) / seconds);
        m_pending.clear();
    }

    rgemma::StreamingDecoder m_decoder;
    const ConversationRunner::Events& m_events;
    QElapsedTimer m_sinceStart;
    QElapsedTimer m_sinceEmit;
    qint64 m_tokens = 0;
    QString m_pending;  // decoded, not yet handed on
    QString m_all;      // handed on
};

}  // namespace

ConversationRunner::ConversationRunner(const rgemma::Model& model, const rgemma::Tokenizer& tokenizer,
                                       rgemma::Runtime& runtime, StateCache& cache, const std::atomic<bool>& cancel,
                                       std::atomic<qint64>& tokensFed)
    : m_model(model),
      m_tokenizer(tokenizer),
      m_runtime(runtime),
      m_cache(cache),
      m_cancel(cancel),
      m_tokensFed(tokensFed) {}

tl::expected<ConversationRunner::Fed, rgemma::Error> ConversationRunner::feed(rgemma::State& state,
                                                                              std::span<const rgemma::TokenId> tokens,
                                                                              const std::atomic<bool>* cancel) {
    std::vector<float> noLogits;
    // forward() checks `cancel` before it feeds anything, so a Stop costs one chunk at most.
    for (std::size_t begin = 0; begin < tokens.size(); begin += kFeedChunk) {
        const auto chunk = tokens.subspan(begin, std::min(kFeedChunk, tokens.size() - begin));
        const int64_t before = state.position;
        auto fed = m_model.forward(m_runtime, state, chunk, rgemma::LogitsMode::None, noLogits, cancel);
        m_fedThisRequest += state.position - before;
        m_tokensFed += state.position - before;
        reportProgress(m_fedThisRequest, false);
        if (!fed) {
            if (fed.error().code == rgemma::ErrorCode::Cancelled) return Fed::Cancelled;
            return tl::unexpected(fed.error());
        }
    }
    return Fed::All;
}

bool ConversationRunner::matchesHistory(const GenerationRequest& request, const rgemma::State& state) const {
    return request.historyTokens.isEmpty() || state.position == request.historyTokens.size();
}

tl::expected<rgemma::State, QString> ConversationRunner::loadParentFile(const GenerationRequest& request) {
    if (request.parentStateFile.isEmpty()) return tl::unexpected(tr("no state file was saved"));
    if (!QFileInfo::exists(request.parentStateFile)) return tl::unexpected(tr("the state file is missing"));
    auto loaded = rgemma::loadStateFile(toPath(request.parentStateFile), m_model);
    if (!loaded) {
        //: %1: the engine's explanation (another model, an older engine, a damaged file), in English
        return tl::unexpected(
            tr("the state file cannot be used: %1").arg(QString::fromStdString(loaded.error().message)));
    }
    if (!matchesHistory(request, *loaded)) return tl::unexpected(tr("the state file does not match the conversation"));
    return std::move(*loaded);
}

tl::expected<ConversationRunner::Parent, QString> ConversationRunner::obtainParent(const GenerationRequest& request,
                                                                                   const Events& events) {
    if (request.firstTurn) return Parent{m_model.newState(), ParentStateSource::Fresh};
    if (auto cached = m_cache.fork(request.parentStateFile); cached && matchesHistory(request, *cached)) {
        return Parent{std::move(*cached), ParentStateSource::Memory};
    }
    auto loaded = loadParentFile(request);
    if (loaded) {
        m_cache.put(request.parentStateFile, loaded->fork());
        return Parent{std::move(*loaded), ParentStateSource::File};
    }
    if (request.historyTokens.isEmpty()) {
        return tl::unexpected(tr("The conversation cannot be continued: its saved state is unusable (%1) and the "
                                 "transcript to rebuild it from is empty.")
                                  .arg(loaded.error()));
    }
    if (events.rebuilding) events.rebuilding(loaded.error());
    m_promptTotal += request.historyTokens.size();
    reportProgress(0, true);
    rgemma::State state = m_model.newState();
    const std::span<const rgemma::TokenId> history(request.historyTokens.constData(), request.historyTokens.size());
    auto fed = feed(state, history, &m_cancel);
    if (!fed) return tl::unexpected(engineErrorText(fed.error()));
    if (*fed == Fed::Cancelled) return Parent{std::nullopt, ParentStateSource::Rebuilt};
    m_cache.put(request.parentStateFile, state.fork());
    return Parent{std::move(state), ParentStateSource::Rebuilt};
}

tl::expected<GenerationResult, QString> ConversationRunner::run(const GenerationRequest& request,
                                                                const Events& events) {
    GenerationResult result;
    result.requestId = request.requestId;
    result.modelFingerprint = QString::fromStdString(m_model.info().fingerprint);
    m_fedThisRequest = 0;
    m_events = &events;
    m_progressClock.invalidate();

    if (auto valid = rgemma::validateSamplerSettings(request.sampling); !valid) {
        return tl::unexpected(engineErrorText(valid.error()));
    }
    if (request.maxNewTokens < 0) return tl::unexpected(tr("The maximum number of new tokens cannot be negative."));
    const std::string userText = request.userText.toStdString();
    const std::vector<rgemma::TokenId> userTokens = request.firstTurn ? rgemma::firstTurnTokens(m_tokenizer, userText)
                                                                      : rgemma::nextTurnTokens(m_tokenizer, userText);
    result.userTokens = toQVector(userTokens);
    m_promptTotal = static_cast<qint64>(userTokens.size());

    auto parent = obtainParent(request, events);
    if (!parent) return tl::unexpected(parent.error());
    result.parentSource = parent->source;
    if (!parent->state) return stoppedBeforeReply(std::move(result));
    rgemma::State& state = *parent->state;
    const int64_t parentPosition = state.position;

    auto replied = reply(request, state, userTokens, events, result);
    if (!replied) return tl::unexpected(replied.error());
    if (*replied == Fed::Cancelled) return stoppedBeforeReply(std::move(result));

    // generate() leaves the last token it returns unfed (or, cancelled in its one-token prefill, the turn's last):
    // feed it, so the state holds the whole turn. A stop token is not part of the turn: nextTurnTokens closes it.
    const auto wanted = parentPosition + result.userTokens.size() + result.replyTokens.size();
    if (state.position + 1 == wanted) {
        const rgemma::TokenId last[] = {result.replyTokens.isEmpty() ? userTokens.back() : result.replyTokens.back()};
        auto fedLast = feed(state, last, nullptr);
        if (!fedLast) return tl::unexpected(engineErrorText(fedLast.error()));
    }
    result.position = state.position;
    result.stateKept = state.position == wanted;
    if (result.stateKept) keep(request, std::move(state), result);
    return result;
}

void ConversationRunner::reportProgress(qint64 done, bool force) {
    if (!m_events || !m_events->promptProgress) return;
    if (!force && m_progressClock.isValid() && m_progressClock.elapsed() < kProgressIntervalMs) return;
    m_progressClock.start();
    m_events->promptProgress(std::min(done, m_promptTotal), m_promptTotal);
}

GenerationResult ConversationRunner::stoppedBeforeReply(GenerationResult result) const {
    result.stopReason = stopReasonName(rgemma::StopReason::Cancelled);
    result.prefillTokens = m_fedThisRequest;
    result.stateKept = false;
    return result;
}

tl::expected<ConversationRunner::Fed, QString> ConversationRunner::reply(const GenerationRequest& request,
                                                                         rgemma::State& state,
                                                                         std::span<const rgemma::TokenId> userTokens,
                                                                         const Events& events,
                                                                         GenerationResult& result) {
    // All of the user turn but its last token is fed here, cancellably; generate() feeds the last one and samples.
    // The sampler sees the whole turn, as if generate() had fed it all.
    rgemma::Sampler sampler(request.sampling);
    const auto head = userTokens.first(userTokens.size() - 1);
    reportProgress(m_fedThisRequest, m_fedThisRequest == 0);
    auto fed = feed(state, head, &m_cancel);
    if (!fed) return tl::unexpected(engineErrorText(fed.error()));
    if (*fed == Fed::Cancelled) return Fed::Cancelled;
    // The last token is fed by generate() with the first sample: the prompt counts as read.
    reportProgress(m_promptTotal, true);
    m_events = nullptr;  // the prompt is read: no more progress for this request
    for (rgemma::TokenId id : head) sampler.accept(id);

    rgemma::GenerateOptions options;
    options.maxNewTokens = request.maxNewTokens;
    options.stopTokens = rgemma::defaultStopTokens(m_tokenizer);
    TextBatcher batcher(m_tokenizer, events);
    auto onToken = [&](rgemma::TokenId id) {
        if (!rgemma::isEndOfTurn(m_tokenizer, id)) batcher.push(id);
        return true;
    };
    const int64_t before = state.position;
    auto generated =
        rgemma::generate(m_model, m_runtime, state, userTokens.last(1), sampler, options, onToken, &m_cancel);
    m_tokensFed += state.position - before;
    if (!generated) return tl::unexpected(engineErrorText(generated.error()));

    result.prefillTokens = m_fedThisRequest + generated->prefillTokens;
    result.text = batcher.finish();
    std::vector<rgemma::TokenId>& tokens = generated->tokens;
    result.replyTokens = toQVector(tokens);
    if (generated->stop == rgemma::StopReason::EndOfTurn) result.replyTokens.removeLast();
    result.stopReason = stopReasonName(generated->stop);
    if (generated->decodeSeconds > 0) {
        result.tokensPerSecond = static_cast<double>(tokens.size()) / generated->decodeSeconds;
    }
    return Fed::All;
}

void ConversationRunner::keep(const GenerationRequest& request, rgemma::State state, GenerationResult& result) {
    if (!request.stateFileOut.isEmpty()) {
        if (auto saved = rgemma::saveStateFile(toPath(request.stateFileOut), state, m_model); saved) {
            result.stateFile = request.stateFileOut;
        } else {
            result.stateSaveError = engineErrorText(saved.error());
        }
    }
    m_cache.put(request.stateFileOut, std::move(state));
}
