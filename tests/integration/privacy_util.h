#ifndef STOREPILOT_TESTS_INTEGRATION_PRIVACY_UTIL_H_
#define STOREPILOT_TESTS_INTEGRATION_PRIVACY_UTIL_H_

// Helpers of the privacy tests: waiting for the log's asynchronous apply, and
// searching a data directory for what a redaction must have removed.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace storepilot::testing {

// Polls `fn` every 10 ms until it returns true or `timeout_ms` passes;
// returns its last answer.
template <typename Fn>
bool Eventually(Fn fn, int timeout_ms = 60'000) {
  for (int waited = 0; waited < timeout_ms; waited += 10) {
    if (fn()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return fn();
}

// Every file under `dir` that contains `needle` (bytes, case-sensitive).
inline std::vector<std::string> FilesContaining(const std::string& dir,
                                                const std::string& needle) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.find(needle) != std::string::npos) out.push_back(entry.path().string());
  }
  return out;
}

}  // namespace storepilot::testing

#endif  // STOREPILOT_TESTS_INTEGRATION_PRIVACY_UTIL_H_
