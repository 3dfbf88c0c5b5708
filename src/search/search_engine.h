#ifndef STOREPILOT_SEARCH_SEARCH_ENGINE_H_
#define STOREPILOT_SEARCH_SEARCH_ENGINE_H_

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
#include "search/merchandising.h"
#include "search/personalization.h"
#include "search/product.h"
#include "search/query_builder.h"
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
};

struct SearchEngineOptions {
  AnalyzerOptions analyzer;
  QueryOptions query;
  RankingParams ranking;
  PersonalizationParams personalization;
  // Compact the index once tombstones exceed this share of live products.
  double compact_ratio = 0.25;
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

 private:
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
};

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_SEARCH_ENGINE_H_
