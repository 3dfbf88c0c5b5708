#include "search/learned_ranking.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <random>

#include "absl/container/flat_hash_map.h"

namespace storepilot::search {
namespace {

enum Feature : size_t {
  kLogBm25f,
  kLogBaseScore,
  kCoverage,
  kExactWords,
  kTypoWords,
  kPrefixWords,
  kTitleWords,
  kLogPopularity,
  kQueryClickRate,
  kQueryConversionRate,
  kLogPrice,
  kInStock,
  kRank,
};

// Whether live document `doc` has every term (postings are sorted by doc).
bool DocHasAll(const InvertedIndex& index, const std::vector<TermId>& terms, DocId doc) {
  for (TermId t : terms) {
    const std::vector<Posting>& list = index.postings(t).postings;
    auto it = std::lower_bound(list.begin(), list.end(), doc,
                               [](const Posting& p, DocId d) { return p.doc < d; });
    if (it == list.end() || it->doc != doc) return false;
  }
  return !terms.empty();
}

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

const std::array<const char*, kLtrFeatureCount>& LtrFeatureNames() {
  static constexpr std::array<const char*, kLtrFeatureCount> kNames = {
      "log_bm25f",       "log_base_score",   "coverage",
      "exact_words",     "typo_words",       "prefix_words",
      "title_words",     "log_popularity",   "query_click_rate",
      "query_conversion_rate", "log_price",  "in_stock",
      "rank"};
  return kNames;
}

void LtrFeatures(const InvertedIndex& index, const ParsedQuery& query,
                 const Candidate& cand, size_t rank, float base_score,
                 const SignalView& signals, float* out) {
  const DocInfo& doc = index.doc(cand.doc);
  const size_t n = std::min(query.clauses.size(), kMaxClauses);
  size_t exact = 0, typo = 0, prefix = 0, title = 0;
  for (size_t c = 0; c < n; ++c) {
    if (!(cand.matched >> c & 1)) continue;
    bool has_exact = false, has_typo = false, has_prefix = false, in_title = false;
    for (const Alternative& alt : query.clauses[c].alternatives) {
      for (TermId t : alt.terms) {
        if (std::find(doc.title_terms.begin(), doc.title_terms.end(), t) !=
            doc.title_terms.end()) {
          in_title = true;
        }
      }
      if (!DocHasAll(index, alt.terms, cand.doc)) continue;
      if (alt.prefix) {
        has_prefix = true;
      } else if (alt.typos > 0) {
        has_typo = true;
      } else {
        has_exact = true;
      }
    }
    exact += has_exact;
    typo += !has_exact && has_typo;
    prefix += !has_exact && !has_typo && has_prefix;
    title += in_title;
  }
  const float clauses = n == 0 ? 1.0f : static_cast<float>(n);
  out[kLogBm25f] = std::log1p(std::max(cand.text_score, 0.0f));
  out[kLogBaseScore] = std::log1p(std::max(base_score, 0.0f));
  out[kCoverage] = static_cast<float>(std::popcount(cand.matched)) / clauses;
  out[kExactWords] = static_cast<float>(exact) / clauses;
  out[kTypoWords] = static_cast<float>(typo) / clauses;
  out[kPrefixWords] = static_cast<float>(prefix) / clauses;
  out[kTitleWords] = static_cast<float>(title) / clauses;
  out[kLogPopularity] = static_cast<float>(std::log1p(std::max(doc.popularity, 0.0)));
  out[kQueryClickRate] = 0.0f;
  out[kQueryConversionRate] = 0.0f;
  if (signals.signal != nullptr) {
    auto it = signals.signal->products.find(doc.product_id);
    if (it != signals.signal->products.end()) {
      const double searches = signals.signal->searches * signals.decay + signals.prior;
      out[kQueryClickRate] = static_cast<float>(it->second.clicks * signals.decay / searches);
      out[kQueryConversionRate] =
          static_cast<float>(it->second.conversions * signals.decay / searches);
    }
  }
  out[kLogPrice] = static_cast<float>(std::log1p(std::max(doc.price, 0.0)));
  out[kInStock] = doc.in_stock ? 1.0f : 0.0f;
  out[kRank] = 1.0f / (1.0f + static_cast<float>(rank));
}

bool LearnedRerank(const InvertedIndex& index, const ParsedQuery& query,
                   const SignalView& signals, const LtrModel* model,
                   const LearnedRankingParams& params, std::vector<Candidate>* ranked,
                   std::vector<RerankedRow>* rows) {
  const size_t depth = std::min(params.depth, ranked->size());
  const bool boost = signals.signal != nullptr;
  if (depth == 0 || (!boost && model == nullptr && rows == nullptr)) return false;
  absl::flat_hash_map<DocId, float> base_scores;
  base_scores.reserve(depth);
  for (size_t i = 0; i < depth; ++i) base_scores[(*ranked)[i].doc] = (*ranked)[i].score;
  if (boost) {
    const double searches = signals.signal->searches * signals.decay + params.conversion_prior;
    for (size_t i = 0; i < depth; ++i) {
      Candidate& cand = (*ranked)[i];
      auto it = signals.signal->products.find(index.doc(cand.doc).product_id);
      if (it == signals.signal->products.end()) continue;
      const double evidence =
          (it->second.clicks + 2.0 * it->second.conversions) * signals.decay;
      cand.score *= static_cast<float>(1.0 + params.conversion_weight * evidence / searches);
    }
    std::stable_sort(ranked->begin(), ranked->begin() + depth,
                     [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  }
  if (model == nullptr && rows == nullptr) return true;
  std::vector<RerankedRow> features(depth);
  for (size_t i = 0; i < depth; ++i) {
    const Candidate& cand = (*ranked)[i];
    features[i].doc = cand.doc;
    LtrFeatures(index, query, cand, i, base_scores[cand.doc], signals,
                features[i].features.data());
  }
  if (model != nullptr) {
    std::vector<double> learnt(depth);
    for (size_t i = 0; i < depth; ++i) learnt[i] = model->Score(features[i].features.data());
    std::vector<size_t> order(depth);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return learnt[a] > learnt[b]; });
    std::vector<Candidate> top(ranked->begin(), ranked->begin() + depth);
    std::vector<RerankedRow> reordered(depth);
    for (size_t i = 0; i < depth; ++i) {
      const float position_score = (*ranked)[i].score;
      (*ranked)[i] = top[order[i]];
      (*ranked)[i].score = position_score;
      reordered[i] = features[order[i]];
    }
    features = std::move(reordered);
  }
  if (rows != nullptr) *rows = std::move(features);
  return true;
}

absl::StatusOr<std::unique_ptr<LtrModel>> LtrModel::Train(const std::vector<LtrGroup>& groups,
                                                          const LtrTrainOptions& options) {
  constexpr size_t kF = kLtrFeatureCount;
  std::array<double, kF> sum{}, sum_sq{};
  size_t rows = 0;
  bool any_pair = false;
  for (const LtrGroup& g : groups) {
    for (size_t r = 0; r < g.rows(); ++r) {
      for (size_t f = 0; f < kF; ++f) {
        const double x = g.features[r * kF + f];
        sum[f] += x;
        sum_sq[f] += x * x;
      }
      if (g.grades[r] != g.grades[0]) any_pair = true;
    }
    rows += g.rows();
  }
  if (!any_pair) {
    return absl::InvalidArgumentError("no search has two results with different grades");
  }
  std::unique_ptr<LtrModel> model(new LtrModel());
  for (size_t f = 0; f < kF; ++f) {
    model->mean_[f] = sum[f] / rows;
    const double var = sum_sq[f] / rows - model->mean_[f] * model->mean_[f];
    model->inv_scale_[f] = var > 1e-12 ? 1.0 / std::sqrt(var) : 0.0;
  }
  // Start from the ranking in service: only the rank feature counts.
  model->weights_[kRank] = 1.0;
  std::vector<size_t> order(groups.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(options.seed);
  std::array<double, kF> diff{};
  std::vector<double> z;
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (size_t gi : order) {
      const LtrGroup& g = groups[gi];
      z.assign(g.rows() * kF, 0.0);
      for (size_t r = 0; r < g.rows(); ++r) {
        for (size_t f = 0; f < kF; ++f) {
          z[r * kF + f] = (g.features[r * kF + f] - model->mean_[f]) * model->inv_scale_[f];
        }
      }
      for (size_t i = 0; i < g.rows(); ++i) {
        for (size_t j = 0; j < g.rows(); ++j) {
          const double delta = g.grades[i] - g.grades[j];
          if (delta <= 0) continue;
          double s = 0;
          for (size_t f = 0; f < kF; ++f) {
            diff[f] = z[i * kF + f] - z[j * kF + f];
            s += model->weights_[f] * diff[f];
          }
          // RankNet: d/dw log(1 + exp(-s)) = -sigmoid(-s) * diff.
          const double step = options.learning_rate * delta * Sigmoid(-s);
          for (size_t f = 0; f < kF; ++f) {
            model->weights_[f] += step * diff[f] - options.learning_rate * options.l2 *
                                                       model->weights_[f];
          }
        }
      }
    }
  }
  return model;
}

double LtrModel::Score(const float* features) const {
  double s = 0;
  for (size_t f = 0; f < kLtrFeatureCount; ++f) {
    s += weights_[f] * (features[f] - mean_[f]) * inv_scale_[f];
  }
  return s;
}

double MeanNdcg(const std::vector<LtrGroup>& groups,
                const std::vector<std::vector<double>>& scores, size_t k) {
  double total = 0;
  size_t counted = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    const std::vector<float>& grades = groups[g].grades;
    std::vector<size_t> order(grades.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return scores[g][a] > scores[g][b]; });
    std::vector<float> ideal = grades;
    std::sort(ideal.begin(), ideal.end(), std::greater<>());
    double dcg = 0, idcg = 0;
    for (size_t i = 0; i < std::min(k, grades.size()); ++i) {
      const double discount = 1.0 / std::log2(static_cast<double>(i) + 2.0);
      dcg += (std::exp2(grades[order[i]]) - 1.0) * discount;
      idcg += (std::exp2(ideal[i]) - 1.0) * discount;
    }
    if (idcg <= 0) continue;
    total += dcg / idcg;
    ++counted;
  }
  return counted == 0 ? 0.0 : total / static_cast<double>(counted);
}

}  // namespace storepilot::search
