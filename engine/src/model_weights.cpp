// engine/src/model_weights.cpp — (being written)
