// engine/src/io/error.cpp — the stable names of the error codes (for logs and tests; the UI translates the codes).
#include "rgemma/error.h"

namespace rgemma {

const char* errorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::Io:
            return "Io";
        case ErrorCode::InvalidCheckpoint:
            return "InvalidCheckpoint";
        case ErrorCode::InvalidConfig:
            return "InvalidConfig";
        case ErrorCode::InvalidTokenizer:
            return "InvalidTokenizer";
        case ErrorCode::InvalidArgument:
            return "InvalidArgument";
        case ErrorCode::InvalidState:
            return "InvalidState";
        case ErrorCode::Cancelled:
            return "Cancelled";
    }
    return "Unknown";
}

}  // namespace rgemma
