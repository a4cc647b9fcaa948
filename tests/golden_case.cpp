// golden_case.cpp — parsing of golden.json (written by the official reference implementation) with QJsonDocument.
#include "golden_case.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

std::vector<float> floats(const QJsonValue& value) {
    std::vector<float> out;
    const QJsonArray array = value.toArray();
    out.reserve(static_cast<std::size_t>(array.size()));
    for (const QJsonValue& v : array) {
        if (v.isArray()) {
            const auto inner = floats(v);
            out.insert(out.end(), inner.begin(), inner.end());
        } else {
            out.push_back(static_cast<float>(v.toDouble()));
        }
    }
    return out;
}

std::vector<std::vector<float>> rows(const QJsonValue& value) {
    std::vector<std::vector<float>> out;
    for (const QJsonValue& row : value.toArray()) out.push_back(floats(row));
    return out;
}

std::vector<int> ints(const QJsonValue& value) {
    std::vector<int> out;
    for (const QJsonValue& v : value.toArray()) out.push_back(v.toInt());
    return out;
}

}  // namespace

QStringList goldenCaseNames() { return {"tiny-f32", "tiny-bf16", "2b-shape-bf16"}; }

GoldenCase loadGoldenCase(const QString& name) {
    GoldenCase golden;
    golden.name = name;
    golden.directory = QStringLiteral(RC_TEST_DATA_DIR "/") + name;
    QFile file(golden.directory + "/golden.json");
    if (!file.open(QIODevice::ReadOnly)) qFatal("cannot open %s", qPrintable(file.fileName()));
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    if (root.isEmpty()) qFatal("cannot parse %s", qPrintable(file.fileName()));

    const QJsonObject prompt = root["prompt"].toObject();
    golden.promptText = prompt["text"].toString();
    golden.promptIds = ints(prompt["ids"]);
    golden.prefillLogits = rows(root["prefill"].toObject()["logits"]);
    const QJsonObject greedy = root["greedy"].toObject();
    golden.greedyTokens = ints(greedy["tokens"]);
    golden.greedyStepLogits = rows(greedy["step_logits"]);
    const QJsonObject chat = root["chat"].toObject();
    golden.chatMessage = chat["user_message"].toString();
    golden.chatIds = ints(chat["ids"]);
    golden.chatGreedyTokens = ints(chat["greedy_tokens"]);

    const QJsonObject state = root["state_after_prompt"].toObject();
    golden.nextPosition = state["next_position"].toInteger();
    for (const QJsonValue& blockValue : state["blocks"].toArray()) {
        const QJsonObject block = blockValue.toObject();
        GoldenLayerState layer;
        layer.type = block["type"].toString();
        layer.rgLruState = floats(block["rg_lru_state"]);
        layer.conv1dState = floats(block["conv1d_state"]);
        layer.keys = floats(block["keys"]);
        layer.values = floats(block["values"]);
        golden.stateAfterPrompt.push_back(std::move(layer));
    }
    return golden;
}
