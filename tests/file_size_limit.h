// file_size_limit.h — a full disk, as a test can make one: the process's file size limit lowered for a while.
#pragma once

#include <sys/resource.h>

namespace rctest {

// Lowers this process's file size limit (RLIMIT_FSIZE) for its lifetime: a write that would make any file larger
// fails with EFBIG, as a full disk would fail it, and SQLite reports "database or disk is full". The limit is
// restored however the test ends. The test must ignore SIGXFSZ (as the app does), or the first such write kills it.
struct FileSizeLimit {
    explicit FileSizeLimit(rlim_t bytes) {
        getrlimit(RLIMIT_FSIZE, &saved);
        rlimit lowered = saved;
        lowered.rlim_cur = bytes;
        active = setrlimit(RLIMIT_FSIZE, &lowered) == 0;
    }
    ~FileSizeLimit() { lift(); }
    void lift() {
        if (active) setrlimit(RLIMIT_FSIZE, &saved);
        active = false;
    }
    rlimit saved{};
    bool active = false;
};

}  // namespace rctest
