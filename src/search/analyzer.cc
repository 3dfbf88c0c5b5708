#include "search/analyzer.h"

#include <libstemmer.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "search/text_normalizer.h"

namespace storepilot::search {
namespace {

// Function words that carry no product meaning. Kept short on purpose:
// words such as "without", "no", "top" or "up" can name a product feature.
constexpr const char* kEnglishStopWords[] = {
    "a",    "an",   "and",  "are",  "as",   "at",   "be",  "by",
    "for",  "from", "in",   "into", "is",   "it",   "its", "of",
    "on",   "or",   "that", "the",  "this", "to",   "with", "w"};

bool HasDigit(std::string_view word) {
  for (char c : word) {
    if (c >= '0' && c <= '9') return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Analyzer>> Analyzer::Create(
    const AnalyzerOptions& options) {
  sb_stemmer* stemmer = nullptr;
  if (options.language != "none") {
    stemmer = sb_stemmer_new(options.language.c_str(), "UTF_8");
    if (stemmer == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("no stemmer for language '", options.language, "'"));
    }
  }
  return std::unique_ptr<Analyzer>(new Analyzer(stemmer));
}

Analyzer::Analyzer(sb_stemmer* stemmer) : stemmer_(stemmer) {
  for (const char* word : kEnglishStopWords) stop_words_.insert(word);
}

Analyzer::~Analyzer() {
  if (stemmer_ != nullptr) sb_stemmer_delete(stemmer_);
}

std::vector<Token> Analyzer::Analyze(std::string_view text) const {
  std::vector<Token> tokens;
  uint32_t position = 0;
  absl::MutexLock lock(&mu_);  // Once per text, not per word.
  for (std::string& word : NormalizeWords(text)) {
    Token token;
    token.term = StemLocked(word);
    token.stop_word = IsStopWord(word);
    token.surface = std::move(word);
    token.position = position++;
    tokens.push_back(std::move(token));
  }
  return tokens;
}

std::string Analyzer::Stem(std::string_view word) const {
  absl::MutexLock lock(&mu_);
  return StemLocked(word);
}

std::string Analyzer::StemLocked(std::string_view word) const {
  if (stemmer_ == nullptr || word.size() < 3 || HasDigit(word)) {
    return std::string(word);
  }
  const sb_symbol* stemmed =
      sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()),
                      static_cast<int>(word.size()));
  if (stemmed == nullptr) return std::string(word);  // Out of memory.
  return std::string(reinterpret_cast<const char*>(stemmed),
                     static_cast<size_t>(sb_stemmer_length(stemmer_)));
}

bool Analyzer::IsStopWord(std::string_view word) const {
  return stop_words_.contains(absl::string_view(word.data(), word.size()));
}

}  // namespace storepilot::search
