// state_writer_helper — a process for test_state_crash to kill: loads a model, prepares states at several
// positions, says "ready", then saves them to one file in a loop, forever, printing "saved N" after each save.
// Plain C++ (no Qt) so that it starts quickly.
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "rgemma/model.h"
#include "rgemma/state_file.h"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: state_writer_helper MODEL_DIR STATE_FILE\n");
        return 2;
    }
    auto model = rgemma::Model::load(argv[1]);
    if (!model) {
        std::fprintf(stderr, "error: %s\n", model.error().message.c_str());
        return 1;
    }
    rgemma::Runtime runtime(1);
    // Positions before, at and after the window, so that the files written have different sizes.
    std::vector<rgemma::State> states;
    rgemma::State state = (*model)->newState();
    std::vector<float> logits;
    for (int step = 0; step < 6; ++step) {
        std::vector<rgemma::TokenId> tokens(static_cast<std::size_t>(1 + 3 * step), 2 + step);
        if (!(*model)->forward(runtime, state, tokens, rgemma::LogitsMode::None, logits)) return 1;
        states.push_back(state.fork());
    }
    std::printf("ready\n");
    std::fflush(stdout);
    for (long n = 0;; ++n) {
        if (auto saved = rgemma::saveStateFile(argv[2], states[static_cast<std::size_t>(n) % states.size()], **model);
            !saved) {
            std::fprintf(stderr, "error: %s\n", saved.error().message.c_str());
            return 1;
        }
        std::printf("saved %ld\n", n);
        std::fflush(stdout);
    }
}
