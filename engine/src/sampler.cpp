// engine/src/sampler.cpp — (being written)
