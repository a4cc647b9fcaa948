// engine/src/runtime.cpp — (being written)
