// engine/src/linear.cpp — (being written)
