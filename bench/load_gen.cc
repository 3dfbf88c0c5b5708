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
// --threads T (default 2) epoll loops drive the connections, each with one
// request in flight at a time. --rate 0 runs closed
// loop (as fast as the server answers); --rate R paces the total to R requests/s
// and measures latency from each request's scheduled start, so a stalled server
// cannot hide its queueing (no coordinated omission). Every event id is unique
// (prefix, connection, counter). Prints one JSON line of results.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cerrno>
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
  int threads = 2;
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

// Parses one complete response at the front of `buf`: returns its status and
// removes it, 0 when more bytes are needed.
int TakeResponse(std::string& buf) {
  size_t header_end = buf.find("\r\n\r\n");
  if (header_end == std::string::npos) return 0;
  size_t cl = buf.find("Content-Length: ");
  size_t length = cl != std::string::npos && cl < header_end
                      ? std::strtoul(buf.c_str() + cl + 16, nullptr, 10)
                      : 0;
  if (buf.size() < header_end + 4 + length) return 0;
  int status = std::atoi(buf.c_str() + 9);
  buf.erase(0, header_end + 4 + length);
  return status;
}

// One keep-alive connection: at most one request in flight.
struct Conn {
  int id = 0;
  int fd = -1;
  bool done = false;
  bool in_flight = false;
  bool want_write = false;  // EPOLLOUT registered
  uint64_t counter = 0;
  Clock::time_point next;  // paced: scheduled start of the next request
  Clock::time_point sent;  // latency origin of the request in flight
  std::string out;
  size_t out_off = 0;
  std::string in;
  ConnStats* stats = nullptr;
};

std::string NextRequest(const Options& o, Conn& c) {
  if (!o.urls.empty()) {
    const std::string& url = o.urls[(c.id + c.counter++ * o.connections) % o.urls.size()];
    return "GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + o.token +
           "\r\n\r\n";
  }
  if (!o.shopify_secret.empty()) return ShopifyRequest(o, c.id, &c.counter);
  std::string order_id;
  std::string body =
      o.orders ? OrderBody(o, c.id, c.counter++, &order_id) : Body(o, c.id, &c.counter);
  const std::string target = o.orders ? "/v1/shops/" + o.shop + "/orders/" + order_id + "/risk"
                                      : "/v1/shops/" + o.shop + "/events";
  return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
         o.token + "\r\nContent-Type: " +
         (o.ndjson ? "application/x-ndjson" : "application/json") +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

void Finish(int ep, Conn& c) {
  if (c.fd >= 0) {
    epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
    close(c.fd);
  }
  c.fd = -1;
  c.done = true;
  c.in_flight = false;
}

// Writes what is left of the request; false on a broken connection.
bool Flush(int ep, Conn& c) {
  while (c.out_off < c.out.size()) {
    ssize_t n = write(c.fd, c.out.data() + c.out_off, c.out.size() - c.out_off);
    if (n > 0) {
      c.out_off += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EAGAIN) break;
    return false;
  }
  const bool pending = c.out_off < c.out.size();
  if (pending != c.want_write) {
    epoll_event ev{};
    ev.events = static_cast<uint32_t>(EPOLLIN) | (pending ? static_cast<uint32_t>(EPOLLOUT) : 0u);
    ev.data.ptr = &c;
    epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &ev);
    c.want_write = pending;
  }
  return true;
}

// One generator thread: an epoll loop over its share of the connections
// (thread t owns connections t, t + T, ...), so a few threads drive many
// connections without a context switch per request, as wrk does.
void RunThread(const Options& o, std::vector<Conn*> conns, Clock::time_point start,
               Clock::time_point end) {
  const bool paced = o.rate > 0;
  const auto interval = std::chrono::nanoseconds(
      paced ? static_cast<int64_t>(1e9 * o.connections / o.rate) : 0);
  int ep = epoll_create1(0);
  for (Conn* c : conns) {
    c->fd = Connect(o.port);
    if (c->fd < 0) {
      ++c->stats->errors;
      c->done = true;
      continue;
    }
    fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = c;
    epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
    // Stagger paced connections so their requests do not arrive together.
    c->next = start + interval * c->id / o.connections;
  }
  std::this_thread::sleep_until(start);
  std::vector<epoll_event> events(conns.size() + 1);
  while (true) {
    Clock::time_point now = Clock::now();
    Clock::time_point wake = end + std::chrono::seconds(30);  // responses still owed
    bool active = false;
    for (Conn* c : conns) {
      if (c->done) continue;
      if (!c->in_flight) {
        if (paced ? c->next >= end : now >= end) {
          Finish(ep, *c);
          continue;
        }
        if (paced && c->next > now) {
          wake = std::min(wake, c->next);
          active = true;
          continue;
        }
        c->out = NextRequest(o, *c);
        c->out_off = 0;
        c->sent = paced ? c->next : now;
        c->in_flight = true;
        if (!Flush(ep, *c)) {
          ++c->stats->errors;
          Finish(ep, *c);
          continue;
        }
      }
      active = true;
    }
    if (!active) break;
    const auto wait = std::max(std::chrono::nanoseconds(0), wake - Clock::now());
    timespec ts{static_cast<time_t>(wait.count() / 1'000'000'000),
                static_cast<long>(wait.count() % 1'000'000'000)};
    int n = epoll_pwait2(ep, events.data(), static_cast<int>(events.size()), &ts, nullptr);
    for (int i = 0; i < n; ++i) {
      Conn& c = *static_cast<Conn*>(events[i].data.ptr);
      if (c.done) continue;
      if ((events[i].events & EPOLLOUT) && !Flush(ep, c)) {
        ++c.stats->errors;
        Finish(ep, c);
        continue;
      }
      if (!(events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
      char tmp[16384];
      bool closed = false;
      while (true) {
        ssize_t r = read(c.fd, tmp, sizeof(tmp));
        if (r > 0) {
          c.in.append(tmp, static_cast<size_t>(r));
          continue;
        }
        closed = r == 0 || errno != EAGAIN;
        break;
      }
      int status = c.in_flight ? TakeResponse(c.in) : 0;
      if (status != 0) {
        const auto done = Clock::now();
        c.in_flight = false;
        if (status == 200) {
          ++c.stats->ok;
          if (o.urls.empty()) {
            c.stats->events += (o.orders || !o.shopify_secret.empty()) ? 1 : o.batch;
          }
        } else {
          ++c.stats->errors;
        }
        c.stats->latencies_us.push_back(
            std::chrono::duration<double, std::micro>(done - c.sent).count());
        if (paced) c.next += interval;
      }
      if (closed) {
        if (c.in_flight) ++c.stats->errors;
        Finish(ep, c);
      }
    }
  }
  close(ep);
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
  app.add_option("--threads", o.threads,
                 "Generator threads, each an epoll loop over its connections");
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
  std::vector<Conn> conns(o.connections);
  const int nthreads = std::clamp(o.threads, 1, std::max(1, o.connections));
  std::vector<std::vector<Conn*>> owned(nthreads);
  for (int c = 0; c < o.connections; ++c) {
    conns[c].id = c;
    conns[c].stats = &stats[c];
    owned[c % nthreads].push_back(&conns[c]);
  }
  std::vector<std::thread> threads;
  auto start = Clock::now() + std::chrono::milliseconds(100);
  auto end = start + std::chrono::microseconds(static_cast<int64_t>(o.seconds * 1e6));
  for (int t = 0; t < nthreads; ++t) {
    threads.emplace_back(RunThread, std::cref(o), owned[t], start, end);
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
