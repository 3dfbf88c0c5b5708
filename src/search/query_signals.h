#ifndef STOREPILOT_SEARCH_QUERY_SIGNALS_H_
#define STOREPILOT_SEARCH_QUERY_SIGNALS_H_

// What shoppers did with a shop's search results, learnt from the log:
// served result lists (by request_id), clicks citing a request_id, and carts
// or purchases of a clicked product later in the same session. Two uses:
//  - per normalised query and product, exponentially decayed click and
//    conversion counts (the query-conversion ranking signal);
//  - the recent served lists with graded labels (conversion 2, click 1,
//    skipped above a click 0), the training data of the learning-to-rank
//    stage.
// Every structure is bounded (queries LRU, products per query, requests,
// sessions). Time is the events' own time, so replaying the same log gives
// the same state. Not thread-safe: SearchEngine guards it.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace storepilot::search {

struct QuerySignalsOptions {
  size_t max_queries = 20'000;  // Per shop; least recently updated dropped.
  size_t max_products_per_query = 64;  // Smallest counts dropped.
  // Served lists remembered for clicks and training (oldest dropped).
  size_t max_requests = 20'000;
  size_t max_products_per_request = 20;  // The first page.
  size_t max_sessions = 50'000;  // Sessions whose clicks can still convert.
  // Counts halve every half_life_ms of event time.
  int64_t half_life_ms = 14LL * 24 * 3600 * 1000;
  // A cart or purchase counts for a click at most this long after it.
  int64_t attribution_window_ms = 24LL * 3600 * 1000;
};

// Decayed counts of one product for one query.
struct ProductSignal {
  double clicks = 0;
  double conversions = 0;
};

// One query's counts, decayed to `last_ms` (read them with Decay()).
struct QuerySignal {
  double searches = 0;
  int64_t last_ms = 0;
  absl::flat_hash_map<std::string, ProductSignal> products;
};

// One served result list and what the shopper did with it.
struct ServedSearch {
  std::string request_id;
  std::string query;  // As typed.
  std::string key;    // Normalised (QueryKey).
  int64_t time_ms = 0;
  std::vector<std::string> products;  // Best first.
  std::vector<uint8_t> grades;        // Per product: 0, 1 click, 2 conversion.
  bool clicked() const;
};

struct QuerySignalsStats {
  size_t queries = 0;
  size_t requests = 0;           // Served lists remembered.
  size_t labelled_requests = 0;  // ... with at least one click.
  uint64_t clicks = 0;           // Attributed since start (not decayed).
  uint64_t conversions = 0;
};

class QuerySignals {
 public:
  explicit QuerySignals(QuerySignalsOptions options = {});

  // A search served under `request_id` for `query` (normalised to `key`)
  // listing `products`. A repeated request_id adds the products if the first
  // report had none (a client `search` event and the server's own record
  // describe the same search) and is otherwise ignored. An empty key or
  // request_id is ignored.
  void Served(const std::string& request_id, std::string_view query,
              const std::string& key, std::vector<std::string> products,
              int64_t time_ms);
  // A click on `product_id` citing `request_id`; false when the request is
  // unknown (never served, or forgotten).
  bool Click(const std::string& request_id, const std::string& product_id,
             const std::string& session_id, int64_t time_ms);
  // A cart or purchase of `product_id` in `session_id`: converts the
  // session's latest unconverted click on it within the attribution window.
  // False when there is none.
  bool Conversion(const std::string& session_id, const std::string& product_id,
                  int64_t time_ms);

  // Forgets the pending clicks of these sessions (a shopper's redaction);
  // the per-query counts they already fed are aggregates and stay.
  void ForgetSessions(const std::vector<std::string>& session_ids);
  // Forgets everything (the shop's redaction).
  void Clear() { *this = QuerySignals(options_); }

  // The query's counts, or null. `*decay` gets the factor that brings them
  // to the latest event time.
  const QuerySignal* Find(std::string_view key, double* decay) const;
  // Served lists with at least one click, oldest first.
  std::vector<ServedSearch> LabelledSearches() const;
  QuerySignalsStats Stats() const;

 private:
  struct PendingClick {
    std::string request_id;
    std::string key;
    std::string product_id;
    int64_t time_ms;
    bool converted;
  };
  double DecayFactor(int64_t from_ms, int64_t to_ms) const;
  QuerySignal* Touch(const std::string& key, int64_t time_ms);
  void Trim(QuerySignal* q);
  ServedSearch* FindRequest(const std::string& request_id);

  QuerySignalsOptions options_;
  int64_t now_ms_ = 0;  // Latest event time seen.
  // Queries, most recently updated at the front of lru_.
  std::list<std::string> lru_;
  struct QueryEntry {
    QuerySignal signal;
    std::list<std::string>::iterator lru;
  };
  absl::flat_hash_map<std::string, QueryEntry> queries_;
  std::deque<ServedSearch> served_;  // Oldest first.
  uint64_t served_base_ = 0;         // Sequence number of served_.front().
  absl::flat_hash_map<std::string, uint64_t> request_seq_;
  absl::flat_hash_map<std::string, std::vector<PendingClick>> sessions_;
  std::deque<std::string> session_order_;  // For the bound, oldest first.
  uint64_t clicks_ = 0, conversions_ = 0;
};

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_QUERY_SIGNALS_H_
