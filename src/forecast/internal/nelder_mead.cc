#include "forecast/internal/nelder_mead.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace storepilot::forecast::internal {

std::vector<double> NelderMead(
    const std::function<double(const std::vector<double>&)>& f,
    std::vector<double> start, const NelderMeadOptions& options,
    double* best_value) {
  const int d = start.size();
  std::vector<std::vector<double>> pts(d + 1, start);
  std::vector<double> vals(d + 1);
  for (int i = 0; i < d; ++i) pts[i + 1][i] += options.initial_step;
  int evals = 0;
  for (int i = 0; i <= d; ++i, ++evals) vals[i] = f(pts[i]);
  std::vector<int> order(d + 1);
  std::vector<double> centroid(d), trial(d), trial2(d);
  auto along = [&](double t, std::vector<double>* out) {
    for (int j = 0; j < d; ++j) {
      (*out)[j] = centroid[j] + t * (pts[order[d]][j] - centroid[j]);
    }
  };
  while (evals < options.max_evaluations) {
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](int a, int b) { return vals[a] < vals[b]; });
    double spread = std::abs(vals[order[d]] - vals[order[0]]);
    if (spread <= options.tolerance * (std::abs(vals[order[0]]) + 1e-12)) break;
    std::fill(centroid.begin(), centroid.end(), 0);
    for (int i = 0; i < d; ++i) {
      for (int j = 0; j < d; ++j) centroid[j] += pts[order[i]][j] / d;
    }
    const int worst = order[d];
    along(-1, &trial);  // reflection
    double fr = f(trial);
    ++evals;
    if (fr < vals[order[0]]) {
      along(-2, &trial2);  // expansion
      double fe = f(trial2);
      ++evals;
      if (fe < fr) {
        pts[worst] = trial2;
        vals[worst] = fe;
      } else {
        pts[worst] = trial;
        vals[worst] = fr;
      }
      continue;
    }
    if (fr < vals[order[d - 1]]) {
      pts[worst] = trial;
      vals[worst] = fr;
      continue;
    }
    // Contraction, outside when the reflection helped a little, else inside.
    bool outside = fr < vals[worst];
    along(outside ? -0.5 : 0.5, &trial2);
    double fc = f(trial2);
    ++evals;
    if (fc < (outside ? fr : vals[worst])) {
      pts[worst] = trial2;
      vals[worst] = fc;
      continue;
    }
    // Shrink toward the best point.
    const int best = order[0];
    for (int i = 0; i <= d; ++i) {
      if (i == best) continue;
      for (int j = 0; j < d; ++j) {
        pts[i][j] = pts[best][j] + 0.5 * (pts[i][j] - pts[best][j]);
      }
      vals[i] = f(pts[i]);
      ++evals;
    }
  }
  int best = std::min_element(vals.begin(), vals.end()) - vals.begin();
  if (best_value != nullptr) *best_value = vals[best];
  return pts[best];
}

}  // namespace storepilot::forecast::internal
