// test_sampler — Sampler and validateSamplerSettings: greedy and its tie rule, seeded reproducibility, the sampled
// distribution against softmax, top-k / top-p / min-p / repetition penalty against a reference written here,
// temperature limits, NaN and infinite logits, and a 256000-entry vocabulary.
#include <QtTest>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <set>
#include <vector>

#include "rgemma/sampler.h"

Q_DECLARE_METATYPE(rgemma::SamplerSettings)

using namespace rgemma;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

SamplerSettings plain(uint64_t seed = 1) {
    SamplerSettings settings;
    settings.topK = 0;
    settings.topP = 1.0f;
    settings.minP = 0.0f;
    settings.repeatPenalty = 1.0f;
    settings.seed = seed;
    return settings;
}

SamplerSettings greedySettings() {
    SamplerSettings settings = plain();
    settings.greedy = true;
    return settings;
}

std::vector<TokenId> draws(Sampler& sampler, const std::vector<float>& logits, int count) {
    std::vector<TokenId> out;
    for (int i = 0; i < count; ++i) out.push_back(sampler.sample(logits));
    return out;
}

std::vector<int> histogram(Sampler& sampler, const std::vector<float>& logits, int count) {
    std::vector<int> counts(logits.size(), 0);
    for (int i = 0; i < count; ++i) {
        const TokenId id = sampler.sample(logits);
        if (id < 0 || id >= static_cast<TokenId>(logits.size())) return {};
        ++counts[static_cast<std::size_t>(id)];
    }
    return counts;
}

std::vector<double> softmax(const std::vector<float>& logits, double temperature) {
    const double top = *std::max_element(logits.begin(), logits.end());
    std::vector<double> p;
    for (float logit : logits) p.push_back(std::exp((logit - top) / temperature));
    const double total = std::accumulate(p.begin(), p.end(), 0.0);
    for (double& value : p) value /= total;
    return p;
}

// The set a correct sampler may draw from, straight from the definitions (full sort, no shortcuts).
std::set<TokenId> referenceKeptSet(const std::vector<float>& logits, const SamplerSettings& settings) {
    const std::vector<double> p = softmax(logits, settings.temperature);
    std::vector<TokenId> order(logits.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](TokenId a, TokenId b) { return p[a] > p[b]; });
    std::size_t keep = order.size();
    if (settings.topK > 0) keep = std::min(keep, static_cast<std::size_t>(settings.topK));
    double kept = 0;
    for (std::size_t i = 0; i < keep; ++i) kept += p[order[i]];
    double cumulative = 0;
    for (std::size_t i = 0; i < keep; ++i) {
        cumulative += p[order[i]];
        if (cumulative >= settings.topP * kept) {
            keep = i + 1;
            break;
        }
    }
    std::set<TokenId> set;
    for (std::size_t i = 0; i < keep; ++i) {
        if (p[order[i]] >= settings.minP * p[order[0]]) set.insert(order[i]);
    }
    return set;
}

std::vector<float> randomLogits(std::mt19937& random, std::size_t size, float scale) {
    std::normal_distribution<float> normal(0.0f, scale);  // fine in a test: only the engine must be portable
    std::vector<float> logits(size);
    for (float& logit : logits) logit = normal(random);
    return logits;
}

}  // namespace

class TestSampler : public QObject {
    Q_OBJECT

  private slots:
    void greedyIsArgmax();
    void greedyTiesGoToTheLowestId();
    void sameSeedSameSequence();
    void differentSeedDifferentSequence();
    void resetRestartsTheGenerator();
    void topKOneIsGreedy();
    void frequenciesFollowSoftmax_data();
    void frequenciesFollowSoftmax();
    void topPKeepsTheSmallestSet();
    void minPDropsUnlikelyTokens();
    void filtersMatchReference();
    void repetitionPenaltyChangesTheChoice();
    void repetitionPenaltyOncePerDistinctToken();
    void repetitionWindowForgets();
    void temperatureNearZeroIsGreedy();
    void nanAndInfiniteLogits();
    void largeVocabulary();
    void validationNamesTheBadSetting_data();
    void validationNamesTheBadSetting();
    void validationAcceptsGoodSettings();
};

void TestSampler::greedyIsArgmax() {
    std::mt19937 random(3);
    Sampler sampler(greedySettings());
    for (int round = 0; round < 50; ++round) {
        const std::vector<float> logits = randomLogits(random, 500, 3.0f);
        const auto best = std::max_element(logits.begin(), logits.end()) - logits.begin();
        QCOMPARE(sampler.sample(logits), static_cast<TokenId>(best));
    }
}

