#include "api/http_server.h"

#include <chrono>
#include <future>
#include <optional>

#include "absl/strings/str_cat.h"
#include "boost/asio/dispatch.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"

namespace storepilot::api {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr size_t kMaxHeaderBytes = 64 * 1024;

// A rejected request's body up to this size is read and dropped to keep the
// connection alive; a larger one closes the connection instead.
constexpr uint64_t kMaxDiscardBytes = 1 << 20;

// The method, target and headers of `req` (not its body).
HttpRequest ToHttpRequestHead(const http::request<http::string_body>& req) {
  HttpRequest request;
  request.method = std::string(req.method_string());
  request.target = std::string(req.target());
  request.headers.reserve(8);
  for (const auto& field : req) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  return request;
}

// A keep-alive HTTP/1.1 response for a shed request, as sent on the wire.
std::string SerializeShed(const HttpResponse& r) {
  const beast::string_view reason = http::obsolete_reason(static_cast<http::status>(r.status));
  std::string out = absl::StrCat("HTTP/1.1 ", r.status, " ",
                                 std::string(reason.data(), reason.size()));
  absl::StrAppend(&out, "\r\nServer: storepilot\r\nContent-Type: ", r.content_type, "\r\n");
  for (const auto& [name, value] : r.headers) absl::StrAppend(&out, name, ": ", value, "\r\n");
  absl::StrAppend(&out, "Content-Length: ", r.body.size(), "\r\n\r\n", r.body);
  return out;
}

HttpRequest ToHttpRequest(http::request<http::string_body>&& req) {
  HttpRequest request = ToHttpRequestHead(req);
  request.body = std::move(req.body());
  return request;
}

}  // namespace

absl::StatusOr<HttpRequest> ParseHttpRequest(std::string_view raw, size_t max_body_bytes) {
  http::request_parser<http::string_body> parser;
  parser.body_limit(max_body_bytes);
  parser.header_limit(kMaxHeaderBytes);
  parser.eager(true);
  beast::error_code ec;
  size_t used = parser.put(net::buffer(raw.data(), raw.size()), ec);
  if (!ec && !parser.is_done() && used == raw.size()) parser.put_eof(ec);
  if (ec == http::error::body_limit) return absl::ResourceExhaustedError("body too large");
  if (ec || !parser.is_done()) return absl::InvalidArgumentError("malformed HTTP request");
  return ToHttpRequest(parser.release());
}

// One event loop per thread: each connection lives on one loop for its whole
// life, so its handlers never contend for a shared queue's lock or wake
// another thread; answers from other threads (the committer, the workers) are
// posted to the connection's own loop.
struct EventLoop {
  net::io_context ioc{1};  // run by one thread
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
};

struct HttpServer::Impl {
  std::vector<std::unique_ptr<EventLoop>> loops;
  size_t next_loop = 0;  // round-robin for accepted connections; loop 0's thread only
  std::optional<tcp::acceptor> acceptor;  // on loop 0
  std::optional<net::steady_timer> probe;
  std::chrono::steady_clock::time_point probe_due;
  observe::MetricsRegistry* metrics = nullptr;
};

class HttpServer::Session : public std::enable_shared_from_this<HttpServer::Session> {
 public:
  Session(tcp::socket&& socket, HttpServer* server)
      : stream_(std::move(socket)), server_(server) {
    // Only SendRejection writes synchronously; it must never block.
    beast::error_code ignored;
    stream_.socket().non_blocking(true, ignored);
    server_->connections_.fetch_add(1);
    if (server_->open_connections_) server_->open_connections_->Add(1);
  }
  ~Session() {
    server_->connections_.fetch_sub(1);
    if (server_->open_connections_) server_->open_connections_->Add(-1);
  }

  void Start() {
    net::dispatch(stream_.get_executor(),
                  [self = shared_from_this()] { self->ReadHeader(); });
  }

