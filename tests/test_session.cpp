// test_session.cpp — rgemma::Session on the golden checkpoints: a turn gives the reference's greedy tokens, later
// turns feed the token the previous reply left unfed (and drop a stop token), the input is fed in cancellable
// pieces, fork() is a deep copy that continues the same way, commit() completes the state.
#include <QtTest>
#include <atomic>
#include <vector>

#include "golden_case.h"
#include "rgemma/generate.h"
#include "rgemma/model.h"
#include "rgemma/session.h"

using namespace rgemma;

namespace {

std::unique_ptr<Model> loadModel(const GoldenCase& golden) {
    auto model = Model::load(golden.directory.toStdString());
    if (!model) qFatal("loading %s: %s", qPrintable(golden.directory), model.error().message.c_str());
    return std::move(*model);
}

std::vector<TokenId> toIds(const std::vector<int>& ids) { return {ids.begin(), ids.end()}; }

SamplerSettings greedy() {
    SamplerSettings settings;
    settings.greedy = true;
    return settings;
}

// Steps the session to the end of its reply; the tokens it sampled.
std::vector<TokenId> runReply(Session& session, Runtime& runtime) {
    std::vector<TokenId> tokens;
    while (session.generating()) {
        auto step = session.step(runtime);
        if (!step) qFatal("step: %s", step.error().message.c_str());
        tokens.push_back(step->token);
    }
    return tokens;
}

// generate() on a fresh state fed `input`: the reference a session's turn must reproduce.
std::vector<TokenId> generated(const Model& model, Runtime& runtime, std::span<const TokenId> input,
                               const SamplerSettings& settings, int32_t count) {
    State state = model.newState();
    Sampler sampler(settings);
    GenerateOptions options;
    options.maxNewTokens = count;
    options.stopAtEndOfTurn = false;
    auto result = generate(model, runtime, state, input, sampler, options);
    if (!result) qFatal("generate: %s", result.error().message.c_str());
    return result->tokens;
}

}  // namespace

class TestSession : public QObject {
    Q_OBJECT

  private slots:
    void perCase_data() {
        QTest::addColumn<QString>("caseName");
        for (const QString& name : goldenCaseNames()) QTest::newRow(qPrintable(name)) << name;
    }

    // One turn, stepped token by token, is the reference's greedy continuation; the last token stays unfed.
    void firstTurnIsTheReference_data() { perCase_data(); }
    void firstTurnIsTheReference() {
        QFETCH(QString, caseName);
        const GoldenCase golden = loadGoldenCase(caseName);
        const auto model = loadModel(golden);
        Runtime runtime(2);
        Session session(*model, greedy(), {});
        QVERIFY(!session.started());
        const auto prompt = toIds(golden.promptIds);
        QVERIFY(session.beginTurn(prompt, static_cast<int32_t>(golden.greedyTokens.size())).has_value());
        QVERIFY(session.started());
        const auto tokens = runReply(session, runtime);
        QCOMPARE(std::vector<int>(tokens.begin(), tokens.end()), golden.greedyTokens);
        QCOMPARE(session.state().position, static_cast<int64_t>(prompt.size() + tokens.size() - 1));
        QVERIFY(session.commit(runtime).has_value());
        QCOMPARE(session.state().position, static_cast<int64_t>(prompt.size() + tokens.size()));
        const State kept = session.takeState();
        QCOMPARE(kept.position, static_cast<int64_t>(prompt.size() + tokens.size()));
        QCOMPARE(session.state().position, int64_t{0});
        QVERIFY(!session.started());
    }

    // A second turn after a reply cut by the length limit feeds that reply's last token first: the same tokens as
    // one generate() over the whole conversation.
    void laterTurnFeedsTheUnfedToken_data() { perCase_data(); }
    void laterTurnFeedsTheUnfedToken() {
        QFETCH(QString, caseName);
        const GoldenCase golden = loadGoldenCase(caseName);
        const auto model = loadModel(golden);
        Runtime runtime(2);
        Session session(*model, greedy(), {});
        const auto prompt = toIds(golden.promptIds);
        QVERIFY(session.beginTurn(prompt, 5).has_value());
        const auto first = runReply(session, runtime);
        const std::vector<TokenId> turn{7, 8, 9};
        QVERIFY(session.beginTurn(turn, 6).has_value());
        const auto second = runReply(session, runtime);

        std::vector<TokenId> whole = prompt;
        whole.insert(whole.end(), first.begin(), first.end());
        whole.insert(whole.end(), turn.begin(), turn.end());
        QCOMPARE(second, generated(*model, runtime, whole, greedy(), 6));
        QCOMPARE(session.state().position, static_cast<int64_t>(whole.size() + second.size() - 1));
    }

