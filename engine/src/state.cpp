// engine/src/state.cpp — (being written)