 private:
  void ReadHeader() {
    if (server_->draining_.load()) return Close();
    parser_.emplace();
    parser_->body_limit(server_->options_.max_body_bytes);
    parser_->header_limit(kMaxHeaderBytes);
    // Idle keep-alive wait and header reception share one deadline.
    stream_.expires_after(std::chrono::milliseconds(server_->options_.idle_timeout_ms));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    head_ = ToHttpRequestHead(parser_->get());
    rejection_.reset();
    queue_ = false;
    if (server_->options_.admission) {
      AdmissionVerdict verdict = server_->options_.admission(head_);
      if (!verdict.admit) return Reject(std::move(verdict.rejection));
      head_.priority_class = std::move(verdict.priority_class);
      head_.degrade = verdict.degrade;
      slot_ = std::move(verdict.slot);
      queue_ = verdict.queue && server_->options_.schedule != nullptr;
      if (queue_) {
        priority_ = verdict.priority;
        expired_answer_ = std::move(verdict.rejection);
        on_expired_ = std::move(verdict.on_expired);
      }
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(std::chrono::milliseconds(server_->options_.body_timeout_ms));
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->OnRead(ec);
                     });
  }

  // Sheds a request at its head: its body, if small, is dropped without
  // parsing (the connection stays usable); a large one closes it. A body
  // already received with the head (the usual case for a small one) is
  // dropped from the buffer at once, without another read.
  void Reject(HttpResponse rejection) {
    keep_alive_ = parser_->get().keep_alive();
    version_ = parser_->get().version();
    if (parser_->is_done()) return SendRejection(std::move(rejection));
    auto length = parser_->content_length_remaining();
    if (!length || *length > kMaxDiscardBytes) {
      keep_alive_ = false;
      return Send(std::move(rejection), false);
    }
    if (buffer_.size() >= *length) {
      buffer_.consume(static_cast<size_t>(*length));
      return SendRejection(std::move(rejection));
    }
    rejection_ = std::move(rejection);
    ReadBody();
  }

  // A shed request is answered with as little work as possible: the small
  // response is written straight to the socket when it fits (it nearly
  // always does), without Beast's serializer or another trip through the
  // event loop, and the next request's head is read at once.
  void SendRejection(HttpResponse r) {
    if (!keep_alive_ || version_ != 11 || server_->draining_.load()) {
      return Send(std::move(r), false);
    }
    auto wire = std::make_shared<std::string>(SerializeShed(r));
    beast::error_code ec;
    const size_t sent =
        stream_.socket().write_some(net::buffer(*wire), ec);  // non-blocking: may be partial
    if (ec && ec != net::error::would_block && ec != net::error::try_again) return Close();
    if (!ec && sent == wire->size()) return ReadHeader();
    stream_.expires_after(std::chrono::milliseconds(server_->options_.body_timeout_ms));
    net::async_write(stream_, net::buffer(wire->data() + sent, wire->size() - sent),
                     [self = shared_from_this(), wire](beast::error_code ec, size_t) {
                       if (ec) return self->Close();
                       self->ReadHeader();
                     });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return SendError(413, "payload_too_large", "the body exceeds the configured limit");
    }
    if (ec == http::error::header_limit) {
      return SendError(431, "headers_too_large", "the request headers are too large");
    }
    if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      return SendError(400, "bad_request", "malformed HTTP request");
    }
    Close();  // end of stream, timeout, reset
  }

  void OnRead(beast::error_code ec) {
    if (ec) {
      slot_.reset();
      return OnReadError(ec);
    }
    http::request<http::string_body> req = parser_->release();
    keep_alive_ = req.keep_alive();
    version_ = req.version();
    if (rejection_) {
      HttpResponse r = std::move(*rejection_);
      rejection_.reset();
      return SendRejection(std::move(r));
    }
    HttpRequest request = std::move(head_);
    request.body = std::move(req.body());
    // No deadline while the handler works: it answers; the write gets one.
    stream_.expires_never();
    server_->in_flight_.fetch_add(1);
    Responder respond = [self = shared_from_this()](HttpResponse r) {
      net::post(self->stream_.get_executor(), [self, r = std::move(r)]() mutable {
        self->slot_.reset();  // the request's admission slot ends with its answer
        self->Send(std::move(r), true);
      });
    };
    if (queue_) {
      // The handler runs on a worker when the request's turn comes; a
      // request dropped from the queue gets the shed answer instead.
      auto queued = std::make_shared<HttpRequest>(std::move(request));
      auto shed = std::make_shared<HttpResponse>(std::move(expired_answer_));
      server_->options_.schedule(
          priority_, [server = server_, queued, shed, respond,
                      on_expired = std::move(on_expired_)](bool expired) {
            if (expired) {
              if (on_expired) on_expired();
              return respond(std::move(*shed));
            }
            server->handler_(std::move(*queued), respond);
          });
      return;
    }
    server_->handler_(std::move(request), std::move(respond));
  }

  void SendError(int status, const char* code, const char* message) {
    keep_alive_ = false;
    HttpResponse r;
    r.status = status;
    r.body = absl::StrCat(R"({"error":{"code":")", code, R"(","message":")", message,
                          R"(","details":[]}})");
    Send(std::move(r), false);
  }

  void Send(HttpResponse r, bool counted) {
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(r.status), version_ ? version_ : 11);
    res->set(http::field::server, "storepilot");
    res->set(http::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) res->set(k, v);
    res->body() = std::move(r.body);
    res->keep_alive(keep_alive_ && !server_->draining_.load());
    res->prepare_payload();
    stream_.expires_after(std::chrono::milliseconds(server_->options_.body_timeout_ms));
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res, counted](beast::error_code ec, size_t) {
                        if (counted) self->server_->in_flight_.fetch_sub(1);
                        if (ec || !res->keep_alive()) return self->Close();
                        self->ReadHeader();
                      });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpRequest head_;                       // of the request being read
  std::optional<HttpResponse> rejection_;  // sent once a shed request's body is read
  std::shared_ptr<void> slot_;             // admission slot of the request in flight
  bool queue_ = false;                     // its handler runs through options_.schedule
  int priority_ = 0;
  HttpResponse expired_answer_;            // if it is dropped from that queue
  std::function<void()> on_expired_;
  HttpServer* server_;
  bool keep_alive_ = true;
  unsigned version_ = 11;
};

