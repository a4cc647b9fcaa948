// golden_case.h — reads a golden reference case (tests/data/<case>/golden.json) for the engine's tests.
#pragma once

#include <QString>
#include <QStringList>
#include <vector>

struct GoldenLayerState {
    QString type;                    // "recurrent" or "attention"
    std::vector<float> rgLruState;   // [lru]
    std::vector<float> conv1dState;  // [3 * lru], oldest first
    std::vector<float> keys;         // [W * hd]
    std::vector<float> values;       // [W * hd]
};

struct GoldenCase {
    QString name;
    QString directory;  // the HF model folder
    QString promptText;
    std::vector<int> promptIds;                        // BOS included
    std::vector<std::vector<float>> prefillLogits;     // [T][V]
    std::vector<int> greedyTokens;                     // 30
    std::vector<std::vector<float>> greedyStepLogits;  // [6][V]
    QString chatMessage;
    std::vector<int> chatIds;
    std::vector<int> chatGreedyTokens;  // 16
    std::vector<GoldenLayerState> stateAfterPrompt;
    qint64 nextPosition = 0;
};

// The names of the golden cases under tests/data.
QStringList goldenCaseNames();
// Loads tests/data/<name>/golden.json; fails the current test (QFAIL-style, via qFatal) if unreadable.
GoldenCase loadGoldenCase(const QString& name);
