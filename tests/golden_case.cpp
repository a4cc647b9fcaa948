// golden_case.cpp
