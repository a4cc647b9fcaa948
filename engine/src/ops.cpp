// engine/src/ops.cpp — (being written)
