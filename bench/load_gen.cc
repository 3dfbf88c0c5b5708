// storepilot_load: a keep-alive HTTP load generator for the server benchmarks.
//
//   storepilot_load --port P --token T --shop S [--connections 64] [--seconds 10]
//                   [--batch 100] [--rate 0] [--ndjson] [--id-prefix run1] [--orders]
//                   [--shopify-secret S]
//   storepilot_load --port P --token T --urls FILE [...]   (GET each line in turn)
//
// With --shopify-secret each request is instead one signed Shopify
// orders/create delivery of about 3 KB (an order with four line items and two
// addresses, a unique order and event id) to /webhooks/shopify, for shop
// domain "<shop>.myshopify.com".
//
// Without --urls or --orders it POSTs event batches (ingest); with --urls each
// request is a GET of the next line of FILE (connection c starts at line c);
// --orders posts one order per request to /v1/shops/S/orders/{id}/risk: 5,000
// customers, 2,000 devices, 3 countries, amounts 5-500, created_at one second
// apart per connection.
// Each connection is one thread with a blocking socket. --rate 0 runs closed
// loop (as fast as the server answers); --rate R paces the total to R requests/s
// and measures latency from each request's scheduled start, so a stalled server
// cannot hide its queueing (no coordinated omission). Every event id is unique
// (prefix, connection, counter). Prints one JSON line of results.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "common/crypto.h"
#include "shopify_payload.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  int port = 8080;
  std::string token;
  std::string shop = "bench";
  int connections = 64;
  double seconds = 10;
  int batch = 100;
  double rate = 0;
  bool ndjson = false;
  std::string id_prefix = "load";
  std::string urls_file;
  std::vector<std::string> urls;  // GET targets; empty: POST events
  bool orders = false;
  std::string shopify_secret;  // non-empty: signed Shopify deliveries
};

struct ConnStats {
  std::vector<double> latencies_us;
  uint64_t ok = 0, errors = 0, events = 0;
};

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

std::string OrderBody(const Options& o, int conn, uint64_t n, std::string* id) {
  static const char* kCountries[] = {"US", "FR", "DE"};
  char buf[1024];
  *id = o.id_prefix + "-" + std::to_string(conn) + "-" + std::to_string(n);
  const uint64_t h = (n * 2654435761u + static_cast<uint64_t>(conn) * 40503u) % 1000003;
  int len = std::snprintf(
      buf, sizeof(buf),
      R"({"id":"%s","created_at":%lld,"total_price":%.2f,"customer_id":"c%llu",)"
      R"("email":"c%llu@example.com","browser_ip":"10.%llu.%llu.%llu","ip_country":"%s",)"
      R"("client_details":{"device_id":"d%llu"},"shipping_address":{"country_code":"%s",)"
      R"("address1":"%llu Main St","zip":"%llu","city":"Springfield"},)"
      R"("billing_address":{"country_code":"%s"},"payment":{"card_fingerprint":"f%llu","attempts":1}})",
      id->c_str(), 1795773600000LL + static_cast<long long>(n) * 1000 + conn,
      5.0 + static_cast<double>(h % 49500) / 100.0, static_cast<unsigned long long>(h % 5000),
      static_cast<unsigned long long>(h % 5000), static_cast<unsigned long long>(h % 7),
      static_cast<unsigned long long>(h % 250), static_cast<unsigned long long>(h % 200),
      kCountries[h % 3], static_cast<unsigned long long>(h % 2000), kCountries[(h / 3) % 3],
      static_cast<unsigned long long>(h % 5000), static_cast<unsigned long long>(h % 900),
      kCountries[(h / 7) % 3], static_cast<unsigned long long>(h % 5000));
  return std::string(buf, len);
}

std::string Body(const Options& o, int conn, uint64_t* counter) {
  std::string body = o.ndjson ? "" : "[";
  char buf[512];
  for (int i = 0; i < o.batch; ++i) {
    uint64_t n = (*counter)++;
    int len = std::snprintf(
        buf, sizeof(buf),
        R"({"event_id":"%s-%d-%llu","type":"view","ts":1795773600000,"session_id":"s%llu","user_id":"u%llu","product_id":"p%llu","price":19.99,"currency":"USD","context":{"device":"mobile","country":"US"}})",
        o.id_prefix.c_str(), conn, static_cast<unsigned long long>(n),
        static_cast<unsigned long long>(n % 5000), static_cast<unsigned long long>(n % 3000),
        static_cast<unsigned long long>(n % 50000));
    if (i > 0) body += o.ndjson ? "\n" : ",";
    body.append(buf, len);
  }
  if (!o.ndjson) body += "]";
  return body;
}

