// engine/src/model.cpp — (being written)
