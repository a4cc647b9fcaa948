// cmd_state.cpp — `rgemma state inspect FILE [--model DIR]`: what a state file holds, whether it is intact, and
// whether it belongs to a given model.
#include <cinttypes>
#include <cstdio>
#include <optional>
#include <string>

#include "cli_common.h"
#include "rgemma/model.h"
#include "rgemma/state_file.h"

namespace rgemma::cli {

namespace {

constexpr std::string_view kName = "state inspect";

void printField(const char* name, const std::string& value) { std::printf("%-12s %s\n", name, value.c_str()); }

void printInfo(const StateFileInfo& info) {
    char checksum[24];
    std::snprintf(checksum, sizeof checksum, "%016" PRIx64, info.checksum);
    printField("format", "version " + std::to_string(info.formatVersion) + ", written by engine " + info.engineVersion);
    printField("fingerprint", info.modelFingerprint);
    printField("position", std::to_string(info.position) + " tokens");
    printField("layers", std::to_string(info.layers) + " (" + std::to_string(info.recurrentLayers) + " recurrent, " +
                             std::to_string(info.attentionLayers) + " attention)");
    printField("shape", "attention_window " + std::to_string(info.attentionWindow) + ", head_dim " +
                            std::to_string(info.headDim) + ", lru_width " + std::to_string(info.lruWidth) +
                            ", conv1d_width " + std::to_string(info.convWidth));
    printField("attention", std::to_string(info.attentionSlotsStored) + " of " + std::to_string(info.attentionWindow) +
                                " slots stored per layer");
    printField("size", std::to_string(info.fileBytes) + " bytes");
    printField("checksum", std::string("xxh64 ") + checksum + " (verified)");
}

int run(const CliArgs& args) {
    if (!args.operand()) return usageError(kName, "missing the state FILE to inspect");
    const std::filesystem::path file = *args.operand();
    std::optional<std::filesystem::path> dir;
    if (args.has("model")) {
        auto model = modelDir(args);
        if (!model) return usageError(kName, model.error());
        dir = *model;
    }

    printField("state file", file.string());
    auto info = inspectStateFile(file);
    if (!info) {
        printField("valid", "no");
        return runtimeError(info.error());
    }
    printField("valid", "yes");
    printInfo(*info);
    if (!dir) return kExitOk;

    auto model = Model::load(*dir);
    if (!model) return runtimeError(model.error());
    // The full load: fingerprint, then every dimension and layer type against the model's config.
    if (auto state = loadStateFile(file, **model); !state) {
        printField("model", "does not match '" + (*model)->info().name + "'");
        return runtimeError(state.error());
    }
    printField("model", "matches '" + (*model)->info().name + "'");
    return kExitOk;
}

}  // namespace

const Command& stateInspectCommand() {
    static const Command command{
        kName,
        "show what a state file holds and check it",
        "rgemma state inspect FILE [--model DIR]",
        "Validates a conversation state file (magic, format version, length, checksum, section sizes) and prints\n"
        "its header: the engine and model fingerprint it was written for, the position (tokens consumed), the\n"
        "layer layout and how many attention slots it stores. With --model, also checks that it belongs to that\n"
        "checkpoint (same fingerprint and shape), as loading it for `generate --state-in` would.\n"
        "Exit status 1, with the reason on stderr, if the file is invalid or belongs to another model.",
        {{"model", "DIR", "also check the file against this checkpoint folder"}},
        run,
        "FILE",
    };
    return command;
}

}  // namespace rgemma::cli
