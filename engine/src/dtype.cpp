// engine/src/dtype.cpp — (being written)
