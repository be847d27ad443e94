// Empty: the module only declares LLVMFuzzerRunDriver, which -sanitize=fuzzer links in.
