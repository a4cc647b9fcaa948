// state.cpp — allocation, fork and size of a conversation's fixed-size State.
#include "rgemma/state.h"

#include <algorithm>

namespace rgemma {

namespace {

// The sizes of each layer's state, in floats: the constructor allocates them, stateByteSize adds them up.
std::size_t convFloats(const ModelConfig& config) {
    return static_cast<std::size_t>((config.convWidth - 1) * config.lruWidth);
}
std::size_t attentionFloats(const ModelConfig& config) {  // each of keys and values
    return static_cast<std::size_t>(config.attentionWindow * config.headDim);
}

}  // namespace

State::State(const ModelConfig& config) {
    layers.resize(config.blocks.size());
    for (std::size_t i = 0; i < layers.size(); ++i) {
        LayerState& layer = layers[i];
        layer.type = config.blocks[i];
        if (layer.type == BlockType::Recurrent) {
            layer.recurrent.conv.assign(convFloats(config), 0.0f);
            layer.recurrent.h.assign(static_cast<std::size_t>(config.lruWidth), 0.0f);
        } else {
            layer.attention.keys.assign(attentionFloats(config), 0.0f);
            layer.attention.values.assign(attentionFloats(config), 0.0f);
        }
    }
}

uint64_t stateByteSize(const ModelConfig& config) {
    uint64_t floats = 0;
    for (BlockType type : config.blocks) {
        floats += type == BlockType::Recurrent ? convFloats(config) + static_cast<uint64_t>(config.lruWidth)
                                               : 2 * attentionFloats(config);
    }
    return floats * sizeof(float);
}

State State::fork() const {
    State copy;
    copy.position = position;
    copy.layers = layers;
    return copy;
}

void State::reset() {
    position = 0;
    for (LayerState& layer : layers) {
        for (auto* v : {&layer.recurrent.conv, &layer.recurrent.h, &layer.attention.keys, &layer.attention.values}) {
            std::fill(v->begin(), v->end(), 0.0f);
        }
    }
}

bool State::matches(const ModelConfig& config) const {
    if (layers.size() != config.blocks.size()) return false;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const LayerState& layer = layers[i];
        if (layer.type != config.blocks[i]) return false;
        if (layer.type == BlockType::Recurrent) {
            if (layer.recurrent.conv.size() != static_cast<std::size_t>((config.convWidth - 1) * config.lruWidth) ||
                layer.recurrent.h.size() != static_cast<std::size_t>(config.lruWidth)) {
                return false;
            }
        } else {
            const auto size = static_cast<std::size_t>(config.attentionWindow * config.headDim);
            if (layer.attention.keys.size() != size || layer.attention.values.size() != size) return false;
        }
    }
    return position >= 0;
}

uint64_t State::byteSize() const {
    uint64_t floats = 0;
    for (const LayerState& layer : layers) {
        floats += layer.recurrent.conv.size() + layer.recurrent.h.size() + layer.attention.keys.size() +
                  layer.attention.values.size();
    }
    return floats * sizeof(float);
}

}  // namespace rgemma
