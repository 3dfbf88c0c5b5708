#include "forecast/forecaster.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "forecast/internal/candidates.h"
#include "forecast/internal/intervals.h"
#include "forecast/seasonality.h"

namespace storepilot::forecast {
namespace {

using internal::Candidate;
using Forecasts = std::vector<double>;

// Candidate forecasts made at one holdout origin, and the actuals after it.
struct Window {
  std::vector<absl::StatusOr<Forecasts>> by_candidate;
  absl::Span<const double> actual;
};

double MeanAbsError(absl::Span<const double> actual, const Forecasts& f) {
  double sum = 0;
  for (size_t h = 0; h < actual.size(); ++h) sum += std::abs(actual[h] - f[h]);
  return sum / actual.size();
}

// Indices of the `k` candidates with the lowest mean absolute error over the
// windows selected by `use`, skipping any that failed there. Falls back to
// all candidates when no window is usable.
std::vector<int> TopCandidates(const std::vector<Window>& windows,
                               const std::vector<bool>& use, int n_cand, int k) {
  std::vector<std::pair<double, int>> scored;
  for (int c = 0; c < n_cand; ++c) {
    double err = 0;
    int used = 0;
    bool failed = false;
    for (size_t w = 0; w < windows.size(); ++w) {
      if (!use[w]) continue;
      const auto& f = windows[w].by_candidate[c];
      if (!f.ok()) {
        failed = true;
        break;
      }
      err += MeanAbsError(windows[w].actual, *f);
      ++used;
    }
    if (!failed) scored.push_back({used > 0 ? err / used : 0, c});
  }
  std::stable_sort(scored.begin(), scored.end());
  std::vector<int> out;
  for (int i = 0; i < std::min<int>(k, scored.size()); ++i) {
    out.push_back(scored[i].second);
  }
  return out;
}

Forecasts Average(const std::vector<const Forecasts*>& parts) {
  Forecasts out(parts.front()->size(), 0);
  for (const Forecasts* f : parts) {
    for (size_t h = 0; h < out.size(); ++h) out[h] += (*f)[h] / parts.size();
  }
  return out;
}

bool AllPositive(absl::Span<const double> x) {
  return std::all_of(x.begin(), x.end(), [](double v) { return v > 0; });
}

// What a plausible forecast of a series stays within: for a positive series
// above zero, and for any series within two ranges of the history's
// [min, max] (an unstable fit, e.g. an explosive autoregression, leaves it).
struct Plausible {
  bool positive = false;
  double lo = 0, hi = 0;
  Plausible(absl::Span<const double> y, bool check_positive) {
    const auto [mn, mx] = std::minmax_element(y.begin(), y.end());
    const double range = *mx - *mn;
    positive = check_positive && AllPositive(y);
    lo = *mn - 2 * range;
    hi = *mx + 2 * range;
  }
  bool operator()(const Forecasts& f) const {
    return std::all_of(f.begin(), f.end(), [&](double v) {
      return std::isfinite(v) && v >= lo && v <= hi && (!positive || v > 0);
    });
  }
};

// The forecasts of the first `k` candidates of `ranked` that ran (`get`
// returns null otherwise), passing over implausible ones while others remain:
// a positive series forecast at zero or below has followed a trend further
// than the data allow (typically a short series that just dropped), and on
// M3/tourism yearly data the next-ranked model is the better bet.
template <typename Get>
std::vector<std::pair<int, const Forecasts*>> Pick(const std::vector<int>& ranked, int k,
                                                   const Plausible& plausible, Get get) {
  std::vector<std::pair<int, const Forecasts*>> out, dropped;
  for (int c : ranked) {
    if (static_cast<int>(out.size()) >= k) break;
    const Forecasts* f = get(c);
    if (f == nullptr) continue;
    (plausible(*f) ? out : dropped).push_back({c, f});
  }
  if (out.empty() && !dropped.empty()) out.push_back(dropped.front());
  return out;
}

// The smallest history a holdout fit may use: two cycles of the longest
// period, and never less than the horizon or 8 values.
int MinHistory(const std::vector<int>& periods, int horizon) {
  int longest = periods.empty() ? 1 : periods.back();
  return std::max({2 * longest, horizon, 8});
}

// How many of the best-ranked candidates are averaged. A series too short
// for all the holdout windows asked for is ranked on fewer, noisier ones
// (yearly M3 and tourism series often on 1-3 windows): there twice as many
// are averaged, which hedges a ranking that may be noise.
int CombineTop(const ForecastOptions& options, size_t windows) {
  return static_cast<int>(windows) < options.holdout_windows ? 2 * options.combine_top
                                                             : options.combine_top;
}

}  // namespace

absl::StatusOr<Method> ParseMethod(absl::string_view name) {
  static constexpr std::pair<const char*, Method> kNames[] = {
      {"auto", Method::kAuto},       {"naive", Method::kNaive},
      {"snaive", Method::kSeasonalNaive}, {"naive2", Method::kNaive2},
      {"theta", Method::kTheta},     {"ets", Method::kEts},
      {"mstl", Method::kMultiSeasonal}, {"croston", Method::kCroston},
      {"sba", Method::kSba},         {"tsb", Method::kTsb}};
  for (const auto& [n, m] : kNames) {
    if (name == n) return m;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown method '", name, "'"));
}

absl::StatusOr<Forecaster> Forecaster::Create(const ForecastOptions& options) {
  if (options.horizon < 1) return absl::InvalidArgumentError("horizon must be >= 1");
  if (options.season < 1) return absl::InvalidArgumentError("season must be >= 1");
  if (options.holdout_windows < 1 || options.combine_top < 1) {
    return absl::InvalidArgumentError(
        "holdout_windows and combine_top must be >= 1");
  }
  if (options.max_history < 0) {
    return absl::InvalidArgumentError("max_history must be >= 0");
  }
  ForecastOptions sorted = options;
  for (double q : sorted.quantiles) {
    if (!(q > 0 && q < 1)) {
      return absl::InvalidArgumentError(
          absl::StrCat("quantile level ", q, " is not in (0, 1)"));
    }
  }
  std::sort(sorted.quantiles.begin(), sorted.quantiles.end());
  return Forecaster(std::move(sorted));
}

absl::StatusOr<ForecastResult> Forecaster::Forecast(
    absl::Span<const double> y) const {
  if (y.empty()) return absl::InvalidArgumentError("empty series");
  for (double v : y) {
    if (!std::isfinite(v)) return absl::InvalidArgumentError("non-finite value");
  }
  if (options_.max_history > 0 &&
      static_cast<int>(y.size()) > options_.max_history) {
    y = y.last(options_.max_history);
  }
  const int n = y.size();
  const int horizon = options_.horizon;
  ForecastResult result;
  if (options_.detect_periods) {
    result.periods = DetectSeasonalPeriods(y, options_.season);
  } else if (options_.season > 1 && n >= 2 * options_.season) {
    result.periods = {options_.season};
  }
  std::vector<Candidate> cands = internal::CandidatesFor(
      options_.method, y, result.periods, options_.season);
  const int n_cand = cands.size();

  // Holdout windows: origins n - H, n - 2H, ... They choose among several
  // candidates and measure errors for quantiles; a single model without
  // quantiles needs none.
  std::vector<Window> windows;
  const int n_windows =
      n_cand == 1 && options_.quantiles.empty() ? 0 : options_.holdout_windows;
  for (int w = 1; w <= n_windows; ++w) {
    int origin = n - w * horizon;
    if (origin < MinHistory(result.periods, horizon)) break;
    Window win;
    win.actual = y.subspan(origin, horizon);
    for (const Candidate& c : cands) {
      win.by_candidate.push_back(c.run(y.first(origin), horizon));
    }
    windows.push_back(std::move(win));
  }
  // Candidates ranked by holdout error; without a holdout, all are averaged.
  std::vector<bool> all(windows.size(), true);
  std::vector<int> ranked = TopCandidates(windows, all, n_cand, n_cand);
  const int top = windows.empty() ? n_cand : CombineTop(options_, windows.size());
  // (Positivity only when a holdout ranked them: the plain average of every
  // candidate is left as it is.)
  const Plausible plausible(y, !windows.empty());

  std::vector<std::optional<absl::StatusOr<Forecasts>>> finals(n_cand);
  auto final_of = [&](int c) -> const Forecasts* {
    if (!finals[c].has_value()) finals[c] = cands[c].run(y, horizon);
    return finals[c]->ok() ? &**finals[c] : nullptr;
  };
  std::vector<const Forecasts*> parts;
  std::vector<std::string> names;
  for (const auto& [c, f] : Pick(ranked, top, plausible, final_of)) {
    parts.push_back(f);
    names.push_back(cands[c].name);
  }
  if (parts.empty()) {
    // Every chosen model failed on the full series: report the first error.
    absl::StatusOr<Forecasts> f = cands.front().run(y, horizon);
    return f.ok() ? absl::InternalError("forecast failed") : f.status();
  }
  result.point = Average(parts);
  result.model = absl::StrJoin(names, "+");
  if (options_.quantiles.empty()) return result;

  // Holdout errors of the same procedure. With several windows, the models
  // combined for window w are chosen on the other windows, so the errors are
  // not flattered by the choice.
  const bool non_negative =
      std::all_of(y.begin(), y.end(), [](double v) { return v >= 0; });
  bool log_scale = AllPositive(y) && AllPositive(result.point);
  std::vector<Forecasts> combined;
  for (size_t w = 0; w < windows.size(); ++w) {
    std::vector<bool> others(windows.size(), true);
    if (windows.size() > 1) others[w] = false;
    const Plausible plausible_before(y.first(y.size() - (w + 1) * horizon), true);
    std::vector<const Forecasts*> wparts;
    for (const auto& [c, f] :
         Pick(TopCandidates(windows, others, n_cand, n_cand), top,
              plausible_before, [&](int c) -> const Forecasts* {
                const auto& r = windows[w].by_candidate[c];
                return r.ok() ? &*r : nullptr;
              })) {
      wparts.push_back(f);
    }
    if (wparts.empty()) continue;
    combined.push_back(Average(wparts));
    log_scale = log_scale && AllPositive(combined.back());
  }
  std::vector<std::vector<double>> errors;
  for (size_t w = 0; w < combined.size(); ++w) {
    std::vector<double> e(horizon);
    for (int h = 0; h < horizon; ++h) {
      double a = windows[w].actual[h], f = combined[w][h];
      e[h] = log_scale ? std::log(a / f) : a - f;
    }
    errors.push_back(std::move(e));
  }
  result.levels = options_.quantiles;
  result.quantiles =
      errors.empty()
          ? internal::QuantilesFromRandomWalk(result.point, y, result.levels,
                                              log_scale)
          : internal::QuantilesFromErrors(result.point, errors, result.levels,
                                          log_scale);
  // Monotone in the level at every step, and never below zero for data that
  // cannot be negative.
  for (int h = 0; h < horizon; ++h) {
    double floor = non_negative ? 0 : -std::numeric_limits<double>::infinity();
    for (auto& q : result.quantiles) {
      q[h] = std::max(q[h], floor);
      floor = q[h];
    }
  }
  return result;
}

}  // namespace storepilot::forecast
