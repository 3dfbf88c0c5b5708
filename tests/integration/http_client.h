#ifndef STOREPILOT_TESTS_INTEGRATION_HTTP_CLIENT_H_
#define STOREPILOT_TESTS_INTEGRATION_HTTP_CLIENT_H_

// A blocking keep-alive HTTP/1.1 client for tests (loopback only).

#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "boost/asio/connect.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"

namespace storepilot::testing {

struct ClientResponse {
  int status = 0;  // 0: the connection failed
  std::string body;
  std::string request_id;
};

class HttpClient {
 public:
  explicit HttpClient(uint16_t port, int timeout_ms = 10'000)
      : port_(port), timeout_ms_(timeout_ms) {}

  ClientResponse Send(const std::string& method, const std::string& target,
                      const std::string& body = "", const std::string& token = "",
                      const std::string& content_type = "application/json",
                      const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    namespace http = boost::beast::http;
    ClientResponse out;
    try {
      if (!stream_) Connect();
      http::request<http::string_body> req(http::string_to_verb(method), target, 11);
      req.set(http::field::host, "127.0.0.1");
      req.set(http::field::content_type, content_type);
      if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
      for (const auto& [name, value] : headers) req.set(name, value);
      req.body() = body;
      req.keep_alive(true);
      req.prepare_payload();
      stream_->expires_after(std::chrono::milliseconds(timeout_ms_));
      http::write(*stream_, req);
      http::response_parser<http::string_body> parser;
      parser.body_limit(64 << 20);
      http::read(*stream_, buffer_, parser);
      auto& res = parser.get();
      out.status = res.result_int();
      out.body = res.body();
      out.request_id = std::string(res["X-Request-Id"]);
      if (!res.keep_alive()) stream_.reset();
    } catch (const std::exception&) {
      stream_.reset();
      out.status = 0;
    }
    return out;
  }

  // Writes raw bytes and returns what comes back until the server closes.
  std::string SendRaw(const std::string& bytes) {
    Connect();
    boost::beast::error_code ec;
    stream_->expires_after(std::chrono::milliseconds(timeout_ms_));
    boost::asio::write(*stream_, boost::asio::buffer(bytes), ec);
    std::string out;
    char buf[4096];
    while (!ec) {
      size_t n = stream_->read_some(boost::asio::buffer(buf), ec);
      out.append(buf, n);
    }
    stream_.reset();
    return out;
  }

 private:
  void Connect() {
    stream_.emplace(ioc_);
    stream_->expires_after(std::chrono::milliseconds(timeout_ms_));
    stream_->connect(boost::asio::ip::tcp::endpoint(
        boost::asio::ip::make_address("127.0.0.1"), port_));
    // Beast's deadlines apply only to asynchronous calls; these bound the
    // blocking ones so a silent server fails the test instead of hanging it.
    timeval tv{timeout_ms_ / 1000, (timeout_ms_ % 1000) * 1000};
    int fd = stream_->socket().native_handle();
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  }

  uint16_t port_;
  int timeout_ms_;
  boost::asio::io_context ioc_;
  std::optional<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace storepilot::testing

#endif  // STOREPILOT_TESTS_INTEGRATION_HTTP_CLIENT_H_
