// rgemma/error.h — the error value every fallible engine call returns. No exception crosses the engine API.
#pragma once

#include <string>
#include <tl/expected.hpp>

namespace rgemma {

// What kind of failure; the UI maps these to translated text, `message` has the details (file, tensor, offset).
enum class ErrorCode {
    Io,                 // a file could not be opened, read, mapped or written
    InvalidCheckpoint,  // safetensors / index file malformed, or a tensor missing or of the wrong shape
    InvalidConfig,      // config.json malformed or inconsistent with the tensors
    InvalidTokenizer,   // tokenizer.model could not be loaded
    InvalidArgument,    // a caller passed something out of range (token id, settings)
    InvalidState,       // a state does not belong to this model, or a state file is corrupt
    Cancelled,          // the caller asked to stop
};

struct Error {
    ErrorCode code;
    std::string message;
};

template <class T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> makeError(ErrorCode code, std::string message) {
    return tl::unexpected<Error>(Error{code, std::move(message)});
}

const char* errorCodeName(ErrorCode code);

}  // namespace rgemma
