"""Work that is not a request: text rules, edit alignment, model files, benchmarks."""
