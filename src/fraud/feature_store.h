#ifndef STOREPILOT_FRAUD_FEATURE_STORE_H_
#define STOREPILOT_FRAUD_FEATURE_STORE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "fraud/entity_history.h"
#include "fraud/order.h"

namespace storepilot::fraud {

inline constexpr int64_t kMillisPerHour = 3600LL * 1000;
inline constexpr int64_t kMillisPerDay = 24 * kMillisPerHour;

struct FeatureStoreOptions {
  // A label is used by features only once its order is at least this old (and
  // the label has arrived): labels of the last `label_delay_ms` are unknown in
  // practice (chargebacks take days to come back).
  int64_t label_delay_ms = 7 * kMillisPerDay;
  // Memory bound: at most this many past orders are held per tracked key; for
  // busier keys the windows cover the most recent `max_events_per_key` orders.
  size_t max_events_per_key = 256;
};

// The entities whose windows are tracked. Order matters: it is the feature
// layout.
enum class EntityKind : int {
  kCustomer = 0,
  kCard,
  kEmail,
  kIp,
  kIpPrefix,
  kDevice,
  kAddress,
  kTerminal,
};
inline constexpr int kNumEntityKinds = 8;

// Online feature store: consumes orders (and labels) in time order and
// answers the feature vector of an order from the state before it. The batch
// command and the server use this same class, so an offline feature vector is
// exactly what the live system computes.
//
// Features never use a label before max(label arrival, order time + label
// delay). Memory is bounded per key (see FeatureStoreOptions) and in age: state
// older than 30 days + label delay + 1 day is dropped.
//
// Not thread-safe: one writer (the shop's partition) at a time.
class FeatureStore {
 public:
  explicit FeatureStore(FeatureStoreOptions options = {});

  // Names of the features, in vector order. Stable for a given schema
  // version.
  static const std::vector<std::string>& FeatureNames();
  // Identifies the feature layout; stored with trained models.
  static std::string SchemaVersion();
  static size_t NumFeatures() { return FeatureNames().size(); }

  // Writes the features of `order` as of `order.time_ms`, computed from the
  // orders observed before it, into `out` (NumFeatures() floats; NaN =
  // missing). Does not change the state.
  void Compute(const Order& order, float* out) const;
  std::vector<float> Compute(const Order& order) const;

  // Records `order`. When `label` is set, it is treated as arrived at
  // `label_time_ms` (default: the order's own time, as when replaying a
  // labelled history).
  void Observe(const Order& order, std::optional<bool> label = std::nullopt,
               std::optional<int64_t> label_time_ms = std::nullopt);

  // A label for an already observed order (e.g. a chargeback), arriving at
  // `label_time_ms`. Returns the number of entity histories updated (0 when
  // the order has aged out or was never observed).
  int AddLabel(const Order& order, bool fraud, int64_t label_time_ms);

  // Privacy. Forget removes `order` from every window it was added to except
  // its terminal's (a merchant aggregate that cannot identify the customer);
  // windows left empty are dropped. ForgetKeys drops the windows of `kind`
  // whose key `matches`; ForgetCustomerPairs the first-seen (customer,
  // device|ip|address|terminal) pairs of `customer_id`.
  void Forget(const Order& order);
  void ForgetKeys(EntityKind kind, const std::function<bool(const std::string&)>& matches);
  void ForgetCustomerPairs(const std::string& customer_id);

  struct MemoryStats {
    size_t tracked_keys = 0;
    size_t bytes = 0;  // Approximate: keys, histories and hash-table slots.
    double BytesPerKey() const {
      return tracked_keys == 0 ? 0.0 : static_cast<double>(bytes) / tracked_keys;
    }
  };
  MemoryStats Memory() const;

  const FeatureStoreOptions& options() const { return options_; }

 private:
  using HistoryMap = absl::flat_hash_map<std::string, EntityHistory>;
  // Keys of `order` per entity kind; empty when the order lacks that entity.
  std::array<std::string, kNumEntityKinds> Keys(const Order& order) const;
  void Sweep(int64_t now_ms);
  int64_t RetentionMs() const;

  // The terminal's "common point of purchase" features (see Compute).
  void ComputeMerchantFeatures(const EntityHistory* terminal, int64_t now_ms,
                               float* out) const;
  // Records (fraud) or withdraws (genuine) the fraud label of an order in
  // payer_frauds_.
  void MarkPayerFraud(const Order& order, bool fraud, int64_t usable_ms);

  // A labelled fraud of one payer: when its order happened, when its label may
  // be used, and which order it was.
  struct FraudMark {
    int64_t time_ms = 0;
    int64_t usable_ms = 0;
    uint32_t order_hash = 0;
  };

  FeatureStoreOptions options_;
  std::array<HistoryMap, kNumEntityKinds> histories_;
  // The fraud-labelled orders of each payer (card, else customer) by payer
  // hash: only payers with a fraud are held, aged out like the histories.
  absl::flat_hash_map<uint32_t, std::vector<FraudMark>> payer_frauds_;
  // Last time each (customer, device|ip|address|terminal) pair was seen.
  absl::flat_hash_map<std::string, int64_t> pairs_last_seen_;
  int64_t last_sweep_ms_ = 0;
};

}  // namespace storepilot::fraud

#endif  // STOREPILOT_FRAUD_FEATURE_STORE_H_
