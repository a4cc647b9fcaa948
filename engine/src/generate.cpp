// engine/src/generate.cpp — (being written)