void TestSampler::greedyTiesGoToTheLowestId() {
    Sampler sampler(greedySettings());
    QCOMPARE(sampler.sample(std::vector<float>{1.0f, 3.0f, 2.0f, 3.0f}), 1);
    QCOMPARE(sampler.sample(std::vector<float>{-1.0f, -1.0f}), 0);
}

void TestSampler::sameSeedSameSequence() {
    const std::vector<float> logits{0.1f, 0.4f, 0.3f, 0.2f, 0.0f, 0.25f};
    Sampler first(plain(77));
    Sampler second(plain(77));
    QCOMPARE(draws(first, logits, 200), draws(second, logits, 200));
}

void TestSampler::differentSeedDifferentSequence() {
    const std::vector<float> logits{0.1f, 0.4f, 0.3f, 0.2f, 0.0f, 0.25f};
    Sampler first(plain(77));
    Sampler second(plain(78));
    QVERIFY(draws(first, logits, 200) != draws(second, logits, 200));
}

void TestSampler::resetRestartsTheGenerator() {
    const std::vector<float> logits{0.1f, 0.4f, 0.3f, 0.2f};
    Sampler sampler(plain(5));
    const std::vector<TokenId> before = draws(sampler, logits, 50);
    sampler.reset();
    QCOMPARE(draws(sampler, logits, 50), before);
}

void TestSampler::topKOneIsGreedy() {
    std::mt19937 random(11);
    SamplerSettings settings = plain(9);
    settings.topK = 1;
    Sampler sampler(settings);
    Sampler greedy(greedySettings());
    for (int round = 0; round < 50; ++round) {
        const std::vector<float> logits = randomLogits(random, 300, 0.5f);
        QCOMPARE(sampler.sample(logits), greedy.sample(logits));
    }
}

void TestSampler::frequenciesFollowSoftmax_data() {
    QTest::addColumn<float>("temperature");
    QTest::newRow("T=1") << 1.0f;
    QTest::newRow("T=0.5") << 0.5f;
    QTest::newRow("T=2") << 2.0f;
}

// 20000 draws: a frequency's standard deviation is at most 0.0036, so 0.015 is four of them. The seed is fixed,
// so the test cannot flake: it either always passes or always fails.
void TestSampler::frequenciesFollowSoftmax() {
    QFETCH(float, temperature);
    const std::vector<float> logits{1.0f, 2.0f, 3.0f};
    SamplerSettings settings = plain(123);
    settings.temperature = temperature;
    Sampler sampler(settings);
    const int count = 20000;
    const std::vector<int> counts = histogram(sampler, logits, count);
    QCOMPARE(counts.size(), logits.size());
    const std::vector<double> expected = softmax(logits, temperature);
    for (std::size_t i = 0; i < logits.size(); ++i) {
        const double frequency = double(counts[i]) / count;
        QVERIFY2(std::abs(frequency - expected[i]) < 0.015,
                 qPrintable(QString("id %1: %2 vs %3").arg(i).arg(frequency).arg(expected[i])));
    }
}

void TestSampler::topPKeepsTheSmallestSet() {
    const std::vector<float> logits{std::log(0.5f), std::log(0.3f), std::log(0.15f), std::log(0.05f)};
    SamplerSettings settings = plain(31);
    settings.topP = 0.75f;  // 0.5 falls short, 0.5 + 0.3 reaches it
    Sampler sampler(settings);
    const std::vector<int> counts = histogram(sampler, logits, 4000);
    QVERIFY(counts[0] > 0 && counts[1] > 0);
    QCOMPARE(counts[2], 0);
    QCOMPARE(counts[3], 0);
    // Renormalized over the kept two: 0.5 / 0.8.
    QVERIFY(std::abs(counts[0] / 4000.0 - 0.625) < 0.03);

    settings.topP = 0.4f;  // the top token alone reaches it
    Sampler narrow(settings);
    const std::vector<int> only = histogram(narrow, logits, 1000);
    QCOMPARE(only[0], 1000);
}

void TestSampler::minPDropsUnlikelyTokens() {
    const std::vector<float> logits{std::log(0.5f), std::log(0.3f), std::log(0.15f), std::log(0.05f)};
    SamplerSettings settings = plain(32);
    settings.minP = 0.2f;  // keeps probabilities >= 0.1
    Sampler sampler(settings);
    const std::vector<int> counts = histogram(sampler, logits, 4000);
    QVERIFY(counts[0] > 0 && counts[1] > 0 && counts[2] > 0);
    QCOMPARE(counts[3], 0);
}

