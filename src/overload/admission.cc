#include "overload/admission.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "observe/log.h"

namespace storepilot::overload {
namespace {

// FNV-1a, then MurmurHash3's finaliser: FNV alone leaves the top bits of
// short ids that differ in their last characters nearly equal.
uint32_t UserHash(std::string_view s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

int Rank(RequestClass c) { return static_cast<int>(c); }

}  // namespace

int CompoundPriority(RequestClass cls, int user_priority, std::string_view user_key) {
  const int user = std::clamp(user_priority, 0, kMaxUserPriority);
  return (kNumClasses - 1 - Rank(cls)) * kClassBand + user * 8 + (UserHash(user_key) >> 29);
}

std::string_view ReasonName(Decision::Reason reason) {
  switch (reason) {
    case Decision::Reason::kAdmitted: return "admitted";
    case Decision::Reason::kExempt: return "exempt";
    case Decision::Reason::kDisabled: return "disabled";
    case Decision::Reason::kLevel: return "level";
    case Decision::Reason::kLimit: return "limit";
    case Decision::Reason::kQueue: return "queue";
  }
  return "admitted";
}

struct AdmissionController::Metrics {
  std::array<observe::Counter*, kNumClasses> admitted{}, shed{}, degraded{};
  std::array<observe::Counter*, 2> external{};  // shed, admitted
  observe::Gauge* limit = nullptr;
  observe::Gauge* inflight = nullptr;
  observe::Gauge* level = nullptr;
  observe::Gauge* shed_fraction = nullptr;
  observe::Gauge* queue_delay = nullptr;
};

AdmissionController::AdmissionController(AdmissionOptions options, const Clock* clock,
                                         const CustomerValueModel* values,
                                         observe::MetricsRegistry* registry)
    : options_(options), clock_(clock), values_(values), limit_(options.limit) {
  if (registry == nullptr) return;
  metrics_ = std::make_unique<Metrics>();
  for (int c = 0; c < kNumClasses; ++c) {
    std::string name(ClassName(static_cast<RequestClass>(c)));
    auto counter = [&](const char* result) {
      return registry->GetCounter("storepilot_admission_requests_total",
                                  "Requests by priority class and admission result "
                                  "(degraded ones are also counted as admitted)",
                                  {{"class", name}, {"result", result}});
    };
    metrics_->admitted[c] = counter("admitted");
    metrics_->shed[c] = counter("shed");
    metrics_->degraded[c] = counter("degraded");
  }
  for (int admitted = 0; admitted < 2; ++admitted) {
    metrics_->external[admitted] = registry->GetCounter(
        "storepilot_admission_decide_total", "Decisions of POST /v1/admission/decide",
        {{"result", admitted ? "admit" : "shed"}});
  }
  metrics_->limit = registry->GetGauge("storepilot_admission_limit",
                                       "Adaptive concurrency limit (requests in flight)");
  metrics_->inflight =
      registry->GetGauge("storepilot_admission_inflight", "Admitted requests in flight");
  metrics_->level = registry->GetGauge(
      "storepilot_admission_level",
      "Admission level: requests with a compound priority below it are shed (0-256)");
  metrics_->shed_fraction = registry->GetGauge(
      "storepilot_admission_shed_fraction", "Target fraction of arrivals being shed");
  metrics_->queue_delay = registry->GetGauge("storepilot_admission_queue_delay_seconds",
                                             "Queueing delay of the last window (its smallest probe: the standing queue)");
  registry->GetGauge("storepilot_admission_enabled", "1 when admission control is on")
      ->Set(options_.enabled ? 1 : 0);
  absl::MutexLock lock(&mu_);
  PublishLocked();
}

AdmissionController::~AdmissionController() = default;

Decision AdmissionController::Prepare(const Classification& c, const Identity& who) const {
  Decision d;
  d.cls = c.cls;
  d.exempt = c.exempt;
  d.user_priority = values_ ? values_->UserPriority(who) : 0;
  d.priority = CompoundPriority(c.cls, d.user_priority,
                                who.customer_id.empty() ? who.session_id : who.customer_id);
  return d;
}

void AdmissionController::Count(const Decision& d) {
  if (!metrics_) return;
  const int c = Rank(d.cls);
  (d.admit ? metrics_->admitted[c] : metrics_->shed[c])->Inc();
  if (d.degrade) metrics_->degraded[c]->Inc();
}

Decision AdmissionController::Admit(const Classification& c, const Identity& who,
                                    std::unique_ptr<Ticket>* ticket) {
  Decision d = Prepare(c, who);
  const int64_t now = clock_->NowMicros();
  bool limited = false;
  int inflight = 0;
  {
    absl::MutexLock lock(&mu_);
    MaybeCloseWindowLocked(now);
    d.level = level_;
    if (!options_.enabled) {
      d.reason = Decision::Reason::kDisabled;
    } else if (c.exempt) {
      d.reason = Decision::Reason::kExempt;
    } else {
      ++arrivals_[d.priority];
      ++window_arrivals_;
      if (d.priority < level_) {
        d.admit = false;
        d.reason = Decision::Reason::kLevel;
      } else if (InflightAtOrAboveLocked(c.cls) >=
                 limit_.limit() * options_.limit_share[Rank(c.cls)]) {
        d.admit = false;
        d.reason = Decision::Reason::kLimit;
        ++window_limit_refusals_;
      } else {
        d.degrade = (level_ > 0 || shed_fraction_ > 0) && d.priority < level_ + kClassBand &&
                    c.cls != RequestClass::kCritical;
      }
    }
    if (d.admit && options_.enabled) {
      limited = !c.exempt;
      inflight = ++inflight_;
      ++inflight_by_class_[Rank(c.cls)];
      if (metrics_) metrics_->inflight->Set(inflight_);
    }
  }
  if (!d.admit) d.retry_after_s = options_.retry_after_s[Rank(c.cls)];
  Count(d);
  if (d.admit && options_.enabled && ticket != nullptr) {
    ticket->reset(new Ticket(this, c.cls, now, inflight, limited));
  } else if (d.admit && options_.enabled) {
    Release(c.cls, now, inflight, false);
  }
  return d;
}

Decision AdmissionController::DecideExternal(const Classification& c, const Identity& who) {
  Decision d = Prepare(c, who);
  {
    absl::MutexLock lock(&mu_);
    MaybeCloseWindowLocked(clock_->NowMicros());
    d.level = level_;
  }
  if (!options_.enabled) {
    d.reason = Decision::Reason::kDisabled;
  } else if (c.exempt) {
    d.reason = Decision::Reason::kExempt;
  } else if (d.priority < d.level) {
    d.admit = false;
    d.reason = Decision::Reason::kLevel;
    d.retry_after_s = options_.retry_after_s[Rank(c.cls)];
  } else {
    d.degrade = d.level > 0 && d.priority < d.level + kClassBand &&
                c.cls != RequestClass::kCritical;
  }
  if (metrics_) metrics_->external[d.admit ? 1 : 0]->Inc();
  return d;
}

void AdmissionController::Release(RequestClass cls, int64_t start_us, int inflight_at_start,
                                  bool limited) {
  const int64_t now = clock_->NowMicros();
  absl::MutexLock lock(&mu_);
  --inflight_;
  --inflight_by_class_[Rank(cls)];
  // Exempt requests (webhook appends, probes) hold a slot but do not teach
  // the limit: their latency is not what the limit protects.
  if (limited && limit_.OnSample(now, now - start_us, inflight_at_start) && metrics_) {
    metrics_->limit->Set(limit_.limit());
  }
  if (metrics_) metrics_->inflight->Set(inflight_);
}

AdmissionController::Ticket::~Ticket() {
  owner_->Release(cls_, start_us_, inflight_, limited_);
}

int AdmissionController::InflightAtOrAboveLocked(RequestClass cls) const {
  int n = 0;
  for (int r = 0; r <= Rank(cls); ++r) n += inflight_by_class_[r];
  return n;
}

void AdmissionController::OnQueueExpired(RequestClass cls) {
  if (metrics_) metrics_->shed[Rank(cls)]->Inc();
  absl::MutexLock lock(&mu_);
  ++window_queue_expired_;
}

void AdmissionController::OnQueueDelay(int64_t delay_us) {
  absl::MutexLock lock(&mu_);
  window_delay_min_us_ = std::min(window_delay_min_us_, std::max<int64_t>(0, delay_us));
  ++window_delay_samples_;
  MaybeCloseWindowLocked(clock_->NowMicros());
}

int AdmissionController::LevelForFractionLocked(double fraction) const {
  if (fraction <= 0 || window_arrivals_ == 0) return 0;
  const double want = fraction * window_arrivals_;
  double below = 0;
  for (int p = 0; p < kNumPriorities; ++p) {
    if (below >= want) return p;
    below += arrivals_[p];
  }
  return kNumPriorities;
}

void AdmissionController::MaybeCloseWindowLocked(int64_t now_us) {
  if (window_start_us_ < 0) window_start_us_ = now_us;
  if (now_us - window_start_us_ < options_.window_us) return;
  window_start_us_ = now_us;
  // CoDel's standing-queue test: the smallest delay of the window. A burst,
  // or the process being descheduled on a busy machine, delays some probes
  // but not all of them; only a queue that never drains delays every one.
  if (window_delay_samples_ > 0) queue_delay_us_ = window_delay_min_us_;
  const double target = static_cast<double>(std::max<int64_t>(1, options_.target_queue_delay_us));
  const bool delayed = queue_delay_us_ > target;
  // A few refusals by the limit are the limit doing its job for a burst;
  // when they are a noticeable share of the window, shed by level instead
  // (cheaper, and ordered by user priority too).
  const double refused =
      window_arrivals_ ? static_cast<double>(window_limit_refusals_) / window_arrivals_ : 0;
  const double expired =
      window_arrivals_ ? static_cast<double>(window_queue_expired_) / window_arrivals_ : 0;
  const bool busy = window_arrivals_ >= options_.min_window_arrivals;
  if (busy && (delayed || refused > options_.limit_refusals_overload ||
               expired > options_.queue_expiry_overload)) {
    double step = options_.shed_step;
    if (delayed) step *= std::min(4.0, queue_delay_us_ / target);
    step = std::clamp(std::max({step, refused, expired}), options_.shed_step, options_.max_shed_step);
    shed_fraction_ = std::min(0.999, shed_fraction_ + step);
  } else {
    shed_fraction_ = std::max(0.0, shed_fraction_ - options_.recover_step);
  }
  if (window_arrivals_ > 0 || shed_fraction_ == 0) {
    level_ = std::min(options_.max_level, LevelForFractionLocked(shed_fraction_));
  }
  arrivals_.fill(0);
  window_arrivals_ = 0;
  window_limit_refusals_ = 0;
  window_queue_expired_ = 0;
  window_delay_min_us_ = INT64_MAX;
  window_delay_samples_ = 0;
  PublishLocked();
  // One JSON line when the level changes: at once when shedding starts, stops
  // or crosses a class boundary, otherwise at most once a second.
  if (level_ == logged_level_) return;
  const bool boundary = level_ / kClassBand != logged_level_ / kClassBand ||
                        (level_ == 0) != (logged_level_ == 0);
  if (!boundary && now_us - last_log_us_ < 1'000'000) return;
  int shed_classes = 0;
  for (int c = 0; c < kNumClasses; ++c) shed_classes += level_ > c * kClassBand ? 1 : 0;
  observe::LogInfo("admission level changed",
                   {{"level", level_},
                    {"previous_level", logged_level_},
                    {"shedding_up_to_class",
                     shed_classes ? ClassName(static_cast<RequestClass>(kNumClasses - shed_classes))
                                  : "none"},
                    {"shed_fraction", shed_fraction_},
                    {"limit", limit_.limit()},
                    {"inflight", inflight_},
                    {"queue_delay_ms", queue_delay_us_ / 1000.0}});
  logged_level_ = level_;
  last_log_us_ = now_us;
}

void AdmissionController::PublishLocked() {
  if (!metrics_) return;
  metrics_->limit->Set(limit_.limit());
  metrics_->level->Set(level_);
  metrics_->shed_fraction->Set(shed_fraction_);
  metrics_->queue_delay->Set(queue_delay_us_ / 1e6);
}

AdmissionSnapshot AdmissionController::Snapshot() const {
  absl::ReaderMutexLock lock(&mu_);
  AdmissionSnapshot s;
  s.enabled = options_.enabled;
  s.level = level_;
  s.shed_fraction = shed_fraction_;
  s.limit = limit_.limit();
  s.inflight = inflight_;
  s.queue_delay_us = queue_delay_us_;
  s.baseline_latency_us = limit_.baseline_latency_us();
  s.recent_latency_us = limit_.recent_latency_us();
  return s;
}

}  // namespace storepilot::overload
