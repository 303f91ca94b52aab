{
  # Fallback build (node-gyp) used when cmake-js is missing or fails. Sources come from
  # native/sources.txt, the same list CMakeLists.txt reads.
  "targets": [
    {
      "target_name": "samsa",
      "sources": [
        "<!@(node -e \"require('fs').readFileSync('native/sources.txt','utf8').split(/\\r?\\n/).map(s=>s.trim()).filter(s=>s&&!s.startsWith('#')).forEach(s=>console.log(s))\")"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "native/src/core"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++1y", "-std=gnu++14"],
      "cflags_cc": ["-std=c++17", "-O2", "-fvisibility=hidden"],
      "xcode_settings": {
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "GCC_SYMBOLS_PRIVATE_EXTERN": "YES"
      }
    }
  ]
}