HttpServer::HttpServer(HttpServerOptions options, Handler handler,
                       observe::MetricsRegistry* metrics)
    : options_(std::move(options)), handler_(std::move(handler)),
      impl_(std::make_unique<Impl>()) {
  impl_->metrics = metrics;
  if (metrics) {
    refused_connections_ = metrics->GetCounter(
        "storepilot_http_connections_refused_total", "Connections closed at the cap");
    open_connections_ =
        metrics->GetGauge("storepilot_http_open_connections", "Open client connections");
  }
}

HttpServer::~HttpServer() {
  Shutdown(0);
  impl_.reset();  // sessions still queued in the io_context touch this object's counters
}

absl::StatusOr<uint16_t> HttpServer::Start() {
  beast::error_code ec;
  auto address = net::ip::make_address(options_.host, ec);
  if (ec) return absl::InvalidArgumentError("bad listen host: " + options_.host);
  tcp::endpoint endpoint(address, options_.port);
  for (int i = 0; i < std::max(1, options_.threads); ++i) {
    impl_->loops.push_back(std::make_unique<EventLoop>());
  }
  impl_->acceptor.emplace(impl_->loops[0]->ioc);
  auto& acceptor = *impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options_.host, ":",
                                               options_.port, ": ", ec.message()));
  }
  port_ = acceptor.local_endpoint().port();
  for (auto& loop : impl_->loops) loop->work.emplace(loop->ioc.get_executor());
  Accept();
  if (options_.on_queue_delay) {
    impl_->probe.emplace(impl_->loops[0]->ioc);
    ProbeQueueDelay();
  }
  for (auto& loop : impl_->loops) {
    threads_.emplace_back([l = loop.get()] { l->ioc.run(); });
  }
  return port_;
}

// The timer's handler waits in the same queue as every socket's completion
// handler of loop 0, so how late it runs is the queueing delay of the
// server's work (the signal DAGOR and CoDel act on; connections are spread
// evenly over the loops), measured without touching requests.
void HttpServer::ProbeQueueDelay() {
  impl_->probe_due =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.queue_probe_ms);
  impl_->probe->expires_at(impl_->probe_due);
  impl_->probe->async_wait([this](beast::error_code ec) {
    if (ec || draining_.load()) return;
    auto late = std::chrono::steady_clock::now() - impl_->probe_due;
    options_.on_queue_delay(
        std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(late).count()));
    ProbeQueueDelay();
  });
}

void HttpServer::Accept() {
  EventLoop& loop = *impl_->loops[impl_->next_loop++ % impl_->loops.size()];
  impl_->acceptor->async_accept(
      loop.ioc, [this](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !impl_->acceptor->is_open()) return;
        if (!ec) {
          if (connections_.load() >= options_.max_connections) {
            if (refused_connections_) refused_connections_->Inc();
            beast::error_code ignored;
            socket.close(ignored);
          } else {
            socket.set_option(tcp::no_delay(true), ec);
            std::make_shared<Session>(std::move(socket), this)->Start();
          }
        }
        Accept();
      });
}

void HttpServer::Shutdown(int drain_timeout_ms) {
  if (threads_.empty()) return;
  draining_.store(true);
  // Close the listener on its loop and wait, so no connection is accepted
  // (or left in the kernel's backlog) once Shutdown has begun.
  std::promise<void> closed;
  net::post(impl_->acceptor->get_executor(), [this, &closed] {
    beast::error_code ignored;
    impl_->acceptor->close(ignored);
    closed.set_value();
  });
  closed.get_future().wait();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(drain_timeout_ms);
  while (in_flight_.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (auto& loop : impl_->loops) {
    loop->work.reset();
    loop->ioc.stop();
  }
  for (auto& t : threads_) t.join();
  threads_.clear();
}

}  // namespace storepilot::api
