// thread_handoff.h — tells ThreadSanitizer about the synchronisations between our threads that it cannot see: Qt's
// posted-event queue and QThread::wait(). Their mutexes live in libQt6Core, which Debian does not build with TSan, so
// a queued signal's arguments written by one thread and read by the other look like a race. handOff(), called right
// before a queued emit (after the arguments are written) or as a thread's last act, and takeOver(), called where a
// queued call is delivered (the receiver's event()) or after the wait() for that thread, mirror that mutex's unlock
// and lock; TSan then checks everything else the threads share for real. One token for every thread is coarser than
// Qt's per-queue mutexes (it may hide a race between two threads that both hand over to a third), never finer. Used
// by the engine thread (ui/engine_host), the Hub downloads (net/hub) and the Models page's disk scan. Without TSan
// both compile to nothing.
#pragma once

#if defined(__SANITIZE_THREAD__)
#define RC_THREAD_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RC_THREAD_SANITIZER 1
#endif
#endif

#ifdef RC_THREAD_SANITIZER
#include <sanitizer/tsan_interface.h>
#endif

namespace threadhandoff {
inline char token;  // only its address matters
}  // namespace threadhandoff

inline void handOff() {
#ifdef RC_THREAD_SANITIZER
    __tsan_release(&threadhandoff::token);
#endif
}

inline void takeOver() {
#ifdef RC_THREAD_SANITIZER
    __tsan_acquire(&threadhandoff::token);
#endif
}
