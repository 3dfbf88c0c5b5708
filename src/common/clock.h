#ifndef STOREPILOT_COMMON_CLOCK_H_
#define STOREPILOT_COMMON_CLOCK_H_

#include <atomic>
#include <cstdint>

namespace storepilot {

// Source of wall-clock time, passed to every component that needs "now" so
// tests can substitute a FakeClock. Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  // Microseconds since the Unix epoch.
  virtual int64_t NowMicros() const = 0;
  int64_t NowMillis() const { return NowMicros() / 1000; }
};

// The real clock (std::chrono::system_clock).
class SystemClock final : public Clock {
 public:
  int64_t NowMicros() const override;
};

// A clock that moves only when told. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t now_micros = 0) : now_(now_micros) {}
  int64_t NowMicros() const override { return now_.load(); }
  void SetMicros(int64_t now_micros) { now_.store(now_micros); }
  void AdvanceMicros(int64_t delta) { now_.fetch_add(delta); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace storepilot

#endif  // STOREPILOT_COMMON_CLOCK_H_
