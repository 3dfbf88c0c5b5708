#ifndef STOREPILOT_AUTOSCALE_PREDICTIVE_H_
#define STOREPILOT_AUTOSCALE_PREDICTIVE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "autoscale/calendar.h"
#include "autoscale/fleet.h"
#include "autoscale/hpa_policy.h"

namespace storepilot::autoscale {

// The predictive policy (docs/autoscale.md). After each minute t it plans
// for the window [t+1, t+1+S] the decision has to cover (pods removed now
// cannot come back before t+1+S):
//  1. point forecasts of demand there from several candidate models: a
//     daily seasonal profile (the forecast module's multi-seasonal
//     decomposition on log(1+requests) in 5-minute buckets, refitted every
//     `refit_minutes` on recent history, once two days are known) times a
//     level tracked per minute, slow or fast, with or without a damped
//     upward trend;
//  2. each candidate's forecast of every minute t+h of the window raised by
//     a margin per horizon h that tracks a quantile of its own h-step errors
//     (online quantile tracking, O(1) per minute and horizon), on a log
//     (relative noise) or square-root (counting noise) scale: calibrated
//     quantile forecasts whose margins adapt to the traffic; the near
//     minutes h <= S at `quantile`, the last one, h = S+1, at
//     `scale_up_quantile`;
//  3. the candidate with the lowest recent pinball (quantile) loss is used —
//     the sharpest calibrated one for this traffic;
//  4. known events: from S+1 minutes before a calendar event until its end
//     the plan is at least its uplift (configured, or learned from past
//     events' starts) times the plan made when the pre-warm began, so pods
//     are ready when the event begins;
//  5. asymmetric decision: pods started now serve only minute t+1+S on, so
//     the plan scales up to the last minute's quantile forecast, while the
//     pods there are kept (and none removed) up to the window's maximum
//     quantile forecast; never below the reactive floor, demand(t)'s pods
//     (kept, or started when missing).
// Every input is in the past of t: a run on a prefix gives the same plan.
struct PredictiveOptions {
  double quantile = 0.97;           // planned-for quantile of demand
  // Quantile of demand at t+1+S that pods are started for (see above): the
  // S+1-step forecast is the widest, so each unit of its tail costs the most
  // pods per violation avoided; pods kept are judged at `quantile`.
  double scale_up_quantile = 0.90;
  double margin_rate = 0.05;        // margin step, in typical errors
  int min_errors = 60;              // fewer: the fallback margin is used
  double fallback_margin = 0.5;     // on the log scale (+65%)
  double loss_half_life_minutes = 1440;  // of the candidates' pinball loss
  int refit_minutes = 360;          // seasonal profile refit period
  int bucket_minutes = 5;           // resolution of the seasonal profile
  int history_days = 14;            // history the profile is fitted on
  // Level smoothing constants of the candidates; each is run with and
  // without a damped upward trend and on both error scales.
  std::vector<double> level_alphas = {0.03, 0.3};
  double trend_beta = 0.2;          // smoothing of the trend
  double trend_damping = 0.9;       // per-minute damping of the trend
  // Violation budget against a shadow HPA (docs/autoscale.md, step 6), off
  // at violation_share 0 (the default: on NASA 1995 it costs more than the
  // quantiles it replaces, BENCHMARKS.md session 6). With a share > 0 an
  // HPA at `shadow_target_utilization` is simulated on the demand observed,
  // with the simulator's fleet rules, and the scale-up forecast (minute
  // t+1+S) is raised by `boost` typical errors of its horizon, where boost
  // rises by `boost_step` at each own violation minute and falls by
  // violation_share · boost_step at each of the shadow's, within
  // [0, max_boost]: own violations settle at about `violation_share` of
  // the shadow's, or below when the boost rests at 0.
  double violation_share = 0;
  double shadow_target_utilization = 0.7;
  double boost_step = 0.02;
  double max_boost = 3;
  double default_event_uplift = 1.5;  // before any event could be learned
  std::vector<CalendarEvent> calendar;
  int64_t start_seconds = 0;        // epoch seconds of minute 0
};

// Errors: InvalidArgument for a quantile outside (0, 1), non-positive
// windows/periods, smoothing constants outside (0, 1].
absl::Status ValidatePredictiveOptions(const PredictiveOptions& options);

class PredictivePolicy : public ScalingPolicy {
 public:
  // REQUIRES: ValidateFleetConfig(fleet).ok(),
  // ValidatePredictiveOptions(options).ok().
  PredictivePolicy(FleetConfig fleet, PredictiveOptions options);
  int Decide(const FleetState& state) override;

