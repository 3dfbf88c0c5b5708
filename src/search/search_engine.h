#ifndef STOREPILOT_SEARCH_SEARCH_ENGINE_H_
#define STOREPILOT_SEARCH_SEARCH_ENGINE_H_

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "search/analyzer.h"
#include "search/filters.h"
#include "search/inverted_index.h"
#include "search/learned_ranking.h"
#include "search/merchandising.h"
#include "search/personalization.h"
#include "search/product.h"
#include "search/query_builder.h"
#include "search/query_signals.h"
#include "search/ranker.h"
#include "search/suggester.h"
#include "search/synonyms.h"

namespace storepilot::search {

enum class SortOrder { kRelevance, kPriceAsc, kPriceDesc, kNewest, kBestSelling };

// "relevance", "price_asc", "price_desc", "newest", "best_selling";
// InvalidArgument otherwise.
absl::StatusOr<SortOrder> ParseSortOrder(std::string_view name);

struct SearchRequest {
  std::string query;  // Empty: browse the (filtered) catalog by popularity.
  Filters filters;
  std::vector<std::string> facets;  // Names from kFacetNames.
  size_t max_facet_values = 20;
  SortOrder sort = SortOrder::kRelevance;
  size_t page = 1;  // 1-based.
  size_t per_page = 20;
  bool typo_tolerance = true;
  bool prefix = true;  // Complete the last word (as-you-type).
  // Relax (drop the least informative words, then allow typos in every
  // word) until at least this many products match.
  size_t min_results = 1;
  std::optional<Affinities> affinities;  // The shopper's, if known.
};

struct SearchHit {
  std::string product_id;
  double score;
  std::vector<std::string> highlights;  // Title words that matched.
};

struct SearchResponse {
  size_t total = 0;  // Matching products, over all pages.
  std::vector<SearchHit> hits;
  std::vector<FacetResult> facets;
  std::string corrected_query;  // Set when typos were corrected.
  bool relaxed = false;         // Some query words were not required.
  bool conversion_boost = false;  // The query's click/conversion signal applied.
  uint64_t ranker_version = 0;    // The learning-to-rank model applied (0: none).
};

struct SearchEngineOptions {
  AnalyzerOptions analyzer;
  QueryOptions query;
  RankingParams ranking;
  PersonalizationParams personalization;
  // Query-conversion boost and learning to rank (docs/search-learning.md).
  LearnedRankingParams learned;
  QuerySignalsOptions signals;
  // Compact the index once tombstones exceed this share of live products.
  double compact_ratio = 0.25;
};

// When and how TrainRanker trains.
struct RankerTrainingOptions {
  // Fewer served searches with a click than this: no training.
  size_t min_labelled_searches = 500;
  // The most recent share of them validates instead of training.
  double validation_fraction = 0.2;
  LtrTrainOptions train;
  // A control for tests and benchmarks: permute the grades within each
  // training search (seeded by train.seed), so the model learns noise and
  // the validation gate should refuse it.
  bool shuffle_training_labels = false;
};

// The outcome of one TrainRanker call.
struct RankerTrainingReport {
  bool accepted = false;  // The new model now serves.
  std::string reason;     // Why not, when refused.
  size_t labelled_searches = 0;
  size_t training_searches = 0;    // Groups used (two grades, still indexed).
  size_t validation_searches = 0;
  double validation_ndcg = 0;      // nDCG@10 of the candidate model ...
  double serving_ndcg = 0;         // ... and of the ranking in service.
  uint64_t version = 0;            // The model in service afterwards (0: none).
};

// The learning-to-rank model in service.
struct RankerStatus {
  uint64_t version = 0;  // 0: no model; the learned stage is off.
  int64_t trained_at_ms = 0;
  size_t training_searches = 0;
  size_t validation_searches = 0;
  double validation_ndcg = 0;
  double serving_ndcg = 0;  // Of the ranking it replaced.
};

struct SearchEngineStats {
  size_t products = 0;
  size_t terms = 0;
  size_t memory_bytes = 0;
};

// One shop's product search: the index, the shop's synonyms and
// merchandising rules, and the ranking. Writes (Upsert, Remove, Set*) are
// visible to the next Search. Thread-safe: searches run concurrently under
// a reader lock; writes take the writer lock.
class SearchEngine {
 public:
  // `clock` (for rule time windows) is not owned and must outlive the
  // engine. InvalidArgument for an unknown stemmer language.
  static absl::StatusOr<std::unique_ptr<SearchEngine>> Create(
      const SearchEngineOptions& options, const Clock* clock);

  // Adds or replaces a product. InvalidArgument for an empty id.
  absl::Status Upsert(const Product& product) ABSL_LOCKS_EXCLUDED(mu_);
  // Removes a product; NotFound if the id is unknown.
  absl::Status Remove(std::string_view product_id) ABSL_LOCKS_EXCLUDED(mu_);
  // Sets a product's popularity (clicks, carts and sales the server counts
  // from the event log); returns false when the id is not indexed.
  bool SetPopularity(std::string_view product_id, double popularity)
      ABSL_LOCKS_EXCLUDED(mu_);
  void SetSynonyms(SynonymSet synonyms) ABSL_LOCKS_EXCLUDED(mu_);
  void SetMerchandisingRules(std::vector<MerchandisingRule> rules)
      ABSL_LOCKS_EXCLUDED(mu_);

  // InvalidArgument on a bad request (page or per_page of 0, per_page over
  // 250, more than 10,000 results deep, a query over 1 KiB, an unknown facet,
  // min_price above max_price).
  absl::StatusOr<SearchResponse> Search(const SearchRequest& request) const
      ABSL_LOCKS_EXCLUDED(mu_);

