#ifndef STOREPILOT_SEARCH_ANALYZER_H_
#define STOREPILOT_SEARCH_ANALYZER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

struct sb_stemmer;

namespace storepilot::search {

// One analysed word of a text.
struct Token {
  std::string surface;  // Normalised word as written ("bookcases").
  std::string term;     // Stemmed index term ("bookcas").
  uint32_t position;    // Word position in the text, counting stop-words.
  bool stop_word;
};

struct AnalyzerOptions {
  // A Snowball algorithm name known to libstemmer ("english", "french",
  // "german", ...), or "none" to disable stemming.
  std::string language = "english";
};

// Turns text into index terms: NormalizeWords, then stop-word marking and
// Snowball stemming. Words with digits and words of fewer than 3 letters are
// not stemmed. Thread-safe: the libstemmer state is guarded by a mutex.
class Analyzer {
 public:
  // Fails with InvalidArgument if libstemmer has no such language.
  static absl::StatusOr<std::unique_ptr<Analyzer>> Create(
      const AnalyzerOptions& options);
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // All words of `text`, stop-words included (marked), in order.
  std::vector<Token> Analyze(std::string_view text) const;

  // The index term of one already normalised word.
  std::string Stem(std::string_view word) const;

  bool IsStopWord(std::string_view word) const;

 private:
  explicit Analyzer(sb_stemmer* stemmer);
  std::string StemLocked(std::string_view word) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  sb_stemmer* const stemmer_ ABSL_PT_GUARDED_BY(mu_);  // Owned; may be null.
  absl::flat_hash_set<std::string> stop_words_;
};

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_ANALYZER_H_
