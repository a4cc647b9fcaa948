// net/server/http_limits.h — every bound the HTTP layer enforces, in one place, with the defaults `rgemma serve`
// runs with (tests shorten the timeouts).
#pragma once

#include <QtGlobal>

namespace rcserver {

struct HttpLimits {
    qsizetype maxHeadBytes = 16 * 1024;        // request line + headers (and chunked trailers): over it, 431
    int maxHeaders = 100;                      // header lines: over it, 431
    qsizetype maxBodyBytes = 8 * 1024 * 1024;  // a request body (declared or received): over it, 413
    int requestTimeoutMs = 30'000;             // from a request's first byte to its last: over it, 408 and closed
    int idleTimeoutMs = 60'000;                // a connection with no request under way: closed
    int maxConnections = 512;                  // open at once: more are answered 503 and closed
};

}  // namespace rcserver
