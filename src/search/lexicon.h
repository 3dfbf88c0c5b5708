#ifndef STOREPILOT_SEARCH_LEXICON_H_
#define STOREPILOT_SEARCH_LEXICON_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace storepilot::search {

// The surface words of a catalog in a byte trie, each mapped to the id of its
// index term (its stem), for typo-tolerant and prefix look-ups. Words are
// never removed: a word whose products were all deleted maps to a term with
// no postings, which the caller skips. Not thread-safe for writes; concurrent
// const calls are safe.
class Lexicon {
 public:
  struct Match {
    std::string word;
    uint32_t term_id;
    int distance;  // Edits from the query word (0 for a prefix completion).
  };

  Lexicon();

  // Records `word` (non-empty) with its term; a known word keeps its term.
  void Add(std::string_view word, uint32_t term_id);

  std::optional<uint32_t> Find(std::string_view word) const;

  // Words within `max_distance` edits of `word` (insertions, deletions,
  // substitutions and adjacent transpositions, counted on bytes), the word
  // itself excluded; at most `limit`, nearest first.
  std::vector<Match> Fuzzy(std::string_view word, int max_distance,
                           size_t limit) const;

  // Words that start with `prefix` and are longer than it, shortest first,
  // at most `limit`.
  std::vector<Match> Complete(std::string_view prefix, size_t limit) const;

  size_t word_count() const { return word_count_; }
  size_t MemoryBytes() const;

 private:
  static constexpr uint32_t kNoTerm = 0xFFFFFFFF;
  struct Node {
    std::vector<std::pair<char, uint32_t>> children;  // Sorted by byte.
    uint32_t term_id = kNoTerm;
  };
  struct FuzzyState;

  uint32_t Child(uint32_t node, char c) const;
  void FuzzyVisit(FuzzyState& state, uint32_t node, char c,
                  const std::vector<int>& grandparent_row,
                  const std::vector<int>& parent_row, char parent_char) const;

  std::vector<Node> nodes_;  // nodes_[0] is the root.
  size_t word_count_ = 0;
};

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_LEXICON_H_
