#ifndef STOREPILOT_API_HTTP_SERVER_H_
#define STOREPILOT_API_HTTP_SERVER_H_

// HTTP/1.1 server on Boost.Beast: a pool of threads, each running its own
// event loop (io_context) with the connections assigned to it,
// keep-alive, header/body/idle timeouts, a body size limit, a connection cap,
// and graceful shutdown. It knows nothing of routes: every request goes to
// the Handler, which may answer from any thread.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "api/http_types.h"
#include "observe/metrics.h"

namespace storepilot::api {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port
  int threads = 2;
  size_t max_body_bytes = 8 << 20;
  int header_timeout_ms = 10'000;  // to receive a request's headers once started
  int body_timeout_ms = 30'000;    // to receive its body
  int idle_timeout_ms = 60'000;    // keep-alive connection with no request
  int max_connections = 10'000;
  // Optional admission control, asked after a request's headers are read and
  // before its body is (see AdmissionHook). A rejected request's body (up to
  // kMaxDiscardBytes) is read and dropped unparsed to keep the connection;
  // a larger one closes it.
  AdmissionHook admission;
  // Optional: receives the event loop's queueing delay (how late a timer
  // due every `queue_probe_ms` runs, in µs) for overload detection.
  std::function<void(int64_t)> on_queue_delay;
  int queue_probe_ms = 5;
  // Optional: where the handlers of requests whose verdict says `queue` run
  // (a priority queue of worker threads, overload::PriorityExecutor): called
  // with the verdict's priority and a task that calls the handler, or, when
  // given expired = true, answers with the verdict's rejection.
  std::function<void(int priority, std::function<void(bool expired)>)> schedule;
};

// Parses one complete HTTP/1.1 request from `raw` the way the server does
// (same limits and header handling). InvalidArgument when malformed or
// incomplete, ResourceExhausted when the body exceeds `max_body_bytes`.
absl::StatusOr<HttpRequest> ParseHttpRequest(std::string_view raw, size_t max_body_bytes);

class HttpServer {
 public:
  // `handler` must stay valid until Shutdown returns. `metrics` may be null.
  HttpServer(HttpServerOptions options, Handler handler, observe::MetricsRegistry* metrics);
  ~HttpServer();

  // Binds, listens and starts the threads. Returns the bound port.
  absl::StatusOr<uint16_t> Start();
  uint16_t port() const { return port_; }

  // Stops accepting, lets requests in flight finish (up to `drain_timeout_ms`),
  // closes idle connections and joins the threads. Idempotent.
  void Shutdown(int drain_timeout_ms = 10'000);

  int active_connections() const { return connections_.load(); }
  int in_flight() const { return in_flight_.load(); }

 private:
  class Session;
  struct Impl;
  void Accept();
  void ProbeQueueDelay();

  HttpServerOptions options_;
  Handler handler_;
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
  std::atomic<int> connections_{0};
  std::atomic<int> in_flight_{0};
  std::atomic<bool> draining_{false};
  std::vector<std::thread> threads_;
  observe::Counter* refused_connections_ = nullptr;
  observe::Gauge* open_connections_ = nullptr;
};

}  // namespace storepilot::api

#endif  // STOREPILOT_API_HTTP_SERVER_H_
