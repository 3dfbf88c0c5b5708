#ifndef STOREPILOT_COMMON_TEMP_DIR_H_
#define STOREPILOT_COMMON_TEMP_DIR_H_

// For tests: a fresh directory under the system temp dir, removed on
// destruction.

#include <filesystem>
#include <random>
#include <string>

namespace storepilot::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("storepilot_test_" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace storepilot::testing

#endif  // STOREPILOT_COMMON_TEMP_DIR_H_
