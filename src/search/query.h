#ifndef STOREPILOT_SEARCH_QUERY_H_
#define STOREPILOT_SEARCH_QUERY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "search/inverted_index.h"

namespace storepilot::search {

// One way to satisfy a clause: a document matches it when it has every term.
struct Alternative {
  std::vector<TermId> terms;
  float weight = 1.0f;  // Exact match = 1; synonyms, typos, prefixes less.
  uint8_t typos = 0;    // Edits from the query word.
  bool prefix = false;  // Completion of the last, unfinished word.
  uint8_t span = 1;     // Query words it stands for (multi-word synonyms).
  std::string text;     // Surface form, for corrections.
};

// One query word and the ways to match it.
struct Clause {
  std::string word;  // Normalised query word.
  std::vector<Alternative> alternatives;
  bool known = false;  // The word itself (or its stem) is in the index.
  // The head noun of the query (what kind of product is wanted): its
  // matches count `weight` times as much as the other words'.
  bool head = false;
  float weight = 1.0f;
  double idf = 0.0;    // How informative the word is in this catalog.
};

struct ParsedQuery {
  std::vector<Clause> clauses;
  std::string corrected_query;  // Set only when a typo was corrected.
};

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_QUERY_H_
