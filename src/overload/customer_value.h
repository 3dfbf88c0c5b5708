#ifndef STOREPILOT_OVERLOAD_CUSTOMER_VALUE_H_
#define STOREPILOT_OVERLOAD_CUSTOMER_VALUE_H_

// Customer value, the "user priority" of DAGOR's compound admission level:
// an RFM model (recency, frequency, monetary value) learned from purchase
// history, per shop, plus the session signals of anonymous shoppers (items in
// the cart, checkout started). Fed from purchase, cart and checkout events
// (see CustomerValueSink); read on every admission decision.
//
// The R, F and M of a customer are each scored 1-5 by the quintile of the
// shop's customers they fall in (classic RFM segmentation); the quintile cut
// points are refitted from the shop's customers every `refit_every` purchases
// (or 10% of the customers, whichever is more), so the score adapts to each
// shop's own distribution. Recency ranks the last purchase's timestamp, so
// the score does not need "now".
//
// Memory is bounded: at most `max_customers` customers per model (when full,
// a refit forgets the customers whose last purchase is in the oldest
// quintile) and `max_sessions` sessions (two generations: when the current
// one is half full it becomes the previous one and the oldest is dropped).
// Thread-safe.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "overload/priority.h"

namespace storepilot::overload {

struct CustomerValueOptions {
  size_t max_customers = 1'000'000;
  size_t max_sessions = 200'000;
  uint32_t refit_every = 1'000;  // purchases per shop between refits (minimum)
};

struct CustomerValue {
  bool known = false;  // has at least one purchase
  uint32_t orders = 0;
  double monetary = 0.0;  // sum of order values, in the events' currency
  int64_t last_purchase_ms = 0;
  int recency = 0, frequency = 0, monetary_score = 0;  // quintiles 1-5 (0: unknown)
  double score = 0.0;  // in [0, 1]: (R + F + M - 3) / 12
};

struct SessionSignals {
  int64_t cart_items = 0;
  bool checkout_started = false;
};

// User priorities run from 0 (anonymous, nothing in the cart) to
// kMaxUserPriority (the shop's most valuable customers).
inline constexpr int kMaxUserPriority = 7;

class CustomerValueModel {
 public:
  explicit CustomerValueModel(CustomerValueOptions options = {});

  // A purchase of `amount` (>= 0) by `customer` of `shop` at `ts_ms`.
  // Empty customer ids are ignored.
  void ObservePurchase(std::string_view shop, std::string_view customer, int64_t ts_ms,
                       double amount);
  // Items added to (delta > 0) or removed from (delta < 0) a session's cart;
  // the count never goes below zero.
  void ObserveCart(std::string_view shop, std::string_view session, int64_t delta);
  void ObserveCheckout(std::string_view shop, std::string_view session);
  // The order is placed: the session's cart is empty again.
  void ObserveOrderPlaced(std::string_view shop, std::string_view session);

  CustomerValue Value(std::string_view shop, std::string_view customer) const;
  SessionSignals Session(std::string_view shop, std::string_view session) const;

  // 0..kMaxUserPriority; the higher the more valuable:
  //   a buyer: 3 + round(4 * score)            (3..7)
  //   an identified customer without orders: 2
  //   a session: checkout started 4, 3+ items in the cart 2, 1-2 items 1
  // and the maximum of what applies.
  int UserPriority(const Identity& who) const;

  // Privacy: forgets `customer` of `shop` (their RFM history) and the listed
  // sessions' signals; the shop's quintile cut points are aggregates and
  // stay until the next refit. Returns whether anything was held.
  bool Forget(std::string_view shop, std::string_view customer,
              const std::vector<std::string>& sessions);
  // Forgets every customer and session of `shop`.
  void ForgetShop(std::string_view shop);

  size_t customers() const;
  size_t sessions() const;

 private:
  struct Customer {
    uint32_t orders = 0;
    double monetary = 0.0;
    int64_t last_ms = 0;
  };
  struct Cuts {  // quintile cut points (20/40/60/80%); empty before the first fit
    std::array<double, 4> orders{}, monetary{}, last_ms{};
    bool fitted = false;
  };
  struct Shop {
    std::unordered_map<std::string, Customer> customers;
    Cuts cuts;
    uint32_t since_refit = 0;
  };

  void RefitLocked(Shop& shop) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  CustomerValue ValueLocked(const Shop& shop, std::string_view customer) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  SessionSignals* MutableSessionLocked(std::string_view shop, std::string_view session)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  SessionSignals SessionLocked(std::string_view shop, std::string_view session) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const CustomerValueOptions options_;
  mutable absl::Mutex mu_;
  std::unordered_map<std::string, Shop> shops_ ABSL_GUARDED_BY(mu_);
  size_t total_customers_ ABSL_GUARDED_BY(mu_) = 0;
  // Key: shop + '\n' + session.
  std::unordered_map<std::string, SessionSignals> sessions_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, SessionSignals> old_sessions_ ABSL_GUARDED_BY(mu_);
};

}  // namespace storepilot::overload

#endif  // STOREPILOT_OVERLOAD_CUSTOMER_VALUE_H_
