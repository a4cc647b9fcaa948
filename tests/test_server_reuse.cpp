// test_server_reuse.cpp — the engine side of the server on the demo model: kept states found by the longest prefix
// of exact ids (memory and disk, bounds, tampered files), a second turn that feeds only its new tokens and answers
// as a fresh run would, a reply cut by a stop string leaving a state equal to feeding its ids from scratch, n
// alternatives, and stops honoured between tokens.
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>

#include "completion_task.h"
#include "rgemma/chat_format.h"
#include "rgemma/model.h"
#include "tiered_state_cache.h"
#include "token_prefix_hash.h"

using namespace rcserver;

namespace {

constexpr uint64_t kLots = uint64_t{1} << 30;

struct Ran {
    CompletionOutcome outcome;
    std::string streamed;
    int64_t startedCached = -1;
};

}  // namespace

class TestServerReuse : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void findsTheLongestPrefixByExactIds();
    void memoryBudgetDropsTheLeastRecentlyUsed();
    void diskKeepsStatesAcrossRestartsAndChecksThem();
    void diskStaysWithinItsBound();
    void secondTurnFeedsOnlyNewTokensAndAnswersAsAFreshRun();
    void replyCutByLengthResumesFromItsLastFedToken();
    void stopStringLeavesTheStateOfTheReturnedText();
    void choicesDifferBySeedAndEachIsKept();
    void stopEndsAJobWithinOneToken();
    void stopBeforeStartSamplesNothing();

  private:
    rgemma::State stateAfter(std::span<const rgemma::TokenId> ids);
    std::vector<float> nextLogits(rgemma::State state, rgemma::TokenId next);
    Ran run(PrefixStateCache& cache, const CompletionJob& job, const std::function<void(JobControl&)>& onToken = {});
    CompletionJob greedyJob(std::vector<rgemma::TokenId> prompt, int32_t maxTokens, bool ignoreEos = false);
    void verifySameState(const rgemma::State& state, std::span<const rgemma::TokenId> ids);

    std::unique_ptr<rgemma::Model> m_model;
    std::optional<rgemma::Tokenizer> m_tokenizer;
    std::unique_ptr<rgemma::Runtime> m_runtime;
    QTemporaryDir m_dir;
};

void TestServerReuse::initTestCase() {
    auto model = rgemma::Model::load(RC_DEMO_MODEL_DIR);
    QVERIFY2(model, model ? "" : model.error().message.c_str());
    m_model = std::move(*model);
    auto tokenizer = rgemma::Tokenizer::load(RC_DEMO_MODEL_DIR "/tokenizer.model");
    QVERIFY(tokenizer);
    m_tokenizer.emplace(std::move(*tokenizer));
    m_runtime = std::make_unique<rgemma::Runtime>(1);
    QVERIFY(m_dir.isValid());
}

rgemma::State TestServerReuse::stateAfter(std::span<const rgemma::TokenId> ids) {
    rgemma::State state = m_model->newState();
    std::vector<float> logits;
    if (!ids.empty()) (void)m_model->forward(*m_runtime, state, ids, rgemma::LogitsMode::None, logits);
    return state;
}

std::vector<float> TestServerReuse::nextLogits(rgemma::State state, rgemma::TokenId next) {
    std::vector<float> logits;
    const rgemma::TokenId one[] = {next};
    (void)m_model->forward(*m_runtime, state, one, rgemma::LogitsMode::Last, logits);
    return logits;
}

// `state` continues exactly like a state that consumed `ids` in one feed (within float rounding).
void TestServerReuse::verifySameState(const rgemma::State& state, std::span<const rgemma::TokenId> ids) {
    QCOMPARE(state.position, static_cast<int64_t>(ids.size()));
    const std::vector<float> expected = nextLogits(stateAfter(ids), 3);
    const std::vector<float> actual = nextLogits(state.fork(), 3);
    QCOMPARE(actual.size(), expected.size());
    float worst = 0;
    for (std::size_t i = 0; i < actual.size(); ++i) worst = std::max(worst, std::fabs(actual[i] - expected[i]));
    QVERIFY2(worst < 1e-3f, qPrintable(QStringLiteral("logits differ by %1").arg(worst)));
}

