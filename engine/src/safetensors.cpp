// engine/src/safetensors.cpp — (being written)
