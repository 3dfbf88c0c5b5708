#ifndef STOREPILOT_OVERLOAD_CONCURRENCY_LIMIT_H_
#define STOREPILOT_OVERLOAD_CONCURRENCY_LIMIT_H_

// An adaptive concurrency limit in the spirit of Netflix's Gradient2: the
// limit follows the ratio between a long-term latency baseline and the
// recent latency. While the recent latency stays within `tolerance` times
// the baseline the limit grows by about sqrt(limit) per window (probing for
// capacity); when latency inflates (queues are building) it shrinks in
// proportion, down to half per window. Driven by samples and their
// timestamps only, so a test steps it with a fake clock. Not thread-safe:
// the AdmissionController serialises calls.

#include <cstdint>

namespace storepilot::overload {

struct ConcurrencyLimitOptions {
  // Writes wait for a group commit's fsync, so even a healthy server has
  // tens of requests in flight: the floor stays well above that.
  double initial_limit = 256;
  double min_limit = 64;
  double max_limit = 2'000;
  int64_t window_us = 100'000;  // recent latency = mean over this window
  int min_window_samples = 10;  // a window with fewer samples is extended
  double tolerance = 2.0;       // recent/baseline latency accepted before shrinking
  double smoothing = 0.2;       // weight of a window's new limit
  // The baseline is an exponential average over about this many windows.
  int baseline_windows = 50;
};

class ConcurrencyLimit {
 public:
  explicit ConcurrencyLimit(ConcurrencyLimitOptions options = {});

  // One completed request: its latency and how many requests were in flight
  // when it started. `now_us` must not go backwards. Returns true when the
  // window closed and the limit was recomputed.
  bool OnSample(int64_t now_us, int64_t latency_us, int inflight);

  double limit() const { return limit_; }
  double baseline_latency_us() const { return baseline_us_; }
  double recent_latency_us() const { return recent_us_; }

 private:
  void Update(double recent_us);

  ConcurrencyLimitOptions options_;
  double limit_;
  double baseline_us_ = 0;
  double recent_us_ = 0;
  int64_t window_start_us_ = -1;
  double window_sum_us_ = 0;
  int window_samples_ = 0;
  int window_max_inflight_ = 0;
};

}  // namespace storepilot::overload

#endif  // STOREPILOT_OVERLOAD_CONCURRENCY_LIMIT_H_
