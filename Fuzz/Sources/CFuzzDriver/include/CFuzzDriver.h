// libFuzzer's entry for programs that have their own main: SwiftPM links an executable through a
// `<module>_main` symbol, so QuadraFuzz provides that and hands control to libFuzzer here.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
