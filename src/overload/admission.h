#ifndef STOREPILOT_OVERLOAD_ADMISSION_H_
#define STOREPILOT_OVERLOAD_ADMISSION_H_

// Priority-aware admission control, after WeChat's DAGOR with an adaptive
// concurrency limit after Netflix's Gradient2:
//
// * Every request has a compound priority in [0, 256): its class (critical
//   192-255, high 128-191, normal 64-127, low 0-63), within the class its
//   user priority 0-7 (CustomerValueModel) times 8, and 3 bits of a hash of
//   the customer or session id, so that among equals the same users are
//   served or shed together (a journey is kept whole, not cut at random).
// * An admission level L: requests with priority < L are shed. Every window
//   the controller looks at the queueing delay (how late the server's event
//   loop runs work: DAGOR's and CoDel's overload signal; the window's
//   smallest sample, CoDel's test of a standing queue) and at the
//   requests refused by the concurrency limit. Overloaded: shed a further
//   5% of the arrivals (up to 20% when the delay is 4x the target); calm:
//   readmit 1%. L is recomputed from the histogram of the window's arrival
//   priorities, so it sheds from the bottom (low first, critical last) and
//   rises and falls with load rather than being a fixed quota. By default L
//   stops at the critical band: critical requests are refused only by the
//   concurrency limit.
// * The concurrency limit bounds the requests in flight, partitioned by
//   priority: a class is refused when the requests in flight of its own and
//   the more important classes reach its share of the limit (critical 2x,
//   high 1x, normal 0.9x, low 0.8x), so even between two level updates a
//   burst is refused from the bottom, and less important work never takes
//   the slots of more important work.
// * Exempt requests (webhook acknowledgements, probes) are always admitted.
// * An admitted request whose priority is within one class of L should
//   degrade (cheaper answers), as it would be the next to be shed.
//
// Thread-safe. Time comes from the Clock, so tests drive it with a FakeClock.

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "observe/metrics.h"
#include "overload/concurrency_limit.h"
#include "overload/customer_value.h"
#include "overload/priority.h"

namespace storepilot::overload {

inline constexpr int kNumPriorities = 256;
inline constexpr int kClassBand = 64;

struct AdmissionOptions {
  // Disabled: every request is admitted (and counted), nothing is shed.
  bool enabled = true;
  ConcurrencyLimitOptions limit;
  int64_t window_us = 50'000;              // the level is recomputed this often
  int64_t target_queue_delay_us = 20'000;  // overloaded above this standing delay (DAGOR's 20 ms)
  // A window with fewer arrivals is calm whatever the delay: an idle server
  // is not overloaded (its timer may run late because the machine is busy),
  // and shedding its few requests would not help.
  uint32_t min_window_arrivals = 10;
  // The limit's refusals raise the level once they exceed this share of a
  // window's arrivals (below it the limit alone sheds the burst).
  double limit_refusals_overload = 0.05;
  // Queued requests that expire (waited past the queue's deadline, or were
  // pushed out of a full queue) mean more was admitted than the workers can
  // serve in time, whatever the standing delay of the work that did start:
  // the level rises once they exceed this share of a window's arrivals.
  double queue_expiry_overload = 0.01;
  double shed_step = 0.05;                 // fraction of arrivals shed further per window
  double max_shed_step = 0.20;             // ... when the delay is far above target
  double recover_step = 0.01;              // fraction readmitted per calm window
  // The level never rises above this: by default it sheds everything but
  // critical, and critical requests are refused only by the concurrency
  // limit (their 2x share of it). Queueing delay can come from outside (a
  // noisy neighbour, a stalled disk) and must not shed checkout by itself.
  int max_level = 3 * 64;
  // Share of the concurrency limit each class may fill, by class rank.
  std::array<double, kNumClasses> limit_share = {2.0, 1.0, 0.9, 0.8};
  // Seconds in Retry-After, by class rank.
  std::array<int, kNumClasses> retry_after_s = {1, 1, 2, 5};
};

// Compound priority of a class, a user priority (0..kMaxUserPriority) and
// the user's id (customer or session; may be empty).
int CompoundPriority(RequestClass cls, int user_priority, std::string_view user_key);

struct Decision {
  bool admit = true;
  bool degrade = false;
  bool exempt = false;
  RequestClass cls = RequestClass::kNormal;
  int user_priority = 0;
  int priority = 0;  // compound, 0..255
  int level = 0;     // the level it was compared with
  int retry_after_s = 0;  // when shed
  // kQueue: admitted at the door, then dropped from the server's priority
  // queue (waited too long for a worker, or the queue was full).
  enum class Reason { kAdmitted, kExempt, kDisabled, kLevel, kLimit, kQueue } reason =
      Reason::kAdmitted;
};