Ran TestServerReuse::run(PrefixStateCache& cache, const CompletionJob& job,
                         const std::function<void(JobControl&)>& onToken) {
    const EngineRefs refs{*m_model, *m_tokenizer, *m_runtime, cache};
    auto control = std::make_shared<JobControl>();
    Ran ran;
    TaskEvents events{[&](int64_t, int64_t cached) { ran.startedCached = cached; },
                      [&](int32_t, const std::string& text) { ran.streamed += text; }};
    CompletionTask task(refs, job, control, events);
    while (!task.done()) {
        task.advance(16);
        if (onToken) onToken(*control);
    }
    ran.outcome = task.takeOutcome();
    return ran;
}

CompletionJob TestServerReuse::greedyJob(std::vector<rgemma::TokenId> prompt, int32_t maxTokens, bool ignoreEos) {
    CompletionJob job;
    job.id = 1;
    job.prompt = std::move(prompt);
    job.sampling.greedy = true;
    job.maxTokens = maxTokens;
    job.stopAtEndOfTurn = !ignoreEos;
    return job;
}

void TestServerReuse::findsTheLongestPrefixByExactIds() {
    TieredStateCache cache(*m_model, {kLots, 0, {}});
    const std::vector<rgemma::TokenId> ids{2, 100, 200, 300, 400};
    for (std::size_t n : {1, 2, 4}) cache.keep(std::span(ids).first(n), stateAfter(std::span(ids).first(n)));
    auto hit = cache.longestPrefix(ids, ids.size());
    QVERIFY(hit);
    QCOMPARE(hit->length, 4);
    verifySameState(hit->state, std::span(ids).first(4));
    QCOMPARE(cache.longestPrefix(ids, 3)->length, 2);                  // never more than asked
    const std::vector<rgemma::TokenId> edited{2, 100, 201, 300, 400};  // an earlier message edited
    QCOMPARE(cache.longestPrefix(edited, edited.size())->length, 2);
    const std::vector<rgemma::TokenId> other{2, 101};
    QCOMPARE(cache.longestPrefix(other, 2)->length, 1);
    QVERIFY(!cache.longestPrefix(std::vector<rgemma::TokenId>{5, 6}, 2));
    // A kept state is not consumed by a lookup.
    QCOMPARE(cache.longestPrefix(ids, ids.size())->length, 4);
}

void TestServerReuse::memoryBudgetDropsTheLeastRecentlyUsed() {
    const uint64_t one = m_model->newState().byteSize() + 2 * sizeof(rgemma::TokenId);
    TieredStateCache cache(*m_model, {2 * one, 0, {}});
    const std::vector<std::vector<rgemma::TokenId>> keys{{2, 10}, {2, 11}, {2, 12}};
    cache.keep(keys[0], stateAfter(keys[0]));
    cache.keep(keys[1], stateAfter(keys[1]));
    QVERIFY(cache.longestPrefix(keys[0], 2));  // now the most recently used
    cache.keep(keys[2], stateAfter(keys[2]));
    QVERIFY(cache.longestPrefix(keys[0], 2));
    QVERIFY(!cache.longestPrefix(keys[1], 2));
    QVERIFY(cache.longestPrefix(keys[2], 2));
    QVERIFY(cache.usage().memoryBytes <= 2 * one);
    TieredStateCache off(*m_model, {0, 0, {}});
    off.keep(keys[0], stateAfter(keys[0]));
    QVERIFY(!off.longestPrefix(keys[0], 2));
}

