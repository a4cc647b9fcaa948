// engine/src/config.cpp — (being written)