// Random distributions and filter combinations: every draw must come from the reference's kept set, and over many
// draws the set should be covered where its members are not too unlikely.
void TestSampler::filtersMatchReference() {
    std::mt19937 random(2024);
    for (int round = 0; round < 200; ++round) {
        SamplerSettings settings = plain(static_cast<uint64_t>(round));
        settings.temperature = std::array{0.3f, 0.7f, 1.0f, 1.5f}[random() % 4];
        settings.topK = std::array{0, 1, 3, 10, 40}[random() % 5];
        settings.topP = std::array{1.0f, 0.95f, 0.6f, 0.2f}[random() % 4];
        settings.minP = std::array{0.0f, 0.05f, 0.3f}[random() % 3];
        const std::vector<float> logits = randomLogits(random, 1 + random() % 60, 2.0f);
        const std::set<TokenId> allowed = referenceKeptSet(logits, settings);
        Sampler sampler(settings);
        for (int i = 0; i < 300; ++i) {
            const TokenId id = sampler.sample(logits);
            QVERIFY2(allowed.count(id) == 1, qPrintable(QString("round %1 drew %2").arg(round).arg(id)));
        }
    }
}

void TestSampler::repetitionPenaltyChangesTheChoice() {
    SamplerSettings settings = greedySettings();
    settings.repeatPenalty = 1.5f;
    Sampler positive(settings);
    const std::vector<float> logits{2.0f, 1.9f, 0.5f};
    QCOMPARE(positive.sample(logits), 0);
    positive.accept(0);
    QCOMPARE(positive.sample(logits), 1);  // 2.0 / 1.5 < 1.9

    Sampler negative(settings);
    const std::vector<float> negativeLogits{-1.0f, -1.2f, -5.0f};
    negative.accept(0);
    QCOMPARE(negative.sample(negativeLogits), 1);  // -1.0 * 1.5 < -1.2

    settings.repeatPenalty = 1.0f;  // off
    Sampler off(settings);
    off.accept(0);
    QCOMPARE(off.sample(logits), 0);
}

void TestSampler::repetitionPenaltyOncePerDistinctToken() {
    SamplerSettings settings = greedySettings();
    settings.repeatPenalty = 1.5f;
    Sampler sampler(settings);
    for (int i = 0; i < 3; ++i) sampler.accept(0);
    // Once: 2.0 / 1.5 = 1.33 > 1.2; three times it would be 0.59.
    QCOMPARE(sampler.sample(std::vector<float>{2.0f, 1.2f}), 0);
}

void TestSampler::repetitionWindowForgets() {
    SamplerSettings settings = greedySettings();
    settings.repeatPenalty = 1.5f;
    settings.repeatWindow = 2;
    Sampler sampler(settings);
    const std::vector<float> logits{2.0f, 1.9f, 0.0f, 0.0f};
    sampler.accept(0);
    sampler.accept(2);
    QCOMPARE(sampler.sample(logits), 1);
    sampler.accept(3);  // 0 falls out of the window
    QCOMPARE(sampler.sample(logits), 0);
    sampler.accept(0);
    sampler.accept(-5);  // out-of-range ids in the history are ignored
    sampler.accept(99);
    QCOMPARE(sampler.sample(logits), 0);
    sampler.reset();  // forgets the history
    sampler.accept(1);
    QCOMPARE(sampler.sample(logits), 0);

    settings.repeatWindow = 0;
    Sampler none(settings);
    none.accept(0);
    QCOMPARE(none.sample(logits), 0);
}

void TestSampler::temperatureNearZeroIsGreedy() {
    const std::vector<float> logits{1.0f, 1.01f, 0.5f, -3.0f};
    SamplerSettings settings = plain(8);
    settings.temperature = 1e-4f;
    Sampler cold(settings);
    for (TokenId id : draws(cold, logits, 1000)) QCOMPARE(id, 1);
    // And a huge one approaches uniform.
    settings.temperature = 1e30f;
    Sampler hot(settings);
    const std::vector<int> counts = histogram(hot, logits, 8000);
    for (int count : counts) QVERIFY(std::abs(count / 8000.0 - 0.25) < 0.03);
}