void TestServerReuse::diskKeepsStatesAcrossRestartsAndChecksThem() {
    const QString folder = m_dir.filePath(QStringLiteral("restart"));
    const std::vector<rgemma::TokenId> a{2, 50, 60, 70};
    const std::vector<rgemma::TokenId> b{2, 80};
    {
        TieredStateCache cache(*m_model, {0, kLots, folder.toStdString()});
        cache.keep(a, stateAfter(a));
        cache.keep(b, stateAfter(b));
        QCOMPARE(cache.usage().diskEntries, std::size_t{2});
    }
    QFile foreign(folder + QStringLiteral("/notes.txt"));
    QVERIFY(foreign.open(QIODevice::WriteOnly));
    foreign.write("mine");
    foreign.close();
    {
        TieredStateCache cache(*m_model, {kLots, kLots, folder.toStdString()});  // a new run of the server
        auto hit = cache.longestPrefix(std::vector<rgemma::TokenId>{2, 50, 60, 70, 90}, 5);
        QVERIFY(hit);
        QCOMPARE(hit->length, 4);
        verifySameState(hit->state, a);
    }
    // b's ids file now names other ids than its state consumed: the entry is refused and removed.
    const QString bName = QString::asprintf("%016llx-2", static_cast<unsigned long long>(idsHash(b)));
    QFile idsFile(folder + QLatin1Char('/') + bName + QStringLiteral(".ids"));
    QVERIFY(idsFile.open(QIODevice::ReadWrite));
    QByteArray bytes = idsFile.readAll();
    bytes[16 + 4] = 81;  // the second id
    idsFile.seek(0);
    idsFile.write(bytes);
    idsFile.close();
    // a's state file replaced by b's (another position): refused and removed too.
    const QString aName = QString::asprintf("%016llx-4", static_cast<unsigned long long>(idsHash(a)));
    QVERIFY(QFile::remove(folder + QLatin1Char('/') + aName + QStringLiteral(".state")));
    QVERIFY(QFile::copy(folder + QLatin1Char('/') + bName + QStringLiteral(".state"),
                        folder + QLatin1Char('/') + aName + QStringLiteral(".state")));
    {
        TieredStateCache cache(*m_model, {0, kLots, folder.toStdString()});
        QVERIFY(!cache.longestPrefix(b, 2));
        QVERIFY(!cache.longestPrefix(a, 4));
        QCOMPARE(cache.usage().diskEntries, std::size_t{0});
        QVERIFY(!cache.disk().lastProblem().empty());
    }
    QVERIFY(QFile::exists(folder + QStringLiteral("/notes.txt")));
}

void TestServerReuse::diskStaysWithinItsBound() {
    const QString folder = m_dir.filePath(QStringLiteral("bound"));
    const std::vector<std::vector<rgemma::TokenId>> keys{{2, 10}, {2, 11}, {2, 12}};
    {
        TieredStateCache probe(*m_model, {0, kLots, (folder + QStringLiteral("-probe")).toStdString()});
        probe.keep(keys[0], stateAfter(keys[0]));
    }
    TieredStateCache sizing(*m_model, {0, kLots, (folder + QStringLiteral("-probe")).toStdString()});
    const uint64_t entry = sizing.usage().diskBytes;
    TieredStateCache cache(*m_model, {0, entry * 2 + entry / 2, folder.toStdString()});
    for (const auto& key : keys) cache.keep(key, stateAfter(key));
    QCOMPARE(cache.usage().diskEntries, std::size_t{2});
    QVERIFY(cache.usage().diskBytes <= entry * 2 + entry / 2);
    QVERIFY(!cache.longestPrefix(keys[0], 2));  // the oldest went
    QVERIFY(cache.longestPrefix(keys[2], 2));
}