std::string_view ReasonName(Decision::Reason reason);

struct AdmissionSnapshot {
  bool enabled = true;
  int level = 0;
  double shed_fraction = 0;
  double limit = 0;
  int inflight = 0;
  int64_t queue_delay_us = 0;  // smallest of the last closed window
  double baseline_latency_us = 0, recent_latency_us = 0;
};

class AdmissionController {
 public:
  class Ticket;

  // `clock` and `values` must outlive the controller; `values` and
  // `metrics` may be null (no user priorities; no metrics).
  AdmissionController(AdmissionOptions options, const Clock* clock,
                      const CustomerValueModel* values, observe::MetricsRegistry* metrics);
  ~AdmissionController();

  // Decides one request of this server. When admitted, `*ticket` holds its
  // slot until destroyed (when the response is sent); its destructor feeds
  // the latency to the limit. `ticket` may be null for a decision only.
  Decision Admit(const Classification& c, const Identity& who, std::unique_ptr<Ticket>* ticket);

  // The same decision for a request to another service, which storepilot
  // does not see complete (POST /v1/admission/decide): the level and the
  // priorities apply, not this server's concurrency limit.
  Decision DecideExternal(const Classification& c, const Identity& who);

  // A measured queueing delay (the server's event-loop lag, or the age of the
  // oldest request waiting for a worker), in µs.
  void OnQueueDelay(int64_t delay_us);
  // An admitted request of `cls` was dropped from the priority queue: counted
  // as shed (its admission was counted at the door).
  void OnQueueExpired(RequestClass cls);

  AdmissionSnapshot Snapshot() const;
  bool enabled() const { return options_.enabled; }
  const AdmissionOptions& options() const { return options_; }

 private:
  struct Metrics;
  Decision Prepare(const Classification& c, const Identity& who) const;
  void Count(const Decision& d);
  void Release(RequestClass cls, int64_t start_us, int inflight_at_start, bool limited);
  void MaybeCloseWindowLocked(int64_t now_us) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Requests in flight of `cls` and the classes above it: a class is limited
  // by its own and more important work only, so a flood of low requests
  // (which may be waiting in the priority queue, not using the CPU) never
  // takes the slots of a checkout.
  int InflightAtOrAboveLocked(RequestClass cls) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  int LevelForFractionLocked(double fraction) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void PublishLocked() ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const AdmissionOptions options_;
  const Clock* clock_;
  const CustomerValueModel* values_;
  std::unique_ptr<Metrics> metrics_;

  mutable absl::Mutex mu_;
  ConcurrencyLimit limit_ ABSL_GUARDED_BY(mu_);
  int inflight_ ABSL_GUARDED_BY(mu_) = 0;
  std::array<int, kNumClasses> inflight_by_class_ ABSL_GUARDED_BY(mu_){};
  int level_ ABSL_GUARDED_BY(mu_) = 0;
  double shed_fraction_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t window_start_us_ ABSL_GUARDED_BY(mu_) = -1;
  std::array<uint32_t, kNumPriorities> arrivals_ ABSL_GUARDED_BY(mu_){};
  uint32_t window_arrivals_ ABSL_GUARDED_BY(mu_) = 0;
  uint32_t window_limit_refusals_ ABSL_GUARDED_BY(mu_) = 0;
  uint32_t window_queue_expired_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t window_delay_min_us_ ABSL_GUARDED_BY(mu_) = INT64_MAX;
  uint32_t window_delay_samples_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t queue_delay_us_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t last_log_us_ ABSL_GUARDED_BY(mu_) = 0;
  int logged_level_ ABSL_GUARDED_BY(mu_) = 0;
};

// An admitted request's slot; releases it when destroyed. Thread-compatible.
class AdmissionController::Ticket {
 public:
  ~Ticket();
  Ticket(const Ticket&) = delete;
  Ticket& operator=(const Ticket&) = delete;

  // The request's latency will not teach the concurrency limit: it is going
  // to wait in a priority queue, and that wait (bounded by the queue, and
  // the queue's own overload signal) is not the server's execution latency.
  // It still holds its slot.
  void SkipLatencySample() { limited_ = false; }

 private:
  friend class AdmissionController;
  Ticket(AdmissionController* owner, RequestClass cls, int64_t start_us, int inflight,
         bool limited)
      : owner_(owner), cls_(cls), start_us_(start_us), inflight_(inflight), limited_(limited) {}
  AdmissionController* owner_;
  RequestClass cls_;
  int64_t start_us_;
  int inflight_;
  bool limited_;
};

}  // namespace storepilot::overload

#endif  // STOREPILOT_OVERLOAD_ADMISSION_H_
