#ifndef STOREPILOT_RECOMMEND_PARALLEL_H_
#define STOREPILOT_RECOMMEND_PARALLEL_H_

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

namespace storepilot::recommend {

// Runs fn(begin, end, worker) over [0, n) split into `threads` contiguous
// chunks, one std::thread per chunk (the caller's thread takes the first).
// Blocks until all are done. `fn` must be safe to run concurrently on
// disjoint ranges.
template <typename Fn>
void ParallelFor(int64_t n, int threads, Fn&& fn) {
  threads = std::max(1, std::min<int>(threads, static_cast<int>(std::max<int64_t>(n, 1))));
  const int64_t chunk = (n + threads - 1) / threads;
  std::vector<std::thread> workers;
  for (int t = 1; t < threads; ++t) {
    int64_t begin = t * chunk, end = std::min(n, begin + chunk);
    if (begin >= end) break;
    workers.emplace_back([&fn, begin, end, t] { fn(begin, end, t); });
  }
  fn(int64_t{0}, std::min(n, chunk), 0);
  for (std::thread& w : workers) w.join();
}

}  // namespace storepilot::recommend

#endif  // STOREPILOT_RECOMMEND_PARALLEL_H_
