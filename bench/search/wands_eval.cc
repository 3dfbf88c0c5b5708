// Relevance on WANDS: nDCG@10 of storepilot's ranking and of a plain BM25
// baseline, in one run, on the same products and queries.
//
//   wands_eval --data ../shared/data/search/wands [--k 10]
//              [--predictions FILE] [--set knob=value ...]
//
// The BM25 baseline follows the data README: k1 = 1.2, b = 0.75, one field
// made of name + product class + category path, lower-cased alphanumeric
// tokens, no stemming. Gains: Exact = 2, Partial = 1, Irrelevant = 0, as
// 2^g - 1; unjudged results count 0. Queries are split into two halves in
// file order ("A" = first half, used for tuning; "B" = second half) so that
// the effect of any tuning can be checked on queries it did not see.
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_split.h"
#include "search/batch_predict.h"
#include "wands_knobs.h"
#include "wands_labels.h"

namespace {

using storepilot::search::bench::Labels;
using storepilot::search::bench::Ndcg;
using storepilot::search::bench::ReadLabels;
using storepilot::search::BatchQuery;
using storepilot::search::Product;

std::vector<std::string> AlnumTokens(const std::string& text) {
  std::vector<std::string> tokens;
  std::string cur;
  for (char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) {
      cur.push_back(static_cast<char>(std::tolower(c)));
    } else if (!cur.empty()) {
      tokens.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) tokens.push_back(cur);
  return tokens;
}

// Plain single-field BM25 over name + class + category.
class Bm25Baseline {
 public:
  explicit Bm25Baseline(const std::vector<Product>& products) {
    double total_length = 0;
    for (const Product& p : products) {
      std::string text = p.title + " " + p.product_type;
      for (const std::string& c : p.category) text += " " + c;
      std::vector<std::string> tokens = AlnumTokens(text);
      absl::flat_hash_map<std::string, int> tf;
      for (const std::string& t : tokens) ++tf[t];
      for (const auto& [t, n] : tf) {
        postings_[t].push_back({static_cast<uint32_t>(ids_.size()), n});
      }
      lengths_.push_back(tokens.size());
      total_length += tokens.size();
      ids_.push_back(p.id);
    }
    avg_length_ = total_length / std::max<size_t>(ids_.size(), 1);
  }

  std::vector<std::string> Rank(const std::string& query, size_t k) const {
    std::vector<double> score(ids_.size(), 0.0);
    const double n = ids_.size();
    for (const std::string& t : AlnumTokens(query)) {
      auto it = postings_.find(t);
      if (it == postings_.end()) continue;
      const double df = it->second.size();
      const double idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
      for (const auto& [doc, tf] : it->second) {
        const double norm = kK1 * (1 - kB + kB * lengths_[doc] / avg_length_);
        score[doc] += idf * tf * (kK1 + 1) / (tf + norm);
      }
    }
    // Ties go to the product listed later, as numpy's
    // argsort(scores)[::-1] orders them: this reproduces the published
    // 0.641 (breaking ties the other way gives 0.646).
    std::vector<uint32_t> order;
    for (size_t d = ids_.size(); d-- > 0;) {
      if (score[d] > 0) order.push_back(static_cast<uint32_t>(d));
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t a, uint32_t b) { return score[a] > score[b]; });
    std::vector<std::string> out;
    for (size_t i = 0; i < order.size() && i < k; ++i) out.push_back(ids_[order[i]]);
    return out;
  }

 private:
  static constexpr double kK1 = 1.2;
  static constexpr double kB = 0.75;
  absl::flat_hash_map<std::string, std::vector<std::pair<uint32_t, int>>> postings_;
  std::vector<size_t> lengths_;
  std::vector<std::string> ids_;
  double avg_length_ = 1;
};

std::map<std::string, std::vector<std::string>> ReadPredictions(const std::string& path) {
  std::map<std::string, std::vector<std::string>> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> col = absl::StrSplit(line, '\t');
    if (col.size() < 2) continue;
    out[col[0]] = absl::StrSplit(col[1], ' ', absl::SkipEmpty());
  }
  return out;
}

struct Report {
  std::vector<double> per_query;
  double Mean(size_t begin, size_t end) const {
    double s = 0;
    for (size_t i = begin; i < end; ++i) s += per_query[i];
    return end > begin ? s / (end - begin) : 0;
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string data = "../shared/data/search/wands";
  std::string predictions;
  size_t k = 10;
  bool per_query = false;
  size_t min_results = storepilot::search::kBatchMinResults;
  storepilot::search::SearchEngineOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "missing value for " << arg << "\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--data") data = next();
    else if (arg == "--k") k = std::stoul(next());
    else if (arg == "--predictions") predictions = next();
    else if (arg == "--per-query") per_query = true;
    else if (arg == "--min-results") min_results = std::stoul(next());
    else if (arg == "--set") {
      if (!storepilot::search::bench::SetKnob(next(), &options)) return 2;
    } else {
      std::cerr << "unknown flag " << arg << "\n";
      return 2;
    }
  }
  auto products = storepilot::search::ReadProductsJsonl(data + "/products.jsonl");
  auto queries = storepilot::search::ReadQueriesTsv(data + "/queries_dev.tsv");
  if (!products.ok() || !queries.ok()) {
    std::cerr << products.status() << " " << queries.status() << "\n";
    return 1;
  }
  const Labels labels = ReadLabels(data + "/labels_dev.tsv");
  auto ours = storepilot::search::PredictAll(
      *products, *queries, storepilot::search::BatchRequest(k, min_results), options);
  if (!ours.ok()) {
    std::cerr << ours.status() << "\n";
    return 1;
  }
  std::map<std::string, std::vector<std::string>> file_predictions;
  if (!predictions.empty()) file_predictions = ReadPredictions(predictions);
  const Bm25Baseline bm25(*products);
  Report r_ours, r_bm25, r_file;
  for (size_t q = 0; q < queries->size(); ++q) {
    const BatchQuery& query = (*queries)[q];
    auto it = labels.find(query.id);
    const std::map<std::string, int> judged =
        it == labels.end() ? std::map<std::string, int>() : it->second;
    r_ours.per_query.push_back(Ndcg((*ours)[q].second, judged, k));
    r_bm25.per_query.push_back(Ndcg(bm25.Rank(query.text, k), judged, k));
    r_file.per_query.push_back(Ndcg(file_predictions[query.id], judged, k));
    if (per_query) {
      std::printf("%-6s %-40s bm25 %.3f  ours %.3f\n", query.id.c_str(),
                  query.text.c_str(), r_bm25.per_query.back(),
                  r_ours.per_query.back());
    }
  }
  const size_t n = queries->size(), half = n / 2;
  auto line = [&](const char* name, const Report& r) {
    std::printf("%-22s all %.4f   A(1-%zu) %.4f   B(%zu-%zu) %.4f\n", name,
                r.Mean(0, n), half, r.Mean(0, half), half + 1, n, r.Mean(half, n));
  };
  std::printf("nDCG@%zu on %zu queries, %zu products\n", k, n, products->size());
  line("bm25 (baseline)", r_bm25);
  line("storepilot", r_ours);
  if (!predictions.empty()) line("predictions file", r_file);
  std::printf("ratio storepilot/bm25  all %.3f   A %.3f   B %.3f\n",
              r_ours.Mean(0, n) / r_bm25.Mean(0, n),
              r_ours.Mean(0, half) / r_bm25.Mean(0, half),
              r_ours.Mean(half, n) / r_bm25.Mean(half, n));
  return 0;
}
