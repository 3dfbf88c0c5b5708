#ifndef STOREPILOT_FORECAST_ETS_H_
#define STOREPILOT_FORECAST_ETS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace storepilot::forecast {

// Exponential smoothing state-space models (Hyndman et al., "Forecasting with
// Exponential Smoothing", 2008): error additive or multiplicative, trend none,
// additive or damped additive, seasonality none, additive or multiplicative.
enum class ErrorType { kAdditive, kMultiplicative };
enum class TrendType { kNone, kAdditive, kDamped };
enum class SeasonType { kNone, kAdditive, kMultiplicative };

struct EtsSpec {
  ErrorType error = ErrorType::kAdditive;
  TrendType trend = TrendType::kNone;
  SeasonType season = SeasonType::kNone;
  // Hyndman's notation, e.g. "MAdM".
  std::string Name() const;
};

// A fitted model: smoothing parameters, final states and fit statistics.
struct EtsFit {
  EtsSpec spec;
  int period = 1;
  double alpha = 0, beta = 0, gamma = 0, phi = 1;
  double level = 0, slope = 0;
  // Seasonal states by phase: season[t % period] applies to time t.
  std::vector<double> season;
  int n = 0;          // observations fitted
  double aicc = 0;    // corrected Akaike criterion of the likelihood
  double sigma2 = 0;  // variance of the one-step errors (relative for M error)

  // Point forecasts for times n .. n + horizon - 1.
  std::vector<double> Forecast(int horizon) const;
};

// Which trends AutoEts tries.
enum class TrendSearch { kAll, kNoneOrDamped, kNone };

struct EtsOptions {
  int max_evaluations = 300;
};

// Fits one model by maximum likelihood: smoothing parameters and the initial
// level and slope are optimised (Nelder-Mead); initial seasonal states come
// from the first cycles. Errors: InvalidArgument when the series is too short
// (fewer than 4 values, or 2 cycles for a seasonal model) or when a
// multiplicative component meets a non-positive value.
absl::StatusOr<EtsFit> FitEts(absl::Span<const double> y, int period,
                              const EtsSpec& spec,
                              const EtsOptions& options = {});

// Fits every admissible model (multiplicative components only for positive
// data; seasonal ones only when period > 1 and the data hold 2 cycles; no
// additive error with multiplicative seasonality, which is unstable) and
// returns the one with the lowest AICc. `allow_season` = false restricts the
// search to non-seasonal models.
absl::StatusOr<EtsFit> AutoEts(absl::Span<const double> y, int period,
                               bool allow_season = true,
                               const EtsOptions& options = {},
                               TrendSearch trends = TrendSearch::kAll);

}  // namespace storepilot::forecast

#endif  // STOREPILOT_FORECAST_ETS_H_