// One orders/create delivery (about 3 KB) with a unique id, as a request.
std::string ShopifyRequest(const Options& o, int conn, uint64_t* counter) {
  const uint64_t n = (*counter)++;
  const std::string id = o.id_prefix + "-" + std::to_string(conn) + "-" + std::to_string(n);
  const std::string body = storepilot::bench::ShopifyOrderBody(id, n);
  return "POST /webhooks/shopify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
         "application/json\r\nX-Shopify-Topic: orders/create\r\nX-Shopify-Hmac-Sha256: " +
         storepilot::HmacSha256Base64(o.shopify_secret, body) +
         "\r\nX-Shopify-Shop-Domain: " + o.shop +
         ".myshopify.com\r\nX-Shopify-API-Version: 2025-10\r\nX-Shopify-Webhook-Id: wh-" + id +
         "\r\nX-Shopify-Event-Id: ev-" + id +
         "\r\nX-Shopify-Triggered-At: 2026-11-27T15:00:05Z\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

// Reads one response; returns its status or -1.
int ReadResponse(int fd, std::string& buf) {
  while (true) {
    size_t header_end = buf.find("\r\n\r\n");
    if (header_end != std::string::npos) {
      size_t cl = buf.find("Content-Length: ");
      size_t length = cl != std::string::npos && cl < header_end
                          ? std::strtoul(buf.c_str() + cl + 16, nullptr, 10)
                          : 0;
      if (buf.size() >= header_end + 4 + length) {
        int status = std::atoi(buf.c_str() + 9);
        buf.erase(0, header_end + 4 + length);
        return status;
      }
    }
    char tmp[16384];
    ssize_t n = read(fd, tmp, sizeof(tmp));
    if (n <= 0) return -1;
    buf.append(tmp, static_cast<size_t>(n));
  }
}

void RunConnection(const Options& o, int conn, Clock::time_point start,
                   Clock::time_point end, ConnStats* stats) {
  int fd = Connect(o.port);
  if (fd < 0) {
    ++stats->errors;
    return;
  }
  const std::string path = "/v1/shops/" + o.shop + "/events";
  const double interval_us = o.rate > 0 ? 1e6 * o.connections / o.rate : 0;
  uint64_t counter = 0;
  std::string inbuf;
  // Stagger paced connections so their requests do not arrive together.
  Clock::time_point next = start + std::chrono::microseconds(
                                       static_cast<int64_t>(interval_us * conn / o.connections));
  while (true) {
    if (interval_us > 0) {
      if (next >= end) break;
      std::this_thread::sleep_until(next);
    } else if (Clock::now() >= end) {
      break;
    }
    std::string req;
    if (!o.urls.empty()) {
      const std::string& url = o.urls[(conn + counter++ * o.connections) % o.urls.size()];
      req = "GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + o.token +
            "\r\n\r\n";
    } else if (!o.shopify_secret.empty()) {
      req = ShopifyRequest(o, conn, &counter);
    } else {
      std::string order_id;
      std::string body =
          o.orders ? OrderBody(o, conn, counter++, &order_id) : Body(o, conn, &counter);
      const std::string target =
          o.orders ? "/v1/shops/" + o.shop + "/orders/" + order_id + "/risk" : path;
      req = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
            o.token + "\r\nContent-Type: " +
            (o.ndjson ? "application/x-ndjson" : "application/json") +
            "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    }
    Clock::time_point sent = interval_us > 0 ? next : Clock::now();
    if (write(fd, req.data(), req.size()) != static_cast<ssize_t>(req.size())) {
      ++stats->errors;
      break;
    }
    int status = ReadResponse(fd, inbuf);
    auto done = Clock::now();
    if (status == 200) {
      ++stats->ok;
      if (o.urls.empty()) stats->events += (o.orders || !o.shopify_secret.empty()) ? 1 : o.batch;
    } else {
      ++stats->errors;
      if (status < 0) break;
    }
    stats->latencies_us.push_back(
        std::chrono::duration<double, std::micro>(done - sent).count());
    if (interval_us > 0) next += std::chrono::microseconds(static_cast<int64_t>(interval_us));
  }
  close(fd);
}

double Percentile(std::vector<double>& v, double q) {
  if (v.empty()) return 0;
  size_t k = std::min(v.size() - 1, static_cast<size_t>(q * (v.size() - 1) + 0.5));
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[k];
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"storepilot ingest load generator"};
  app.add_option("--port", o.port)->required();
  app.add_option("--token", o.token)->required();
  app.add_option("--shop", o.shop);
  app.add_option("--connections", o.connections);
  app.add_option("--seconds", o.seconds);
  app.add_option("--batch", o.batch);
  app.add_option("--rate", o.rate, "Total requests/s; 0 = as fast as possible");
  app.add_flag("--ndjson", o.ndjson);
  app.add_option("--id-prefix", o.id_prefix);
  app.add_option("--urls", o.urls_file, "GET the lines of this file instead of POSTing events");
  app.add_flag("--orders", o.orders, "Post orders to the fraud risk route");
  app.add_option("--shopify-secret", o.shopify_secret,
                 "Send signed Shopify orders/create webhooks with this secret");
  CLI11_PARSE(app, argc, argv);
  if (!o.urls_file.empty()) {
    std::ifstream in(o.urls_file);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) o.urls.push_back(line);
    }
    if (o.urls.empty()) {
      std::fprintf(stderr, "no URLs in %s\n", o.urls_file.c_str());
      return 2;
    }
  }

  std::vector<ConnStats> stats(o.connections);
  std::vector<std::thread> threads;
  auto start = Clock::now() + std::chrono::milliseconds(100);
  auto end = start + std::chrono::microseconds(static_cast<int64_t>(o.seconds * 1e6));
  for (int c = 0; c < o.connections; ++c) {
    threads.emplace_back(RunConnection, std::cref(o), c, start, end, &stats[c]);
  }
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  uint64_t ok = 0, errors = 0, events = 0;
  for (auto& s : stats) {
    all.insert(all.end(), s.latencies_us.begin(), s.latencies_us.end());
    ok += s.ok;
    errors += s.errors;
    events += s.events;
  }
  std::printf(
      "{\"requests_per_s\":%.0f,\"events_per_s\":%.0f,\"ok\":%llu,\"errors\":%llu,"
      "\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"seconds\":%.2f,"
      "\"connections\":%d,\"batch\":%d,\"target_rate\":%.0f}\n",
      ok / elapsed, events / elapsed, static_cast<unsigned long long>(ok),
      static_cast<unsigned long long>(errors), Percentile(all, 0.5) / 1e3,
      Percentile(all, 0.9) / 1e3, Percentile(all, 0.99) / 1e3,
      all.empty() ? 0 : *std::max_element(all.begin(), all.end()) / 1e3, elapsed,
      o.connections, o.batch, o.rate);
  return errors > 0 ? 1 : 0;
}
