#include "overload/concurrency_limit.h"

#include <algorithm>
#include <cmath>

namespace storepilot::overload {

ConcurrencyLimit::ConcurrencyLimit(ConcurrencyLimitOptions options)
    : options_(options),
      limit_(std::clamp(options.initial_limit, options.min_limit, options.max_limit)) {}

bool ConcurrencyLimit::OnSample(int64_t now_us, int64_t latency_us, int inflight) {
  if (window_start_us_ < 0) window_start_us_ = now_us;
  window_sum_us_ += static_cast<double>(std::max<int64_t>(latency_us, 1));
  ++window_samples_;
  window_max_inflight_ = std::max(window_max_inflight_, inflight);
  if (now_us - window_start_us_ < options_.window_us ||
      window_samples_ < options_.min_window_samples) {
    return false;
  }
  Update(window_sum_us_ / window_samples_);
  window_start_us_ = now_us;
  window_sum_us_ = 0;
  window_samples_ = 0;
  window_max_inflight_ = 0;
  return true;
}

void ConcurrencyLimit::Update(double recent_us) {
  recent_us_ = recent_us;
  if (baseline_us_ <= 0) {
    baseline_us_ = recent_us;
  } else {
    baseline_us_ += (recent_us - baseline_us_) / options_.baseline_windows;
    // After a period of overload the baseline has crept up; once latency is
    // back to normal, let it fall quickly (Gradient2's drift recovery).
    if (baseline_us_ > 2 * recent_us) baseline_us_ *= 0.9;
  }
  // Application-limited: far fewer requests than the limit were in flight,
  // so the latency says nothing about the limit. Keep it.
  if (window_max_inflight_ < limit_ / 2) return;
  const double gradient = std::clamp(options_.tolerance * baseline_us_ / recent_us, 0.5, 1.0);
  const double probe = std::sqrt(limit_);
  const double target = limit_ * gradient + probe;
  limit_ = std::clamp(limit_ * (1 - options_.smoothing) + target * options_.smoothing,
                      options_.min_limit, options_.max_limit);
}

}  // namespace storepilot::overload
