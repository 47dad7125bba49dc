// Only the declaration in CFuzzDriver.h is needed; libFuzzer (linked by -sanitize=fuzzer) defines it.
#include "CFuzzDriver.h"
