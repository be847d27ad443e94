// The module declares LLVMFuzzerRunDriver (linked in by -sanitize=fuzzer) and sets ASan's defaults.
#include "CFuzzerDriver.h"

// LeakSanitizer reports Swift's lazily initialised globals (e.g. the schema's Shape.scenario) as
// leaks, both in libFuzzer's per-input check and at exit; leaks are not what this target looks for.
// ASAN_OPTIONS on the command line still overrides this.
const char *__asan_default_options(void) { return "detect_leaks=0"; }
