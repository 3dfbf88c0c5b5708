#ifndef STOREPILOT_INGEST_SHOP_STATS_H_
#define STOREPILOT_INGEST_SHOP_STATS_H_

// Distinct sessions and users per shop, from the log's events (64-bit hashes
// of the ids, so memory is 8 bytes per distinct id). Thread-safe.

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ingest/event_sink.h"
#include "store/log_record.h"

namespace storepilot::ingest {

class ShopStats : public EventSink {
 public:
  void Apply(const store::LogRecord& record) override;
  void ApplyEvent(const store::LogRecord& record, const Event& event) override;
  uint64_t Sessions(const std::string& shop) const;
  uint64_t Users(const std::string& shop) const;
  // Events applied so far (lags the durable count by the partition lag).
  uint64_t Events(const std::string& shop) const;
  // Privacy: forgets the hashes of `user_id` and `session_ids` in `shop`
  // (the distinct counts drop; the event count is an aggregate and stays),
  // or everything of `shop`.
  void Forget(const std::string& shop, const std::string& user_id,
              const std::vector<std::string>& session_ids);
  void ForgetShop(const std::string& shop);

 private:
  struct PerShop {
    std::unordered_set<uint64_t> sessions;
    std::unordered_set<uint64_t> users;
    uint64_t events = 0;
  };
  mutable std::mutex mu_;
  std::unordered_map<std::string, PerShop> shops_;  // guarded by mu_
};

}  // namespace storepilot::ingest

#endif  // STOREPILOT_INGEST_SHOP_STATS_H_
