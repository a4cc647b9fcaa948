// test_demo_model — the shipped demo model (resources/demo-model): loads through the engine as a normal
// RecurrentGemma folder, tokenizes the chat format with single-piece turn markers, and gives the exact greedy
// replies recorded after training (the app's end-to-end tests rely on these).
#include <QFileInfo>
#include <QtTest>
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rgemma/chat_format.h"
#include "rgemma/generate.h"
#include "rgemma/model.h"
#include "rgemma/runtime.h"
#include "rgemma/sampler.h"
#include "rgemma/tokenizer.h"

namespace {

const QString kDir = QStringLiteral(RC_DEMO_MODEL_DIR);

// Greedy reply of the engine to one user turn, without the stop token.
std::string greedyReply(const rgemma::Model& model, const rgemma::Tokenizer& tokenizer, const std::string& message) {
    rgemma::Runtime runtime(1);
    rgemma::State state = model.newState();
    rgemma::SamplerSettings settings;
    settings.greedy = true;
    rgemma::Sampler sampler(settings);
    rgemma::GenerateOptions options;
    options.maxNewTokens = 96;
    options.stopTokens = rgemma::defaultStopTokens(tokenizer);
    const std::vector<rgemma::TokenId> input = rgemma::firstTurnTokens(tokenizer, message);
    auto result = rgemma::generate(model, runtime, state, input, sampler, options);
    if (!result) return "<error: " + result.error().message + ">";
    std::vector<rgemma::TokenId> tokens = result->tokens;
    if (result->stop != rgemma::StopReason::EndOfTurn) return "<no end of turn>";
    tokens.pop_back();
    return tokenizer.decode(tokens);
}

}  // namespace

class TestDemoModel : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void isASmallRecurrentGemmaFolder();
    void chatMarkersAreSinglePieces();
    void greedyReplies_data();
    void greedyReplies();

  private:
    std::unique_ptr<rgemma::Model> m_model;
    std::optional<rgemma::Tokenizer> m_tokenizer;
};

void TestDemoModel::initTestCase() {
    auto model = rgemma::Model::load(QFile::encodeName(kDir).toStdString());
    QVERIFY2(model, model ? "" : model.error().message.c_str());
    m_model = std::move(*model);
    auto tokenizer = rgemma::Tokenizer::load(QFile::encodeName(kDir + "/tokenizer.model").toStdString());
    QVERIFY2(tokenizer, tokenizer ? "" : tokenizer.error().message.c_str());
    m_tokenizer.emplace(std::move(*tokenizer));
}

void TestDemoModel::isASmallRecurrentGemmaFolder() {
    const rgemma::ModelConfig& config = m_model->config();
    QCOMPARE(config.numLayers, 6);
    QCOMPARE(config.numRecurrentLayers(), 4);
    QCOMPARE(config.numAttentionLayers(), 2);
    QCOMPARE(config.vocabSize, 4000);
    qint64 bytes = 0;
    for (const char* name : {"config.json", "model.safetensors", "tokenizer.model"}) {
        const QFileInfo file(kDir + "/" + name);
        QVERIFY2(file.exists(), name);
        bytes += file.size();
    }
    QVERIFY(bytes <= 16 * 1024 * 1024);
    QVERIFY(QFileInfo::exists(kDir + "/MODEL_CARD.md"));
}

void TestDemoModel::chatMarkersAreSinglePieces() {
    const rgemma::Tokenizer& tok = *m_tokenizer;
    QCOMPARE(tok.startOfTurn().value_or(-1), 4);
    QCOMPARE(tok.endOfTurn().value_or(-1), 5);
    const std::vector<rgemma::TokenId> ids = rgemma::firstTurnTokens(tok, "What is 23 + 58?");
    QCOMPARE(ids.front(), 2);  // BOS
    QCOMPARE(ids[1], 4);       // <start_of_turn>
    QCOMPARE(std::count(ids.begin(), ids.end(), 4), 2);
    QCOMPARE(std::count(ids.begin(), ids.end(), 5), 1);
    QCOMPARE(tok.decode(ids),
             std::string("<start_of_turn>user\nWhat is 23 + 58?<end_of_turn>\n<start_of_turn>model\n"));
}

void TestDemoModel::greedyReplies_data() {
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("reply");
    // Recorded from this engine after training (tools/demo_model/build.sh); they are also in MODEL_CARD.md.
    QTest::newRow("sum") << "What is 23 + 58?"
                         << "23 + 58 = 81.";
    QTest::newRow("sum-carry") << "What is 47 + 36?"
                               << "47 + 36 = 83.";
    QTest::newRow("sum-three-digits") << "What is 99 + 99?"
                                      << "99 + 99 = 198.";
    QTest::newRow("fortune") << "Tell me a fortune."
                             << "You can't carve your way to success without cutting remarks.";
    QTest::newRow("greeting") << "Hello!"
                              << "Hello! I am a tiny demo model. Ask me what a word means, for a fortune, or to add "
                                 "two numbers.";
    QTest::newRow("help") << "What can you do?"
                          << "I can tell you what a common English word means, give you a fortune, or add two numbers "
                             "below 100.";
}

void TestDemoModel::greedyReplies() {
    QFETCH(QString, message);
    QFETCH(QString, reply);
    QCOMPARE(QString::fromStdString(greedyReply(*m_model, *m_tokenizer, message.toStdString())), reply);
}

QTEST_GUILESS_MAIN(TestDemoModel)
#include "test_demo_model.moc"
