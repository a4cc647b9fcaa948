// engine/src/error.cpp — (being written)
