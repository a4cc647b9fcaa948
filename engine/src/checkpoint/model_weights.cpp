// engine/src/checkpoint/model_weights.cpp — binds the tensors of the checkpoint table (checkpoint_schema.h) to the
// fields of the forward pass, checking each one's presence, shape and dtype against config.json; converts the small
// vectors to f32 once.
#include "checkpoint/model_weights.h"

#include <charconv>

#include "checkpoint/checkpoint_schema.h"
#include "io/dtype_convert.h"
#include "rgemma/checkpoint.h"

namespace rgemma {

namespace {

using Shape = std::vector<int64_t>;

std::string shapeText(const Shape& shape) {
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) text += (i > 0 ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

// Looks tensors up and checks them. A missing tensor is a broken checkpoint; a tensor of another shape means
// config.json describes a different model than the weights.
class Binder {
  public:
    explicit Binder(const WeightStore& store) : m_store(store) {
        if (!store.files().empty()) m_folder = " in '" + store.files().front().parent_path().string() + "'";
    }

    // `quantizable`: the tensor may have a block-scaled dtype (isQuantizable); `q4`: it may be U8, the nibbles of a
    // Q4K matrix of shape `expected` (isQ4Quantizable); elsewhere either is an error.
    Result<TensorView> find(const std::string& name, const Shape& expected, bool quantizable, bool q4 = false) const {
        const TensorView* tensor = m_store.find(name);
        if (tensor == nullptr) {
            return makeError(ErrorCode::InvalidCheckpoint, "checkpoint" + m_folder + " has no tensor '" + name + "'");
        }
        if (tensor->dtype == DType::U8 && !q4) {
            return makeError(ErrorCode::InvalidCheckpoint,
                             "tensor '" + name + "' is U8 (4-bit), but only dense layers' weights may be 4-bit");
        }
        const Shape stored = tensor->dtype == DType::U8 ? q4NibbleShape(expected) : expected;
        if (tensor->shape != stored) return shapeError(name, stored, tensor->shape);
        if (hasBlockScales(tensor->dtype) && !quantizable) {
            return makeError(ErrorCode::InvalidCheckpoint, "tensor '" + name + "' is " +
                                                               std::string(dtypeName(tensor->dtype)) +
                                                               ", but only dense matrices and the embedding may be "
                                                               "quantized");
        }
        return *tensor;
    }

    Result<std::vector<float>> vector(const std::string& name, const Shape& expected) const {
        auto tensor = find(name, expected, false);
        if (!tensor) return tl::unexpected(tensor.error());
        std::vector<float> values(static_cast<std::size_t>(tensor->numel()));
        convertToFloat(tensor->dtype, tensor->data, values.data(), tensor->numel());
        return values;
    }

    // One tensor of the table into its field. A matrix of a block-scaled dtype brings its "<name>_scale"; the conv
    // taps are re-laid out [lru, 1, width] -> [width][lru] so that the step kernel reads one contiguous row per tap.
    Result<void> bind(const TensorSpec& spec, TensorField field) const {
        if (const auto* matrix = std::get_if<MatrixField>(&field)) {
            auto view = find(spec.name, spec.shape, isQuantizable(spec.role), isQ4Quantizable(spec.role));
            if (!view) return tl::unexpected(view.error());
            if (view->dtype == DType::U8) return bindQ4(spec, *view, *matrix);
            *matrix->view = std::move(*view);
            if (!hasBlockScales(matrix->view->dtype)) return {};
            auto scales = vector(blockScaleName(spec.name), blockScaleShape(spec.shape));
            if (!scales) return tl::unexpected(scales.error());
            *matrix->scales = std::move(*scales);
            return {};
        }
        auto values = vector(spec.name, spec.shape);
        if (!values) return tl::unexpected(values.error());
        std::vector<float>& target = *std::get<std::vector<float>*>(field);
        if (spec.role != TensorRole::ConvWeight) {
            target = std::move(*values);
            return {};
        }
        const int64_t channels = spec.shape[0], width = spec.shape[2];
        target.resize(values->size());
        for (int64_t ch = 0; ch < channels; ++ch) {
            for (int64_t k = 0; k < width; ++k) target[k * channels + ch] = (*values)[ch * width + k];
        }
        return {};
    }

  private:
    static tl::unexpected<Error> shapeError(const std::string& name, const Shape& expected, const Shape& found) {
        return makeError(ErrorCode::InvalidConfig, "config.json disagrees with tensor '" + name + "': expected " +
                                                       shapeText(expected) + ", found " + shapeText(found));
    }

    // A Q4K matrix (§7): its nibbles `nibbles` and the U8 headers "<name>_scale", bound as a view [rows, in] of the
    // nibbles. Every byte count comes from the shapes, which the safetensors parser has checked against the data.
    Result<void> bindQ4(const TensorSpec& spec, const TensorView& nibbles, const MatrixField& matrix) const {
        const std::string name = blockScaleName(spec.name);
        const TensorView* headers = m_store.find(name);
        if (headers == nullptr) {
            return makeError(ErrorCode::InvalidCheckpoint, "checkpoint" + m_folder + " has no tensor '" + name +
                                                               "' (the 4-bit headers of '" + spec.name + "')");
        }
        if (headers->dtype != DType::U8) {
            return makeError(ErrorCode::InvalidCheckpoint, "tensor '" + name + "' is " +
                                                               std::string(dtypeName(headers->dtype)) +
                                                               ", but the headers of a 4-bit matrix are U8");
        }
        if (const Shape expected = q4HeaderShape(spec.shape); headers->shape != expected) {
            return shapeError(name, expected, headers->shape);
        }
        *matrix.view = TensorView{spec.name, DType::Q4K, spec.shape, nibbles.data, nibbles.byteSize};
        *matrix.q4Headers = static_cast<const uint8_t*>(headers->data);
        return {};
    }

    const WeightStore& m_store;
    std::string m_folder;  // " in '<dir>'" for messages, empty for a store without files
};

// A tensor of a layer the config does not have means num_hidden_layers is too small: the extra layers would be
// silently skipped and the output garbage, so it is an error rather than an ignored extra.
Result<void> checkNoExtraLayers(const ModelConfig& config, const WeightStore& store) {
    const std::string_view prefix = "model.layers.";
    for (const TensorView* tensor : store.tensors()) {
        const std::string_view name = tensor->name;
        if (name.substr(0, prefix.size()) != prefix) continue;
        int64_t index = 0;
        const char* first = name.data() + prefix.size();
        const auto [end, ec] = std::from_chars(first, name.data() + name.size(), index);
        if (ec == std::errc() && end != first && *end == '.' && index >= config.numLayers) {
            return makeError(ErrorCode::InvalidConfig, "config.json disagrees with tensor '" + tensor->name +
                                                           "': num_hidden_layers is " +
                                                           std::to_string(config.numLayers) +
                                                           " but the checkpoint has layer " + std::to_string(index));
        }
    }
    return {};
}

}  // namespace

Result<ModelWeights> bindModelWeights(const ModelConfig& config, const WeightStore& store) {
    if (static_cast<int64_t>(config.blocks.size()) != config.numLayers || config.numHeads <= 0 ||
        config.lruWidth % config.numHeads != 0) {
        return makeError(ErrorCode::InvalidConfig, "model config is inconsistent (was it parsed from config.json?)");
    }
    const Binder binder(store);
    ModelWeights weights;
    Result<void> bound;
    forEachTensor(config, weights, [&](const TensorSpec& spec, TensorField field) {
        if (bound) bound = binder.bind(spec, field);
    });
    if (!bound) return tl::unexpected(bound.error());
    // save_pretrained drops the tied copy; if one is present it must at least be the embedding's shape.
    if (store.find(std::string(kTiedOutputTensor)) != nullptr) {
        auto head = binder.find(std::string(kTiedOutputTensor), weights.embedTokens.shape, true);
        if (!head) return tl::unexpected(head.error());
    }
    if (auto ok = checkNoExtraLayers(config, store); !ok) return tl::unexpected(ok.error());
    return weights;
}

}  // namespace rgemma
