// libFuzzer's driver entry (compiler-rt FuzzerInterface.h), for a Swift executable that has
// its own `main`: SwiftPM links every executable with `main` aliased to the module's entry
// point, so libFuzzer's own main is never used and the harness must start the driver.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
