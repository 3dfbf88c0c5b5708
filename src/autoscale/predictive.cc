#include "autoscale/predictive.h"

#include <algorithm>
#include <cmath>

#include "forecast/decomposition.h"

namespace storepilot::autoscale {

namespace {
constexpr int kMinutesPerDay = 1440;
}  // namespace

absl::Status ValidatePredictiveOptions(const PredictiveOptions& o) {
  if (!(o.quantile > 0 && o.quantile < 1) ||
      !(o.scale_up_quantile > 0 && o.scale_up_quantile < 1)) {
    return absl::InvalidArgumentError("quantiles must be in (0, 1)");
  }
  if (!(o.margin_rate > 0) || o.min_errors < 1 || o.refit_minutes < 1 ||
      o.bucket_minutes < 1 || o.history_days < 1 ||
      !(o.loss_half_life_minutes > 0)) {
    return absl::InvalidArgumentError("windows and periods must be >= 1");
  }
  if (o.level_alphas.empty()) {
    return absl::InvalidArgumentError("need at least one level alpha");
  }
  std::vector<double> constants = o.level_alphas;
  constants.push_back(o.trend_beta);
  constants.push_back(o.trend_damping);
  for (double a : constants) {
    if (!(a > 0 && a <= 1)) {
      return absl::InvalidArgumentError("smoothing constants must be in (0, 1]");
    }
  }
  if (!(o.violation_share >= 0) ||
      !(o.shadow_target_utilization > 0 && o.shadow_target_utilization <= 1) ||
      !(o.boost_step >= 0) || !(o.max_boost >= 0)) {
    return absl::InvalidArgumentError(
        "violation share, boost step and max boost must be >= 0, the shadow "
        "target in (0, 1]");
  }
  if (!(o.fallback_margin >= 0) || !(o.default_event_uplift > 0)) {
    return absl::InvalidArgumentError(
        "fallback margin must be >= 0 and event uplift > 0");
  }
  return absl::OkStatus();
}

PredictivePolicy::PredictivePolicy(FleetConfig fleet, PredictiveOptions options)
    : fleet_(fleet), opt_(std::move(options)) {
  loss_decay_ = std::pow(0.5, 1.0 / opt_.loss_half_life_minutes);
  event_base_.assign(opt_.calendar.size(), -1.0);
  if (opt_.violation_share > 0) {
    shadow_ = std::make_unique<HpaFleetPolicy>(fleet_, opt_.shadow_target_utilization);
  }
  for (double alpha : opt_.level_alphas) {
    for (bool trend : {false, true}) {
      for (bool sqrt_scale : {false, true}) {
        Candidate c;
        c.alpha = alpha;
        c.trend = trend;
        c.sqrt_scale = sqrt_scale;
        const size_t n = static_cast<size_t>(fleet_.startup_minutes) + 2;
        c.forecast.assign(n * n, 0);
        c.planned.assign(n, 0);
        c.abs_error.assign(n, 0);
        c.margin.assign(n, 0);
        candidates_.push_back(std::move(c));
      }
    }
  }
}

double PredictivePolicy::Candidate::Scale(double requests) const {
  requests = std::max(0.0, requests);
  return sqrt_scale ? std::sqrt(requests) : std::log1p(requests);
}

double PredictivePolicy::Candidate::Unscale(double v) const {
  return sqrt_scale ? std::max(0.0, v) * std::max(0.0, v) : std::expm1(v);
}

// Refits the daily profile on the complete buckets of the recent history
// (nothing before two days). A weekly period is not fitted: with the 14 days
// kept, its 2016 phases would rest on two samples each, and on NASA 1995 it
// made the plans noisier, not better.
void PredictivePolicy::Refit(int t) {
  const int b = opt_.bucket_minutes;
  const int64_t buckets_done = (static_cast<int64_t>(t) + 1) / b;
  const int per_day = kMinutesPerDay / b;
  const int64_t keep = static_cast<int64_t>(opt_.history_days) * per_day;
  const int64_t first = std::max<int64_t>(0, buckets_done - keep);
  if (buckets_done - first < 2 * per_day) return;
  std::vector<double> y;
  y.reserve(static_cast<size_t>(buckets_done - first));
  for (int64_t k = first; k < buckets_done; ++k) {
    double s = 0;
    for (int64_t m = k * b; m < (k + 1) * b; ++m) s += history_[m];
    y.push_back(std::log1p(s / b));
  }
  forecast::MultiSeasonalOptions mo;
  mo.log_scale = false;  // y is already log(1 + requests per minute)
  auto d = forecast::DecomposeMultiSeasonal(y, {per_day}, mo);
  if (!d.ok()) return;
  profiles_ = std::move(d->profiles);
  periods_ = std::move(d->periods);
  profile_origin_ = first;
}

// The seasonal component at a minute, linearly interpolated between bucket
// centres.
double PredictivePolicy::Seasonal(int64_t minute) const {
  if (profiles_.empty()) return 0;
  const double b = opt_.bucket_minutes;
  double pos = (static_cast<double>(minute) + 0.5) / b - 0.5 -
               static_cast<double>(profile_origin_);
  double lo = std::floor(pos);
  double w = pos - lo;
  double value = 0;
  for (size_t j = 0; j < profiles_.size(); ++j) {
    int64_t p = periods_[j];
    int64_t i0 = ((static_cast<int64_t>(lo) % p) + p) % p;
    int64_t i1 = (i0 + 1) % p;
    value += (1 - w) * profiles_[j][i0] + w * profiles_[j][i1];
  }
  return value;
}

// The event's uplift: configured, else the median of what past events'
// starts showed (the maximum over their first start-up window relative to
// the half hour before), else the default.
double PredictivePolicy::EventUplift(const CalendarEvent& e, int t) const {
  if (e.uplift > 0) return e.uplift;
  std::vector<double> seen;
  const int s = fleet_.startup_minutes;
  for (const CalendarEvent& past : opt_.calendar) {
    int64_t start = (past.start_seconds - opt_.start_seconds) / 60;
    if (start - 30 < 0 || start + s > t) continue;  // not fully observed
    double before = 0;
    for (int64_t m = start - 30; m < start; ++m) before += history_[m];
    before /= 30;
    double peak = 0;
    for (int64_t m = start; m <= start + s; ++m) peak = std::max(peak, history_[m]);
    seen.push_back(std::max(1.0, (peak + 1) / (before + 1)));
  }
  if (seen.empty()) return opt_.default_event_uplift;
  std::nth_element(seen.begin(), seen.begin() + seen.size() / 2, seen.end());
  return seen[seen.size() / 2];
}

// Updates candidate `c` with `adjusted`, minute t's demand with the seasonal
// component divided out: scores the forecasts made for minute t 1..S+1
// minutes ago, then forecasts the minutes of the new window. The level is
// tracked on the candidate's scale.
void PredictivePolicy::Observe(Candidate& c, int t, double adjusted) {
  const int s = fleet_.startup_minutes;
  const size_t n = static_cast<size_t>(s) + 2;
  const double demand = history_[static_cast<size_t>(t)];
  const double x = c.Scale(adjusted);
  if (t == 0) {
    c.level = x;
  } else {
    double prev = c.level;
    double damped = c.trend ? opt_.trend_damping * c.slope : 0;
    c.level = c.alpha * x + (1 - c.alpha) * (c.level + damped);
    if (c.trend) {
      c.slope =
          opt_.trend_beta * (c.level - prev) + (1 - opt_.trend_beta) * damped;
    }
  }
  if (t >= s + 1) {
    // Quantile tracking per horizon (Angelopoulos, Candes & Tibshirani,
    // "Conformal PID control", 2023): a margin rises by q·step after a miss
    // and falls by (1-q)·step otherwise, so misses settle at a 1-q share
    // whatever the traffic; the step follows the typical error size. The
    // near horizons are judged at `quantile`, the last (the only one pods
    // started now can serve) at `scale_up_quantile`.
    const double scaled = c.Scale(demand);
    for (int h = 1; h <= s + 1; ++h) {
      const size_t origin = static_cast<size_t>((t - h) % (s + 2));
      double e = scaled - c.forecast[origin * n + static_cast<size_t>(h)];
      double& m = c.margin[static_cast<size_t>(h)];
      double& a = c.abs_error[static_cast<size_t>(h)];
      if (c.errors_seen == 0) {
        m = e;
        a = std::fabs(e);
      }
      a = loss_decay_ * a + (1 - loss_decay_) * std::fabs(e);
      double q = h == s + 1 ? opt_.scale_up_quantile : opt_.quantile;
      double step = opt_.margin_rate * a;
      m += e > m ? q * step : -(1 - q) * step;
    }
    ++c.errors_seen;
    // Pinball loss of the window plan made S+1 minutes ago against the
    // window's last minute, the furthest that decision had to see.
    double q = opt_.quantile, planned = c.planned[static_cast<size_t>((t + 1) % (s + 2))];
    double pinball = demand > planned ? q * (demand - planned)
                                      : (1 - q) * (planned - demand);
    c.loss = loss_decay_ * c.loss + (1 - loss_decay_) * pinball;
  }
  // Only an upward trend is extrapolated: a falling one would license
  // scale-downs that pods removed now cannot undo within S minutes.
  const double up = c.trend ? std::max(0.0, c.slope) : 0;
  // The forecast of minute t+h is log1p(level_h) + Seasonal(t+h) on the
  // log1p scale, i.e. (1 + level_h)·exp(Seasonal(t+h)) − 1 requests; on a
  // log-scale candidate log1p(level_h) is its level itself. Written so, the
  // S+1 horizons of every candidate need no exp or log (90 days of minutes
  // must simulate well under 2 s).
  const size_t slot = static_cast<size_t>(t % (s + 2));
  const bool calibrated = c.errors_seen >= opt_.min_errors;
  double best = -1e300, keep = -1e300, damp = 1, reach = 0, most = -1;
  for (int h = 1; h <= s + 1; ++h) {
    double level = c.level;
    if (up > 0) {
      damp *= opt_.trend_damping;
      reach += damp;
      level += up * reach;
    }
    double scaled;
    if (c.sqrt_scale) {
      double requests = (1 + c.Unscale(level)) * seasonal_exp_ahead_[h] - 1;
      most = std::max(most, requests);
      scaled = std::sqrt(std::max(0.0, requests));
    } else {
      double f = level + seasonal_ahead_[h];
      best = std::max(best, f);
      scaled = std::max(0.0, f);
    }
    c.forecast[slot * n + static_cast<size_t>(h)] = scaled;
    // Unscale is increasing: the maximum is taken on the candidate's scale.
    keep = std::max(keep, scaled + c.margin[static_cast<size_t>(h)]);
  }
  if (c.sqrt_scale) best = most > -1 ? std::log1p(most) : -1e300;
  c.window_max = best;
  if (calibrated) {
    c.planned[slot] = c.Unscale(keep);
    // The violation budget's boost (UpdateBudget) raises the last minute
    // alone, in typical errors of that horizon: it starts more pods, and
    // those are kept by the rule of Decide while the window needs them.
    c.scale_up = c.Unscale(c.forecast[slot * n + n - 1] + c.margin[n - 1] +
                           boost_ * c.abs_error[n - 1]);
  } else {
    c.planned[slot] = std::expm1(best + opt_.fallback_margin);
    c.scale_up = c.planned[slot];
  }
}

void PredictivePolicy::SetCalendar(std::vector<CalendarEvent> calendar, int64_t start_seconds) {
  std::vector<double> bases(calendar.size(), -1.0);
  for (size_t i = 0; i < calendar.size(); ++i) {
    for (size_t j = 0; j < opt_.calendar.size(); ++j) {
      const CalendarEvent& old = opt_.calendar[j];
      if (old.name == calendar[i].name && old.start_seconds == calendar[i].start_seconds &&
          old.end_seconds == calendar[i].end_seconds && start_seconds == opt_.start_seconds) {
        bases[i] = event_base_[j];
      }
    }
  }
  opt_.calendar = std::move(calendar);
  opt_.start_seconds = start_seconds;
  event_base_ = std::move(bases);
}

// The violation budget: this policy's violation minutes against those of a
// cautious reactive HPA simulated on the same demand (the same fleet rules
// as SimulateFleet). Both counts are of minutes already served, so the boost
// is a function of the past alone. It is an integrator (anti-windup at 0 and
// max_boost): where the HPA rarely misses (smooth traffic whose ramps its
// headroom absorbs) the budget is small and the boost climbs until misses
// are rare; where it misses often (noisy traffic) it stays near 0.
void PredictivePolicy::UpdateBudget(const FleetState& st) {
  if (!shadow_) return;
  const double c = fleet_.capacity_per_pod;
  if (st.demand > st.ready * c) {
    ++own_violations_;
    boost_ += opt_.boost_step;
  }
  if (!shadow_fleet_) shadow_fleet_ = std::make_unique<SimulatedFleet>(fleet_, st.demand);
  shadow_fleet_->Advance(st.t);
  if (st.demand > shadow_fleet_->ready() * c) {
    ++shadow_violations_;
    boost_ -= opt_.violation_share * opt_.boost_step;
  }
  boost_ = std::clamp(boost_, 0.0, opt_.max_boost);
  FleetState shadow_state{st.t, st.demand, shadow_fleet_->ready(), shadow_fleet_->pending()};
  shadow_fleet_->Apply(st.t, std::clamp(shadow_->Decide(shadow_state), fleet_.min_replicas,
                                        fleet_.max_replicas));
}

int PredictivePolicy::Decide(const FleetState& st) {
  const int t = st.t;
  const int s = fleet_.startup_minutes;
  history_.push_back(st.demand);
  UpdateBudget(st);
  if (t % opt_.refit_minutes == 0) Refit(t);

  double adjusted = std::expm1(std::log1p(st.demand) - Seasonal(t));
  seasonal_ahead_.resize(static_cast<size_t>(s) + 2);
  seasonal_exp_ahead_.resize(seasonal_ahead_.size());
  for (int h = 1; h <= s + 1; ++h) {
    seasonal_ahead_[h] = Seasonal(t + h);
    seasonal_exp_ahead_[h] = std::exp(seasonal_ahead_[h]);
  }
  size_t chosen = 0;
  for (size_t k = 0; k < candidates_.size(); ++k) {
    Observe(candidates_[k], t, adjusted);
    if (candidates_[k].loss < candidates_[chosen].loss) chosen = k;
  }
  const Candidate& c = candidates_[chosen];
  const size_t slot = static_cast<size_t>(t % (s + 2));
  double planned = c.planned[slot];
  double scale_up = c.scale_up;
  double forecast_max = std::expm1(c.window_max);

  // Calendar: from S+1 minutes before an event starts until it ends, plan
  // at least the event's uplift times the plan made just before the
  // pre-warm began (so the surge does not need to be seen to be served).
  explain_ = Explanation{};
  for (size_t i = 0; i < opt_.calendar.size(); ++i) {
    const CalendarEvent& e = opt_.calendar[i];
    int64_t start = (e.start_seconds - opt_.start_seconds) / 60;
    int64_t end = (e.end_seconds - opt_.start_seconds) / 60;  // exclusive
    if (end <= t + 1 || start > t + 1 + s) continue;
    double& base = event_base_[i];
    if (base < 0) base = planned;  // the first decision that sees it
    double lifted = base * EventUplift(e, t);
    if (lifted > planned) {
      planned = lifted;
      explain_.event_prewarm = true;
    }
    scale_up = std::max(scale_up, lifted);
  }

  auto pods_for = [&](double demand) {
    return static_cast<int>(std::min(1e9, std::ceil(demand / fleet_.capacity_per_pod)));
  };
  int pods = pods_for(planned);
  int floor = PodsNeeded(st.demand, fleet_);
  explain_.forecast_max = forecast_max;
  explain_.planned_demand = planned;
  explain_.scale_up_demand = scale_up;
  explain_.margin = planned / std::max(1.0, forecast_max);
  explain_.boost = boost_;
  explain_.own_violations = own_violations_;
  explain_.shadow_violations = shadow_violations_;
  explain_.candidate = static_cast<int>(chosen);
  explain_.reactive_floor = floor;
  // Pods started now are ready at t+1+S: they are started for that minute's
  // forecast alone. The pods already there are kept while the window may
  // need them: removed now, they could not be back before t+1+S. And never
  // fewer than the reactive path needs now (the floor: what an HPA
  // would ask for after minute t).
  const int started_for = pods_for(scale_up);
  const int current = st.ready + st.pending;
  const int desired = std::max({started_for, floor, std::min(current, pods)});
  explain_.reason = desired > std::max(pods, started_for) ? "reactive"
                    : explain_.event_prewarm             ? "event"
                                                         : "forecast";
  return desired;
}

}  // namespace storepilot::autoscale