void TestServerReuse::secondTurnFeedsOnlyNewTokensAndAnswersAsAFreshRun() {
    TieredStateCache cache(*m_model, {kLots, 0, {}});
    const auto prompt = rgemma::firstTurnTokens(*m_tokenizer, "Tell me a fortune.");
    const Ran first = run(cache, greedyJob(prompt, 40));
    QVERIFY(first.outcome.error.empty());
    QCOMPARE(first.startedCached, 0);
    const ChoiceResult& reply = first.outcome.choices.at(0);
    QCOMPARE(QByteArray::fromStdString(first.streamed), QByteArray::fromStdString(reply.text));
    QCOMPARE(QByteArray::fromStdString(m_tokenizer->decode(reply.ids)), QByteArray::fromStdString(reply.text));

    std::vector<rgemma::TokenId> second = prompt;
    second.insert(second.end(), reply.ids.begin(), reply.ids.end());
    const auto turn = rgemma::nextTurnTokens(*m_tokenizer, "Another one, please.");
    second.insert(second.end(), turn.begin(), turn.end());
    const Ran resumed = run(cache, greedyJob(second, 24));
    // Stopped at <end_of_turn>: the kept state holds the whole reply; cut by the limit, all but its last token.
    const auto expectedCached =
        static_cast<int64_t>(prompt.size() + reply.ids.size()) - (reply.finish == FinishReason::Length ? 1 : 0);
    QCOMPARE(resumed.outcome.cachedTokens, expectedCached);
    QCOMPARE(resumed.outcome.promptTokens, static_cast<int64_t>(second.size()));

    TieredStateCache empty(*m_model, {0, 0, {}});
    const Ran fresh = run(empty, greedyJob(second, 24));
    QCOMPARE(fresh.outcome.cachedTokens, 0);
    QCOMPARE(QByteArray::fromStdString(resumed.outcome.choices[0].text),
             QByteArray::fromStdString(fresh.outcome.choices[0].text));
}

void TestServerReuse::replyCutByLengthResumesFromItsLastFedToken() {
    TieredStateCache cache(*m_model, {kLots, 0, {}});
    const auto prompt = rgemma::firstTurnTokens(*m_tokenizer, "Define the word: harbour");
    const Ran cut = run(cache, greedyJob(prompt, 3, true));
    const ChoiceResult& reply = cut.outcome.choices.at(0);
    QCOMPARE(reply.finish, FinishReason::Length);
    QCOMPARE(reply.completionTokens, 3);
    QCOMPARE(reply.ids.size(), std::size_t{3});
    std::vector<rgemma::TokenId> next = prompt;
    next.insert(next.end(), reply.ids.begin(), reply.ids.end());
    auto hit = cache.longestPrefix(next, next.size());
    QVERIFY(hit);
    QCOMPARE(hit->length, static_cast<int64_t>(next.size()) - 1);  // generate()'s unfed last token
    verifySameState(hit->state, std::span(next).first(next.size() - 1));
}

void TestServerReuse::stopStringLeavesTheStateOfTheReturnedText() {
    const auto prompt = rgemma::firstTurnTokens(*m_tokenizer, "Tell me a fortune.");
    TieredStateCache probeCache(*m_model, {0, 0, {}});
    const std::string whole = run(probeCache, greedyJob(prompt, 30, true)).outcome.choices.at(0).text;
    QVERIFY2(whole.size() > 12, whole.c_str());
    // Stop strings starting inside the text at several offsets: at a token boundary or inside a token.
    for (std::size_t at : {std::size_t{4}, whole.size() / 2, whole.size() - 3}) {
        while (at > 0 && (static_cast<unsigned char>(whole[at]) & 0xc0) == 0x80) --at;  // whole characters
        const std::string stop = whole.substr(at, 3);
        const std::string expected = whole.substr(0, whole.find(stop));
        TieredStateCache cache(*m_model, {kLots, 0, {}});
        CompletionJob job = greedyJob(prompt, 30, true);
        job.stops = {stop};
        const Ran cut = run(cache, job);
        const ChoiceResult& reply = cut.outcome.choices.at(0);
        QCOMPARE(QByteArray::fromStdString(reply.text), QByteArray::fromStdString(expected));
        QCOMPARE(QByteArray::fromStdString(cut.streamed), QByteArray::fromStdString(expected));
        QCOMPARE(reply.finish, FinishReason::Stop);
        QCOMPARE(QByteArray::fromStdString(m_tokenizer->decode(reply.ids)), QByteArray::fromStdString(expected));
        // The client resends the text: its ids and a new turn. The kept state is at the end of the returned text,
        // or at the longest prefix of its ids that is whole tokens of the reply.
        std::vector<rgemma::TokenId> next = prompt;
        next.insert(next.end(), reply.ids.begin(), reply.ids.end());
        const auto turn = rgemma::nextTurnTokens(*m_tokenizer, "More.");
        next.insert(next.end(), turn.begin(), turn.end());
        auto hit = cache.longestPrefix(next, next.size() - 1);
        QVERIFY(hit);
        QVERIFY(hit->length > static_cast<int64_t>(prompt.size()) || expected.empty());
        QVERIFY(hit->length <= static_cast<int64_t>(prompt.size() + reply.ids.size()));
        verifySameState(hit->state, std::span(next).first(static_cast<std::size_t>(hit->length)));
    }
}

