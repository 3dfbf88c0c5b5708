#ifndef STOREPILOT_SEARCH_QUERY_BUILDER_H_
#define STOREPILOT_SEARCH_QUERY_BUILDER_H_

#include <cstddef>
#include <string_view>

#include "search/inverted_index.h"
#include "search/query.h"
#include "search/synonyms.h"

namespace storepilot::search {

struct QueryOptions {
  bool typo_tolerance = true;
  bool prefix_last_word = true;  // As-you-type: complete the last word.
  // Look for typos even for words found in the index ("fuzzier" relaxation).
  bool force_fuzzy = false;
  size_t max_typo_alternatives = 6;
  size_t max_prefix_alternatives = 12;
  // Weights relative to an exact match; exact always ranks first.
  float synonym_weight = 0.9f;
  float compound_weight = 0.9f;
  float one_typo_weight = 0.6f;
  float two_typo_weight = 0.4f;
  float prefix_weight = 0.5f;
  // Weight of the head word's clause. In English product queries the head
  // noun names the product type and comes last ("rustic storage
  // *cabinet*"), or just before a preposition ("*sheets* for twin xl").
  float head_weight = 3.0f;
};

// Minimum word lengths (in bytes) for one and two typos.
inline constexpr size_t kOneTypoMinLength = 4;
inline constexpr size_t kTwoTyposMinLength = 8;

// The inverse document frequency used throughout: ln(1 + (N - df + .5) /
// (df + .5)), as in Lucene's BM25.
double Idf(double doc_count, double doc_freq);

// Analyses `query` and expands every word into alternatives: its stem;
// typo corrections when the word is not in the index (1 edit for words of at
// least 4 bytes, 2 from 8); a split into two indexed words ("sofabed") or a
// join with the next word ("sofa bed" -> "sofabed"); synonyms; completions
// of the last word. Stop-words are dropped unless the query has nothing
// else. The head word is marked (Clause::head) and weighted.
// `synonyms` may be null. Reads the index: the caller holds its lock.
ParsedQuery BuildQuery(const InvertedIndex& index, const SynonymSet* synonyms,
                       std::string_view query, const QueryOptions& options);

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_QUERY_BUILDER_H_
