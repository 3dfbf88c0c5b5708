#ifndef STOREPILOT_SEARCH_RANKER_H_
#define STOREPILOT_SEARCH_RANKER_H_

#include <cstddef>
#include <vector>

#include "search/inverted_index.h"
#include "search/query.h"
#include "search/scorer.h"

namespace storepilot::search {

// The relevance model: BM25F, scaled by how much of the query a product
// covers, then, for the best `rerank_depth` products, by title proximity of
// the query words, agreement with the query's dominant product type and
// popularity. Every factor is >= 1 except coverage, so a product matching
// every word ranks above one matching fewer unless its text match is much
// weaker.
struct RankingParams {
  Bm25fParams bm25f;
  // score = bm25f * coverage^coverage_exponent, coverage being the share of
  // the query's IDF mass that the product matches.
  float coverage_exponent = 1.0f;
  // * (1 + proximity_weight * p): p = 1 when consecutive query words are
  // adjacent and in order in the title, 1/d at distance d.
  float proximity_weight = 0.3f;
  // * (1 + intent_weight * share): share of the score mass of the top
  // `intent_depth` products that have this product's type (a pseudo-
  // relevance-feedback estimate of what kind of product is wanted).
  float intent_weight = 0.5f;
  size_t intent_depth = 20;
  // * (1 + popularity_weight * log1p(pop) / log1p(max pop of the results)).
  float popularity_weight = 0.1f;
  size_t rerank_depth = 300;
};

// Sets Candidate::score and orders the best min(rerank_depth, size)
// candidates first, sorted (ties: lower doc id, i.e. indexed earlier); the
// rest follow unsorted, all scoring below them. Reads the index: the caller
// holds its lock.
void RankCandidates(const InvertedIndex& index, const ParsedQuery& query,
                    const RankingParams& params,
                    std::vector<Candidate>* candidates);

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_RANKER_H_
