#ifndef STOREPILOT_SEARCH_SCORER_H_
#define STOREPILOT_SEARCH_SCORER_H_

#include <array>
#include <cstdint>
#include <vector>

#include "search/fields.h"
#include "search/inverted_index.h"
#include "search/query.h"

namespace storepilot::search {

// BM25F (Robertson & Zaragoza, "The Probabilistic Relevance Framework"):
// per-field term frequencies are length-normalised with b_f, weighted with
// w_f and summed before a single saturation with k1.
struct Bm25fParams {
  float k1 = 1.2f;
  std::array<float, kFieldCount> weight = {
      // title, brand, product_type, category, tags, attributes, variants,
      // description
      3.0f, 1.5f, 2.0f, 1.0f, 1.0f, 0.8f, 0.8f, 0.4f};
  std::array<float, kFieldCount> b = {0.75f, 0.3f, 0.3f, 0.5f,
                                      0.5f,  0.5f, 0.5f, 0.75f};
};

// A document matching at least one clause.
struct Candidate {
  DocId doc;
  float text_score;  // Sum over clauses of the best alternative's BM25F.
  uint64_t matched;  // Bit i set: clause i matched.
  float score;       // The ranking score, set by the ranker.
};

// Queries use at most this many clauses; further words are ignored.
inline constexpr size_t kMaxClauses = 32;

// Scores every live document that matches at least one clause of `query`.
// Reads the index: the caller holds its lock. The order is unspecified.
std::vector<Candidate> MatchAndScore(const InvertedIndex& index,
                                     const ParsedQuery& query,
                                     const Bm25fParams& params);

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_SCORER_H_
