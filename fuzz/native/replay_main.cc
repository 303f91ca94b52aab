// A main() for the fuzz targets without libFuzzer (built with g++, or any compiler): runs
// LLVMFuzzerTestOneInput once on every file named on the command line, recursing into
// directories in sorted order. Used by fuzz/ts/regressions.test.ts to replay the corpora in the
// normal test run. Prints `replayed N inputs`; a failed FUZZ_CHECK aborts naming the input.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace fs = std::filesystem;

static void collect(const fs::path& p, std::vector<std::string>* out) {
  if (fs::is_directory(p)) {
    for (const auto& entry : fs::recursive_directory_iterator(p)) {
      if (entry.is_regular_file()) out->push_back(entry.path().string());
    }
  } else {
    out->push_back(p.string());
  }
}

int main(int argc, char** argv) {
  std::vector<std::string> files;
  for (int i = 1; i < argc; i++) {
    if (!fs::exists(argv[i])) {
      std::fprintf(stderr, "replay: %s does not exist\n", argv[i]);
      return 2;
    }
    collect(argv[i], &files);
  }
  std::sort(files.begin(), files.end());
  for (const std::string& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    samsa_fuzz::g_current_input = f.c_str();
    // Heap copy of the exact size (an empty input gets no dangling pointer).
    std::vector<uint8_t> copy(bytes);
    LLVMFuzzerTestOneInput(copy.empty() ? nullptr : copy.data(), copy.size());
  }
  std::printf("replayed %zu inputs\n", files.size());
  return 0;
}
