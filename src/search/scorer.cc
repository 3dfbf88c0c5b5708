#include "search/scorer.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "search/query_builder.h"

namespace storepilot::search {
namespace {

using DocScores = std::vector<std::pair<DocId, float>>;  // Sorted by doc.

DocScores ScoreTerm(const InvertedIndex& index, TermId term,
                    const Bm25fParams& params,
                    const std::array<float, kFieldCount>& inv_avg_length) {
  const TermPostings& list = index.postings(term);
  const float idf =
      static_cast<float>(Idf(index.live_docs(), std::max(list.doc_freq, 1u)));
  DocScores scores;
  scores.reserve(list.doc_freq);
  const auto& postings = list.postings;
  for (size_t i = 0; i < postings.size();) {
    const DocId doc = postings[i].doc;
    if (!index.live(doc)) {
      while (i < postings.size() && postings[i].doc == doc) ++i;
      continue;
    }
    const auto& length = index.field_lengths(doc);
    float tf = 0.0f;
    for (; i < postings.size() && postings[i].doc == doc; ++i) {
      const size_t f = postings[i].field;
      const float norm =
          1.0f - params.b[f] + params.b[f] * length[f] * inv_avg_length[f];
      tf += params.weight[f] * postings[i].tf / norm;
    }
    scores.emplace_back(doc, idf * tf / (params.k1 + tf));
  }
  return scores;
}

// Documents having every list's doc, with the summed score.
DocScores Intersect(const std::vector<const DocScores*>& lists) {
  DocScores out = *lists[0];
  for (size_t l = 1; l < lists.size(); ++l) {
    DocScores next;
    const DocScores& other = *lists[l];
    size_t j = 0;
    for (const auto& [doc, score] : out) {
      while (j < other.size() && other[j].first < doc) ++j;
      if (j < other.size() && other[j].first == doc) {
        next.emplace_back(doc, score + other[j].second);
      }
    }
    out = std::move(next);
  }
  return out;
}

}  // namespace

std::vector<Candidate> MatchAndScore(const InvertedIndex& index,
                                     const ParsedQuery& query,
                                     const Bm25fParams& params) {
  std::array<float, kFieldCount> inv_avg_length;
  for (size_t f = 0; f < kFieldCount; ++f) {
    inv_avg_length[f] =
        static_cast<float>(1.0 / index.AverageFieldLength(static_cast<Field>(f)));
  }
  absl::flat_hash_map<TermId, DocScores> term_scores;
  auto scores_of = [&](TermId term) -> const DocScores& {
    auto it = term_scores.find(term);
    if (it == term_scores.end()) {
      it = term_scores
               .emplace(term, ScoreTerm(index, term, params, inv_avg_length))
               .first;
    }
    return it->second;
  };

  const size_t n = index.doc_capacity();
  std::vector<float> total(n, 0.0f);
  std::vector<uint64_t> matched(n, 0);
  std::vector<float> best(n, 0.0f);
  std::vector<DocId> touched;      // Docs with any match.
  std::vector<DocId> in_clause;    // Docs matching the current clause.
  const size_t clause_count = std::min(query.clauses.size(), kMaxClauses);
  for (size_t c = 0; c < clause_count; ++c) {
    in_clause.clear();
    for (const Alternative& alt : query.clauses[c].alternatives) {
      DocScores combined;
      const DocScores* scores = nullptr;
      if (alt.terms.size() == 1) {
        scores = &scores_of(alt.terms[0]);
      } else {
        std::vector<const DocScores*> lists;
        for (TermId term : alt.terms) lists.push_back(&scores_of(term));
        combined = Intersect(lists);
        scores = &combined;
      }
      const float factor = query.clauses[c].weight * alt.weight / alt.span;
      for (const auto& [doc, score] : *scores) {
        const float s = factor * score;
        if (best[doc] == 0.0f) in_clause.push_back(doc);
        best[doc] = std::max(best[doc], s);
      }
    }
    for (DocId doc : in_clause) {
      if (matched[doc] == 0) touched.push_back(doc);
      matched[doc] |= uint64_t{1} << c;
      total[doc] += best[doc];
      best[doc] = 0.0f;
    }
  }
  std::vector<Candidate> candidates;
  candidates.reserve(touched.size());
  for (DocId doc : touched) {
    candidates.push_back({doc, total[doc], matched[doc], 0.0f});
  }
  return candidates;
}

}  // namespace storepilot::search