    // A reply that ends at a stop token leaves it out of the conversation: the next turn closes the model's turn
    // with its own tokens.
    void stopTokenIsDropped_data() { perCase_data(); }
    void stopTokenIsDropped() {
        QFETCH(QString, caseName);
        const GoldenCase golden = loadGoldenCase(caseName);
        const auto model = loadModel(golden);
        Runtime runtime(2);
        const TokenId stopAt = golden.greedyTokens[3];
        Session session(*model, greedy(), {stopAt});
        const auto prompt = toIds(golden.promptIds);
        QVERIFY(session.beginTurn(prompt, 30).has_value());
        std::optional<SessionToken> last;
        while (session.generating()) {
            auto step = session.step(runtime);
            QVERIFY(step.has_value());
            last = *step;
        }
        QVERIFY(last && last->finished);
        QCOMPARE(last->stop, StopReason::EndOfTurn);
        QCOMPARE(last->token, stopAt);
        const auto reply = session.replyTokens();
        const int64_t before = session.state().position;
        QCOMPARE(before, static_cast<int64_t>(prompt.size() + reply.size() - 1));
        QVERIFY(session.commit(runtime).has_value());  // nothing to feed: the stop token is not part of the turn
        QCOMPARE(session.state().position, before);
        const std::vector<TokenId> turn{5, 6};
        QVERIFY(session.beginTurn(turn, 1).has_value());
        QCOMPARE(session.pendingInput(), int64_t{2});
        QVERIFY(session.step(runtime).has_value());
        QCOMPARE(session.state().position, before + 2);
    }

    // The input is fed in pieces within a budget, each piece after a cancel check; a cancelled feed leaves the state
    // at a piece boundary and the feed resumes from there to the same first token.
    void inputIsFedInCancellablePieces_data() { perCase_data(); }
    void inputIsFedInCancellablePieces() {
        QFETCH(QString, caseName);
        const GoldenCase golden = loadGoldenCase(caseName);
        const auto model = loadModel(golden);
        Runtime runtime(2);
        std::vector<TokenId> input;
        while (input.size() < 80) input.insert(input.end(), golden.promptIds.begin(), golden.promptIds.end());
        input.resize(80);
        const auto reference = generated(*model, runtime, input, greedy(), 1);

        Session session(*model, greedy(), {});
        QVERIFY(session.beginTurn(input, 1).has_value());
        auto fed = session.feedInput(runtime, 40);
        QVERIFY(fed.has_value());
        QVERIFY(!*fed);
        QCOMPARE(session.state().position, int64_t{40});  // a whole piece, then 8 of the next within the budget
        std::atomic<bool> cancel{true};
        auto cancelled = session.step(runtime, &cancel);
        QVERIFY(!cancelled.has_value());
        QCOMPARE(cancelled.error().code, ErrorCode::Cancelled);
        QCOMPARE(session.state().position, int64_t{40});
        QCOMPARE(session.pendingInput(), int64_t{40});
        cancel = false;
        auto step = session.step(runtime, &cancel);
        QVERIFY(step.has_value());
        QCOMPARE(step->token, reference[0]);
        QVERIFY(step->finished);
        QCOMPARE(session.state().position, int64_t{80});
    }

    // A fork mid-reply continues exactly as the original does (sampling included: the generator is copied), and
    // advancing it leaves the original untouched.
    void forkContinuesTheSameWay_data() { perCase_data(); }
    void forkContinuesTheSameWay() {
        QFETCH(QString, caseName);
        const GoldenCase golden = loadGoldenCase(caseName);
        const auto model = loadModel(golden);
        Runtime runtime(2);
        SamplerSettings sampling;
        sampling.seed = 42;
        sampling.temperature = 1.5f;
        Session session(*model, sampling, {});
        QVERIFY(session.beginTurn(toIds(golden.promptIds), 12).has_value());
        for (int i = 0; i < 4; ++i) QVERIFY(session.step(runtime).has_value());
        Session copy = session.fork();
        const int64_t position = session.state().position;
        const auto forked = runReply(copy, runtime);
        QCOMPARE(session.state().position, position);
        QVERIFY(session.generating());
        QCOMPARE(runReply(session, runtime), forked);
        QCOMPARE(session.replyTokens(), copy.replyTokens());
    }

    void rejectsBadTurns() {
        const GoldenCase golden = loadGoldenCase(goldenCaseNames().front());
        const auto model = loadModel(golden);
        Runtime runtime(1);
        Session session(*model, greedy(), {});
        QVERIFY(!session.step(runtime).has_value());  // no turn begun
        QVERIFY(!session.beginTurn({}, 4).has_value());
        const TokenId one[] = {2};
        QVERIFY(!session.beginTurn(one, 0).has_value());
        const TokenId outside[] = {2, static_cast<TokenId>(model->config().vocabSize)};
        QVERIFY(session.beginTurn(outside, 4).has_value());
        auto step = session.step(runtime);
        QVERIFY(!step.has_value());
        QCOMPARE(step.error().code, ErrorCode::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "test_session.moc"
