#ifndef STOREPILOT_SEARCH_SYNONYMS_H_
#define STOREPILOT_SEARCH_SYNONYMS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace storepilot::search {

// A shop's synonyms: equivalence groups ("sofa", "couch", "settee") and
// one-way rules ("tv" -> "television": a query for "tv" also finds
// "television", not the reverse). Phrases are normalised (NormalizeWords) and
// may have up to kMaxPhraseWords words. Not thread-safe for writes.
class SynonymSet {
 public:
  static constexpr size_t kMaxPhraseWords = 4;

  // One alternative for the query words [begin, begin + length).
  struct Expansion {
    size_t begin;
    size_t length;
    std::vector<std::string> words;  // Normalised words of the alternative.
  };

  // Every phrase becomes an alternative of every other. InvalidArgument if
  // fewer than two phrases, or a phrase is empty or too long.
  absl::Status AddEquivalent(const std::vector<std::string>& phrases);
  // `from` gains the alternatives `to`. InvalidArgument on empty or too long
  // phrases, or an empty `to`.
  absl::Status AddOneWay(std::string_view from,
                         const std::vector<std::string>& to);

  // Parses the API's JSON: {"synonyms": [{"synonyms": ["a", "b"]},
  // {"root": "tv", "synonyms": ["television"]}]}; a "root" makes the entry
  // one-way. InvalidArgument on malformed input; nothing is added then.
  static absl::StatusOr<SynonymSet> FromJson(std::string_view json);

  // Alternatives for every phrase found in `words` (normalised query words).
  std::vector<Expansion> Expand(const std::vector<std::string>& words) const;

  size_t size() const { return rules_.size(); }

 private:
  absl::StatusOr<std::string> Key(std::string_view phrase) const;

  // Normalised phrase ("sofa bed") -> alternative phrases' words.
  absl::flat_hash_map<std::string, std::vector<std::vector<std::string>>> rules_;
};

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_SYNONYMS_H_
