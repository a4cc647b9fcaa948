// engine/src/weight_store.cpp — (being written)
