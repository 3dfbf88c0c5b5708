#include "search/ranker.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

namespace storepilot::search {
namespace {

bool Better(const Candidate& a, const Candidate& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.doc < b.doc;
}

// Title positions of each clause's single-term alternatives.
float TitleProximity(const DocInfo& doc,
                     const std::vector<absl::flat_hash_set<TermId>>& clause_terms) {
  const size_t n = clause_terms.size();
  if (n < 2) return 0.0f;
  std::vector<std::vector<int>> positions(n);
  for (size_t p = 0; p < doc.title_terms.size(); ++p) {
    for (size_t c = 0; c < n; ++c) {
      if (clause_terms[c].contains(doc.title_terms[p])) {
        positions[c].push_back(static_cast<int>(p));
      }
    }
  }
  float total = 0.0f;
  for (size_t c = 0; c + 1 < n; ++c) {
    float best = 0.0f;
    for (int a : positions[c]) {
      for (int b : positions[c + 1]) {
        const int d = b - a;
        if (d == 0) continue;
        // In order counts fully; reversed ("bed king") half.
        const float closeness = d > 0 ? 1.0f / d : 0.5f / -d;
        best = std::max(best, closeness);
      }
    }
    total += best;
  }
  return total / static_cast<float>(n - 1);
}

// The key of a product's kind: its product type, else its leaf category.
int64_t KindKey(const DocInfo& doc) {
  if (doc.product_type != kNoTermId) return doc.product_type;
  if (!doc.categories.empty()) return (int64_t{1} << 32) | doc.categories.back();
  return -1;
}

}  // namespace

void RankCandidates(const InvertedIndex& index, const ParsedQuery& query,
                    const RankingParams& params,
                    std::vector<Candidate>* candidates) {
  const size_t n = std::min(query.clauses.size(), kMaxClauses);
  double idf_total = 0.0;
  for (size_t c = 0; c < n; ++c) {
    const Clause& clause = query.clauses[c];
    if (!clause.alternatives.empty()) idf_total += clause.weight * clause.idf;
  }
  for (Candidate& cand : *candidates) {
    double covered = 0.0;
    for (size_t c = 0; c < n; ++c) {
      if (cand.matched >> c & 1) {
        covered += query.clauses[c].weight * query.clauses[c].idf;
      }
    }
    const double coverage = idf_total > 0 ? covered / idf_total : 1.0;
    const double factor = params.coverage_exponent == 1.0f
                              ? coverage
                              : std::pow(coverage, params.coverage_exponent);
    cand.score = static_cast<float>(cand.text_score * factor);
  }
  const size_t depth = std::min(params.rerank_depth, candidates->size());
  std::partial_sort(candidates->begin(), candidates->begin() + depth,
                    candidates->end(), Better);
  if (depth == 0) return;

  std::vector<absl::flat_hash_set<TermId>> clause_terms(n);
  for (size_t c = 0; c < n; ++c) {
    for (const Alternative& alt : query.clauses[c].alternatives) {
      for (TermId t : alt.terms) clause_terms[c].insert(t);
    }
  }
  absl::flat_hash_map<int64_t, double> kind_mass;
  double mass = 0.0;
  const size_t intent_depth = std::min(params.intent_depth, depth);
  for (size_t i = 0; i < intent_depth; ++i) {
    const Candidate& cand = (*candidates)[i];
    kind_mass[KindKey(index.doc(cand.doc))] += cand.score;
    mass += cand.score;
  }
  double max_popularity = 0.0;
  for (size_t i = 0; i < depth; ++i) {
    max_popularity = std::max(max_popularity, index.doc((*candidates)[i].doc).popularity);
  }
  for (size_t i = 0; i < depth; ++i) {
    Candidate& cand = (*candidates)[i];
    const DocInfo& doc = index.doc(cand.doc);
    float factor = 1.0f + params.proximity_weight * TitleProximity(doc, clause_terms);
    if (mass > 0) {
      auto it = kind_mass.find(KindKey(doc));
      const double share = it == kind_mass.end() ? 0.0 : it->second / mass;
      factor *= static_cast<float>(1.0 + params.intent_weight * share);
    }
    if (max_popularity > 0 && doc.popularity > 0) {
      factor *= static_cast<float>(1.0 + params.popularity_weight *
                                             std::log1p(doc.popularity) /
                                             std::log1p(max_popularity));
    }
    cand.score *= factor;
  }
  std::sort(candidates->begin(), candidates->begin() + depth, Better);
}

}  // namespace storepilot::search