void TestSampler::nanAndInfiniteLogits() {
    Sampler greedy(greedySettings());
    QCOMPARE(greedy.sample(std::vector<float>{kNaN, 1.0f, 0.5f}), 1);
    QCOMPARE(greedy.sample(std::vector<float>{0.0f, 1.0f, kInf}), 2);
    QCOMPARE(greedy.sample(std::vector<float>{kNaN, kNaN}), 0);
    QCOMPARE(greedy.sample(std::vector<float>{-kInf, -kInf, -kInf}), 0);
    QCOMPARE(greedy.sample(std::vector<float>{}), 0);

    Sampler sampler(plain(4));
    for (int i = 0; i < 200; ++i) {
        QCOMPARE(sampler.sample(std::vector<float>{kNaN, 0.0f, -kInf, kNaN}), 1);
        QCOMPARE(sampler.sample(std::vector<float>{0.0f, kInf, 100.0f}), 1);
        const TokenId id = sampler.sample(std::vector<float>{kInf, 0.0f, kInf, kNaN});
        QVERIFY(id == 0 || id == 2);
    }
    QCOMPARE(sampler.sample(std::vector<float>{kNaN, -kInf}), 0);
    QCOMPARE(sampler.sample(std::vector<float>{}), 0);
    const std::vector<float> extremes{-std::numeric_limits<float>::max(), std::numeric_limits<float>::max()};
    QCOMPARE(sampler.sample(extremes), 1);
}

// Gemma's vocabulary size with the default settings and with top-k off, against the reference set.
void TestSampler::largeVocabulary() {
    std::mt19937 random(77);
    const std::vector<float> logits = randomLogits(random, 256000, 2.5f);
    SamplerSettings defaults;
    SamplerSettings noTopK = plain(3);
    noTopK.topP = 0.5f;
    for (const SamplerSettings& settings : {defaults, noTopK}) {
        const std::set<TokenId> allowed = referenceKeptSet(logits, settings);
        Sampler sampler(settings);
        for (int i = 0; i < 30; ++i) QVERIFY(allowed.count(sampler.sample(logits)) == 1);
    }
}

void TestSampler::validationNamesTheBadSetting_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<SamplerSettings>("settings");
    const auto with = [](auto change) {
        SamplerSettings settings;
        change(settings);
        return settings;
    };
    QTest::newRow("temperature 0") << "temperature" << with([](auto& s) { s.temperature = 0.0f; });
    QTest::newRow("temperature < 0") << "temperature" << with([](auto& s) { s.temperature = -1.0f; });
    QTest::newRow("temperature NaN") << "temperature" << with([](auto& s) { s.temperature = kNaN; });
    QTest::newRow("temperature inf") << "temperature" << with([](auto& s) { s.temperature = kInf; });
    QTest::newRow("topK < 0") << "topK" << with([](auto& s) { s.topK = -1; });
    QTest::newRow("topP 0") << "topP" << with([](auto& s) { s.topP = 0.0f; });
    QTest::newRow("topP > 1") << "topP" << with([](auto& s) { s.topP = 1.5f; });
    QTest::newRow("topP NaN") << "topP" << with([](auto& s) { s.topP = kNaN; });
    QTest::newRow("minP < 0") << "minP" << with([](auto& s) { s.minP = -0.1f; });
    QTest::newRow("minP 1") << "minP" << with([](auto& s) { s.minP = 1.0f; });
    QTest::newRow("minP NaN") << "minP" << with([](auto& s) { s.minP = kNaN; });
    QTest::newRow("repeatPenalty < 1") << "repeatPenalty" << with([](auto& s) { s.repeatPenalty = 0.5f; });
    QTest::newRow("repeatPenalty inf") << "repeatPenalty" << with([](auto& s) { s.repeatPenalty = kInf; });
    QTest::newRow("repeatPenalty NaN") << "repeatPenalty" << with([](auto& s) { s.repeatPenalty = kNaN; });
    QTest::newRow("repeatWindow < 0") << "repeatWindow" << with([](auto& s) { s.repeatWindow = -1; });
    QTest::newRow("greedy, topK < 0") << "topK" << with([](auto& s) {
        s.greedy = true;
        s.topK = -3;
    });
}

void TestSampler::validationNamesTheBadSetting() {
    QFETCH(QString, name);
    QFETCH(SamplerSettings, settings);
    const Result<void> checked = validateSamplerSettings(settings);
    QVERIFY(!checked);
    QCOMPARE(checked.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(QString::fromStdString(checked.error().message).startsWith(name), checked.error().message.c_str());
}

void TestSampler::validationAcceptsGoodSettings() {
    QVERIFY(validateSamplerSettings(SamplerSettings{}));
    QVERIFY(validateSamplerSettings(plain()));
    SamplerSettings edges;
    edges.topK = 0;
    edges.topP = 1.0f;
    edges.minP = 0.0f;
    edges.repeatPenalty = 1.0f;
    edges.repeatWindow = 0;
    edges.temperature = 1e-6f;
    QVERIFY(validateSamplerSettings(edges));
    SamplerSettings greedy;  // greedy ignores the temperature
    greedy.greedy = true;
    greedy.temperature = 0.0f;
    QVERIFY(validateSamplerSettings(greedy));
}

QTEST_GUILESS_MAIN(TestSampler)
#include "test_sampler.moc"