  // Replaces the known events (the live planner's calendar changes while it
  // runs); `start_seconds` is the epoch second of minute t = 0. An event
  // kept (same name, start and end) keeps its pre-warm base.
  void SetCalendar(std::vector<CalendarEvent> calendar, int64_t start_seconds);

  // The last decision's parts, for metrics and the API.
  struct Explanation {
    double forecast_max = 0;    // point forecast of the window maximum
    double planned_demand = 0;  // kept for: with the learned margins and events
    double scale_up_demand = 0;  // started for: minute t+1+S at scale_up_quantile
    double margin = 0;          // planned / forecast_max
    double boost = 0;           // of the violation budget, in typical errors
    int64_t own_violations = 0;     // minutes with demand > ready pods
    int64_t shadow_violations = 0;  // the shadow HPA's
    int candidate = 0;          // index of the model used
    int reactive_floor = 0;
    bool event_prewarm = false;
    const char* reason = "";    // "forecast", "reactive", "event"
  };
  const Explanation& explanation() const { return explain_; }

 private:
  // One candidate model with its own calibration and score.
  struct Candidate {
    double alpha = 0.1;
    bool trend = false;
    bool sqrt_scale = false;  // errors on sqrt (counting noise) or log scale
    double level = 0, slope = 0;
    // Per minute t, in slot t % (S + 2) (kept until scored at t + S + 1):
    // the point forecasts of minutes t+h, h = 1..S+1, on the candidate's
    // scale (row slot, column h), and the plan (the window's quantile).
    std::vector<double> forecast;
    std::vector<double> planned;
    double window_max = 0;            // log1p of the last forecast window max
    double scale_up = 0;              // the last plan for minute t+1+S
    int64_t errors_seen = 0;          // minutes with every horizon scored
    std::vector<double> abs_error;    // per h: exponentially weighted |error|
    std::vector<double> margin;       // per h: tracked error quantile
    double loss = 0;                  // exponentially weighted pinball loss
    double Scale(double requests) const;
    double Unscale(double v) const;
  };
  void Refit(int t);
  double Seasonal(int64_t minute) const;
  void Observe(Candidate& c, int t, double x);
  double EventUplift(const CalendarEvent& e, int t) const;
  // With a violation budget: scores minute t for this policy and the
  // shadow HPA, updates boost_, then lets the shadow decide after minute t.
  void UpdateBudget(const FleetState& st);

  FleetConfig fleet_;
  PredictiveOptions opt_;
  // demand(0..t): the seasonal refit reads the last history_days of it and
  // learned event uplifts the minutes around past events' starts.
  std::vector<double> history_;
  std::vector<Candidate> candidates_;
  std::vector<double> seasonal_ahead_;  // Seasonal(t + h), h = 0..S+1
  std::vector<double> seasonal_exp_ahead_;  // exp(Seasonal(t + h))
  double loss_decay_ = 1;
  // Seasonal profile: log1p scale, per bucket, phase-aligned to profile_origin_.
  std::vector<std::vector<double>> profiles_;
  std::vector<int> periods_;
  int64_t profile_origin_ = 0;  // global bucket index of the fitted y[0]
  // Per calendar event: the plan when its pre-warm began (-1: not yet).
  std::vector<double> event_base_;
  // The shadow HPA and its fleet (created at the first minute seen).
  std::unique_ptr<HpaFleetPolicy> shadow_;
  std::unique_ptr<SimulatedFleet> shadow_fleet_;
  int64_t own_violations_ = 0;
  int64_t shadow_violations_ = 0;
  double boost_ = 0;
  Explanation explain_;
};

}  // namespace storepilot::autoscale

#endif  // STOREPILOT_AUTOSCALE_PREDICTIVE_H_
