#ifndef STOREPILOT_FORECAST_INTERNAL_NELDER_MEAD_H_
#define STOREPILOT_FORECAST_INTERNAL_NELDER_MEAD_H_

#include <functional>
#include <vector>

namespace storepilot::forecast::internal {

struct NelderMeadOptions {
  int max_evaluations = 400;
  double initial_step = 0.5;
  // Stops when the spread of the simplex values falls below this.
  double tolerance = 1e-7;
};

// Minimises `f` from `start` with the Nelder-Mead simplex method (standard
// coefficients 1, 2, 0.5, 0.5). Returns the best point; `*best_value` gets
// f there. Deterministic.
std::vector<double> NelderMead(
    const std::function<double(const std::vector<double>&)>& f,
    std::vector<double> start, const NelderMeadOptions& options,
    double* best_value);

}  // namespace storepilot::forecast::internal

#endif  // STOREPILOT_FORECAST_INTERNAL_NELDER_MEAD_H_