  // Autocomplete for a partly typed query: logged queries of the shop that
  // start with it (most searched first), then catalog words completing its
  // last word (most frequent first), at most `limit` in all.
  std::vector<std::string> Suggest(std::string_view prefix, size_t limit) const
      ABSL_LOCKS_EXCLUDED(mu_);
  // Feeds the query log behind Suggest (the server calls it per search).
  void RecordQuery(std::string_view query, size_t results)
      ABSL_LOCKS_EXCLUDED(mu_);

  SearchEngineStats Stats() const ABSL_LOCKS_EXCLUDED(mu_);

  // --- Learned ranking (search_engine_learning.cc). The Record* calls come
  // from the log in order; time is the events' own.
  // The normalised form of a query the signals are kept under: its
  // analysed non-stop-word terms, space separated.
  std::string QueryKey(std::string_view query) const;
  // A search served under `request_id` (its first page of `products`).
  void RecordServed(const std::string& request_id, std::string_view query,
                    std::vector<std::string> products, int64_t time_ms)
      ABSL_LOCKS_EXCLUDED(signals_mu_);
  // A click citing a served search; false when the request is unknown.
  bool RecordClick(const std::string& request_id, const std::string& product_id,
                   const std::string& session_id, int64_t time_ms)
      ABSL_LOCKS_EXCLUDED(signals_mu_);
  // A cart or purchase; false when no search click in the session led to it.
  bool RecordConversion(const std::string& session_id, const std::string& product_id,
                        int64_t time_ms) ABSL_LOCKS_EXCLUDED(signals_mu_);
  QuerySignalsStats SignalStats() const ABSL_LOCKS_EXCLUDED(signals_mu_);
  // Privacy: forget these sessions' pending clicks, or every signal, served
  // list and the learned ranker (the shop's redaction).
  void ForgetSessions(const std::vector<std::string>& session_ids)
      ABSL_LOCKS_EXCLUDED(signals_mu_);
  void ForgetAllSignals() ABSL_LOCKS_EXCLUDED(signals_mu_);
  // Trains a learning-to-rank model on the labelled served searches (oldest
  // first; the newest validation_fraction held out) and puts it in service
  // when its nDCG@10 on the held-out searches is not below the ranking in
  // service. FailedPrecondition when fewer than min_labelled_searches
  // exist; a refused model is an OK report with accepted = false. Runs
  // searches under the reader lock, one at a time: call it from a
  // background thread, never concurrently with itself.
  absl::StatusOr<RankerTrainingReport> TrainRanker(const RankerTrainingOptions& options,
                                                   int64_t now_ms)
      ABSL_LOCKS_EXCLUDED(mu_, signals_mu_);
  RankerStatus Ranker() const ABSL_LOCKS_EXCLUDED(signals_mu_);

 private:
  // The served search re-ranked as it would be now, rows in that order:
  // the served products down to the lowest clicked one when `skip_above`
  // (training: the rest were probably not looked at), else all of them
  // (validation: cutting at the click would put the click last in the
  // ranking in service and bias the comparison against it). Empty when
  // unusable.
  LtrGroup GroupFor(const ServedSearch& served, const LtrModel* model, bool skip_above) const
      ABSL_LOCKS_EXCLUDED(mu_, signals_mu_);
  // The learned stages for a search of `query` (normalised `key`).
  // Sets response->conversion_boost / ranker_version when a stage applied.
  void ApplyLearned(const ParsedQuery& parsed, const std::string& key,
                    std::vector<Candidate>* ranked, SearchResponse* response) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_) ABSL_LOCKS_EXCLUDED(signals_mu_);
  SearchEngine(const SearchEngineOptions& options, const Clock* clock,
               std::unique_ptr<Analyzer> analyzer);

  // Matches and ranks; relaxes until request.min_results match.
  std::vector<Candidate> Retrieve(const SearchRequest& request,
                                  const CompiledFilters& filters,
                                  size_t needed, SearchResponse* response,
                                  ParsedQuery* parsed) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Every product passing `filters`, the `needed` most popular first.
  std::vector<Candidate> Browse(const CompiledFilters& filters,
                                size_t needed) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void Merchandise(const std::vector<const MerchandisingRule*>& rules,
                   const CompiledFilters& filters,
                   std::vector<Candidate>* ranked) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // `terms`: the index terms of the query, to highlight in the title.
  SearchHit MakeHit(const Candidate& cand,
                    const absl::flat_hash_set<std::string>& terms) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void MaybeCompact() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const SearchEngineOptions options_;
  const Clock* const clock_;
  const std::unique_ptr<Analyzer> analyzer_;
  mutable absl::Mutex mu_;
  InvertedIndex index_ ABSL_GUARDED_BY(mu_);
  SynonymSet synonyms_ ABSL_GUARDED_BY(mu_);
  std::vector<MerchandisingRule> rules_ ABSL_GUARDED_BY(mu_);
  mutable absl::Mutex log_mu_ ABSL_ACQUIRED_AFTER(mu_);
  QueryLog query_log_ ABSL_GUARDED_BY(log_mu_);
  mutable absl::Mutex signals_mu_ ABSL_ACQUIRED_AFTER(mu_);
  QuerySignals signals_ ABSL_GUARDED_BY(signals_mu_);
  std::shared_ptr<const LtrModel> ranker_ ABSL_GUARDED_BY(signals_mu_);
  RankerStatus ranker_status_ ABSL_GUARDED_BY(signals_mu_);
  // Whether anything was learnt yet: searches of a shop without logs skip
  // the learned stages without taking signals_mu_.
  std::atomic<bool> learning_ = false;
};

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_SEARCH_ENGINE_H_
