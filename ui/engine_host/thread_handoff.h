// thread_handoff.h — tells ThreadSanitizer about the one synchronisation between the GUI and engine threads that it
// cannot see: Qt's posted-event queue. Its mutex lives in libQt6Core, which Debian does not build with TSan, so a
// queued signal's arguments written by one thread and read by the other look like a race. handOff(), called right
// before a queued emit (after the arguments are written), and takeOver(), called where a queued call is delivered
// (the receiver's event()), mirror that mutex's unlock and lock; TSan then checks everything else the threads share
// for real. With two threads posting to each other, one token is exactly the two queues' mutexes. Without TSan
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