void TestServerReuse::choicesDifferBySeedAndEachIsKept() {
    TieredStateCache cache(*m_model, {kLots, 0, {}});
    const auto prompt = rgemma::firstTurnTokens(*m_tokenizer, "Tell me a fortune.");
    CompletionJob job = greedyJob(prompt, 12, true);
    job.sampling = rgemma::SamplerSettings{};
    job.sampling.temperature = 1.5f;
    job.sampling.seed = 7;
    job.choices = 2;
    const Ran both = run(cache, job);
    QCOMPARE(both.outcome.choices.size(), std::size_t{2});
    QVERIFY(both.outcome.choices[0].text != both.outcome.choices[1].text);
    // Choice 1 is what a single choice seeded 8 gives.
    job.choices = 1;
    job.sampling.seed = 8;
    TieredStateCache empty(*m_model, {0, 0, {}});
    QCOMPARE(QByteArray::fromStdString(run(empty, job).outcome.choices[0].text),
             QByteArray::fromStdString(both.outcome.choices[1].text));
    for (const ChoiceResult& choice : both.outcome.choices) {
        std::vector<rgemma::TokenId> ids = prompt;
        ids.insert(ids.end(), choice.ids.begin(), choice.ids.end());
        QCOMPARE(cache.longestPrefix(ids, ids.size())->length, static_cast<int64_t>(ids.size()) - 1);
    }
}

void TestServerReuse::stopEndsAJobWithinOneToken() {
    TieredStateCache cache(*m_model, {kLots, 0, {}});
    const auto prompt = rgemma::firstTurnTokens(*m_tokenizer, "Tell me a fortune.");
    const Ran stopped = run(cache, greedyJob(prompt, 1000, true), [](JobControl& control) {
        if (control.sampled == 5) control.requestStop();
    });
    QCOMPARE(stopped.outcome.sampledAtStop, 5);
    QVERIFY(stopped.outcome.sampledTotal - stopped.outcome.sampledAtStop <= 1);
    QCOMPARE(stopped.outcome.choices.at(0).finish, FinishReason::Cancelled);
}

void TestServerReuse::stopBeforeStartSamplesNothing() {
    TieredStateCache cache(*m_model, {kLots, 0, {}});
    const EngineRefs refs{*m_model, *m_tokenizer, *m_runtime, cache};
    auto control = std::make_shared<JobControl>();
    control->requestStop();
    CompletionJob job = greedyJob(rgemma::firstTurnTokens(*m_tokenizer, "Hi"), 10);
    job.choices = 2;
    CompletionTask task(refs, job, control, {});
    task.advance(16);
    QVERIFY(task.done());
    const CompletionOutcome outcome = task.takeOutcome();
    QCOMPARE(outcome.sampledTotal, 0);
    QCOMPARE(outcome.choices.size(), std::size_t{2});
    QCOMPARE(outcome.choices[1].finish, FinishReason::Cancelled);
}

QTEST_GUILESS_MAIN(TestServerReuse)
#include "test_server_reuse.moc"
