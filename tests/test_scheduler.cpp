// test_scheduler.cpp — rgemma::Scheduler on the shipped demo model: replies that join and leave a running batch
// (a long prompt fed in pieces between decode steps, a reply stopped half way) give, token for token, the greedy
// replies of the same sessions run alone; a joining prompt never holds up the others' tokens.
#include <QtTest>
#include <map>
#include <string>
#include <vector>

#include "rgemma/chat_format.h"
#include "rgemma/model.h"
#include "rgemma/scheduler.h"
#include "rgemma/session.h"
#include "rgemma/tokenizer.h"

using namespace rgemma;

namespace {

const std::string kDir = RC_DEMO_MODEL_DIR;

SamplerSettings greedy() {
    SamplerSettings settings;
    settings.greedy = true;
    return settings;
}

std::string longMessage() {
    std::string text;
    for (int i = 0; i < 12; ++i) text += "Tell me about the sea, the wind and the little boats. ";
    return text;
}

}  // namespace

class TestScheduler : public QObject {
    Q_OBJECT

    std::unique_ptr<Model> m_model;
    std::optional<Tokenizer> m_tokenizer;
    std::vector<std::string> m_messages{"Hello!", "What is your name?", longMessage(), "How are you today?",
                                        "Tell me a story."};

    Session newSession(const std::string& message, int32_t maxTokens) {
        Session session(*m_model, greedy(), defaultStopTokens(*m_tokenizer));
        const auto input = firstTurnTokens(*m_tokenizer, message);
        if (!session.beginTurn(input, maxTokens)) qFatal("beginTurn failed");
        return session;
    }

    std::vector<TokenId> alone(const std::string& message, int32_t maxTokens) {
        Runtime runtime(2);
        Session session = newSession(message, maxTokens);
        std::vector<TokenId> tokens;
        while (session.generating()) {
            auto step = session.step(runtime);
            if (!step) qFatal("step: %s", step.error().message.c_str());
            tokens.push_back(step->token);
        }
        return tokens;
    }

  private slots:
    void initTestCase() {
        auto model = Model::load(kDir);
        QVERIFY2(model.has_value(), model ? "" : model.error().message.c_str());
        m_model = std::move(*model);
        auto tokenizer = Tokenizer::load(kDir + "/tokenizer.model");
        QVERIFY(tokenizer.has_value());
        m_tokenizer.emplace(std::move(*tokenizer));
        QVERIFY(firstTurnTokens(*m_tokenizer, longMessage()).size() > 3 * kSessionFeedChunk);
    }

    // Two replies start together; a third (a long prompt) joins after three steps and a fourth when the first
    // leaves; the second is stopped half way. Every reply equals its session run alone, and while the long prompt
    // is fed (at most inputTokensPerStep a step), every other generating session still gets a token each step.
    void joinAndLeaveGiveTheRepliesRunAlone() {
        constexpr int32_t kMax = 40;
        Runtime runtime(2);
        Scheduler scheduler(*m_model, runtime, SchedulerOptions{.capacity = 3});
        std::map<SessionId, std::size_t> messageOf;
        std::map<SessionId, std::vector<TokenId>> replies;
        const auto join = [&](std::size_t message) {
            auto id = scheduler.join(newSession(m_messages[message], kMax));
            if (!id) qFatal("join: %s", id.error().message.c_str());
            messageOf[*id] = message;
            return *id;
        };
        const SessionId first = join(0);
        const SessionId second = join(1);
        std::optional<SessionId> longOne, fourth;
        std::size_t joined = 2;
        int steps = 0;
        std::vector<SessionId> finishedIds;
        bool stoppedSecond = false;
        while (scheduler.busy() || joined < 4) {
            std::vector<SessionId> generatingBefore;
            int64_t pendingBefore = 0;
            for (const auto& [id, message] : messageOf) {
                const Session* s = scheduler.find(id);
                if (s == nullptr || !s->generating()) continue;
                if (s->pendingInput() == 0) generatingBefore.push_back(id);
                pendingBefore += s->pendingInput();
            }
            auto sampled = scheduler.step();
            QVERIFY2(sampled.has_value(), sampled ? "" : sampled.error().message.c_str());
            ++steps;
            int64_t pendingAfter = 0;
            for (const auto& [id, message] : messageOf) {
                if (const Session* s = scheduler.find(id)) pendingAfter += s->pendingInput();
            }
            QVERIFY(pendingBefore - pendingAfter <= kSessionFeedChunk);
            for (SessionId id : generatingBefore) {
                const bool got =
                    std::any_of(sampled->begin(), sampled->end(), [&](const ScheduledToken& t) { return t.id == id; });
                QVERIFY2(got, qPrintable(QString("session %1 got no token at step %2").arg(id).arg(steps)));
            }
            for (const ScheduledToken& t : *sampled) {
                replies[t.id].push_back(t.token.token);
                if (t.token.finished) finishedIds.push_back(t.id);
            }
            if (steps == 3) {
                longOne = join(2);
                ++joined;
            }
            if (!stoppedSecond && replies[second].size() == 10) {
                auto left = scheduler.leave(second);  // a Stop: it leaves mid-reply
                QVERIFY(left.has_value());
                QVERIFY(left->generating());
                stoppedSecond = true;
            }
            for (SessionId id : finishedIds) {
                if (scheduler.find(id) != nullptr) QVERIFY(scheduler.leave(id).has_value());
            }
            if (!fourth && scheduler.find(first) == nullptr && joined < 4) {
                fourth = join(3);
                ++joined;
            }
            QVERIFY(steps < 1000);
        }
        QVERIFY(longOne && fourth);
        QVERIFY(stoppedSecond);
        for (const auto& [id, message] : messageOf) {
            std::vector<TokenId> expected = alone(m_messages[message], kMax);
            if (id == second) expected.resize(10);
            QVERIFY(expected.size() >= 5);
            QCOMPARE(replies[id], expected);
        }
    }

    void refusesBeyondCapacity() {
        Runtime runtime(1);
        Scheduler scheduler(*m_model, runtime, SchedulerOptions{.capacity = 2});
        QVERIFY(scheduler.join(newSession("a", 4)).has_value());
        QVERIFY(scheduler.join(newSession("b", 4)).has_value());
        QVERIFY(!scheduler.join(newSession("c", 4)).has_value());
        Session idle(*m_model, greedy(), {});
        QVERIFY(!Scheduler(*m_model, runtime).join(std::move(idle)).has_value());
        QVERIFY(!scheduler.leave(12345).has_value());
    }
};

QTEST_GUILESS_MAIN(TestScheduler)
#include "test_scheduler.moc"
