// storepilot_overload_gen: an open-loop, mixed-priority HTTP load generator
// for the overload-control benchmark (BENCHMARKS.md, "Overload control").
//
//   storepilot_overload_gen --port P --token T --shop S --rate R --seconds N
//       [--deadline-ms 1000] [--max-connections 4096] [--pid SERVER_PID]
//       [--seed-products 1000] [--id-prefix run1] [--rate 0 --connections 64]
//
// The mix (per request, seeded random): 5% critical (a purchase event POSTed
// with X-Storepilot-Priority: critical), 15% high (an add_to_cart event with
// X-Storepilot-Priority: high), 50% normal (a product page GET for a
// customer, X-Storepilot-Customer), 30% low (half a 20-event analytics batch
// POST, half a stats GET: their routes' default class).
//
// --rate R > 0: open loop. Requests are scheduled every 1/R s whatever the
// server does; each has a deadline (--deadline-ms from its scheduled time):
// one still waiting for a connection at its deadline, or unanswered by
// then, fails (the connection is closed, as a client with a timeout does).
// Latency is measured from the scheduled time (no coordinated omission).
// --rate 0: closed loop on --connections connections (the capacity).
// One thread, epoll, non-blocking sockets. Prints one JSON line: per class
// sent, ok (2xx within the deadline), shed (429/503), timeouts, errors, p50
// and p99 of the served; goodput; the server's peak RSS when --pid is given.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "CLI/CLI.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kClasses = 4;
constexpr const char* kClassNames[kClasses] = {"critical", "high", "normal", "low"};

struct Options {
  int port = 8080;
  std::string token;
  std::string shop = "bench";
  double rate = 0;
  int connections = 64;       // closed loop
  int max_connections = 4096;  // open loop pool
  double seconds = 10;
  int deadline_ms = 1000;
  int pid = 0;
  int seed_products = 0;
  int products = 1000;
  std::string id_prefix = "ov";
};

struct Request {
  int cls = 0;
  int64_t sched_ns = 0;
  std::string wire;
};

struct Conn {
  int fd = -1;
  bool connected = false;
  bool busy = false;
  Request req;
  size_t out_off = 0;
  std::string in;
};

struct ClassStats {
  // timeouts: unanswered at the deadline; unsent: no free connection before
  // the deadline (the generator's pool, not the server, is then the limit).
  uint64_t sent = 0, ok = 0, late = 0, shed = 0, timeouts = 0, unsent = 0, errors = 0;
  std::vector<float> latency_ms;  // of 2xx answers
};

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

int OpenConnection(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 &&
      errno != EINPROGRESS) {
    close(fd);
    return -1;
  }
  return fd;
}

class Generator {
 public:
  explicit Generator(const Options& o) : o_(o), rng_(42) {
    epoll_ = epoll_create1(0);
    prefix_ = o.id_prefix;
  }

  std::string Run();

 private:
  std::string MakeWire(int cls);
  std::string Http(const char* method, const std::string& path, const std::string& extra,
                   const std::string& body) const;
  int PickClass() {
    double u = uniform_(rng_);
    return u < 0.05 ? 0 : u < 0.20 ? 1 : u < 0.70 ? 2 : 3;
  }
  Conn* IdleConn();
  void Dispatch(int64_t now);
  void Start(Conn* c, Request&& r);
  void Flush(Conn* c);
  void OnReadable(Conn* c);
  void Finish(Conn* c, int status);
  void Fail(Conn* c, bool timeout);
  void CloseConn(Conn* c);
  void SampleRss();

  Options o_;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
  int epoll_;
  std::string prefix_;
  uint64_t counter_ = 0;
  std::vector<std::unique_ptr<Conn>> conns_;
  std::unordered_set<Conn*> live_;
  std::vector<Conn*> idle_;
  std::deque<Request> pending_;
  ClassStats stats_[kClasses];
  long peak_rss_kb_ = 0;
  int opened_ = 0;
};

std::string Generator::Http(const char* method, const std::string& path,
                            const std::string& extra, const std::string& body) const {
  std::string s = std::string(method) + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                  "Authorization: Bearer " + o_.token + "\r\n" + extra;
  if (!body.empty()) {
    s += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n";
  }
  return s + "\r\n" + body;
}

std::string Generator::MakeWire(int cls) {
  const uint64_t n = counter_++;
  const std::string shop_path = "/v1/shops/" + o_.shop;
  const uint64_t user = rng_() % 2000, product = rng_() % o_.products;
  char event[512];
  switch (cls) {
    case 0: {
      std::snprintf(event, sizeof(event),
                    R"([{"event_id":"%s-c-%llu","type":"purchase","ts":1795773600000,)"
                    R"("user_id":"u%llu","session_id":"s%llu","order_id":"o%s%llu",)"
                    R"("product_id":"p%llu","quantity":1,"price":%llu.5}])",
                    prefix_.c_str(), (unsigned long long)n, (unsigned long long)user,
                    (unsigned long long)user, prefix_.c_str(), (unsigned long long)n,
                    (unsigned long long)product, (unsigned long long)(5 + user % 200));
      return Http("POST", shop_path + "/events", "X-Storepilot-Priority: critical\r\n", event);
    }
    case 1:
      std::snprintf(event, sizeof(event),
                    R"([{"event_id":"%s-h-%llu","type":"add_to_cart","ts":1795773600000,)"
                    R"("session_id":"s%llu","product_id":"p%llu","quantity":1}])",
                    prefix_.c_str(), (unsigned long long)n, (unsigned long long)user,
                    (unsigned long long)product);
      return Http("POST", shop_path + "/events", "X-Storepilot-Priority: high\r\n", event);
    case 2:
      return Http("GET", shop_path + "/products/p" + std::to_string(product),
                  "X-Storepilot-Customer: u" + std::to_string(user) + "\r\n", "");
    default:
      if (n % 2 == 0) return Http("GET", shop_path + "/stats", "", "");
      std::string batch = "[";
      for (int i = 0; i < 20; ++i) {
        std::snprintf(event, sizeof(event),
                      R"(%s{"event_id":"%s-l-%llu-%d","type":"view","ts":1795773600000,)"
                      R"("session_id":"s%llu","product_id":"p%llu",)"
                      R"("context":{"device":"mobile","country":"US"}})",
                      i ? "," : "", prefix_.c_str(), (unsigned long long)n, i,
                      (unsigned long long)(rng_() % 5000),
                      (unsigned long long)(rng_() % o_.products));
        batch += event;
      }
      return Http("POST", shop_path + "/events", "", batch + "]");
  }
}

Conn* Generator::IdleConn() {
  if (!idle_.empty()) {
    Conn* c = idle_.back();
    idle_.pop_back();
    return c;
  }
  const int cap = o_.rate > 0 ? o_.max_connections : o_.connections;
  if (static_cast<int>(conns_.size()) >= cap) return nullptr;
  int fd = OpenConnection(o_.port);
  if (fd < 0) return nullptr;
  ++opened_;
  auto c = std::make_unique<Conn>();
  c->fd = fd;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
  ev.data.ptr = c.get();
  epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
  live_.insert(c.get());
  conns_.push_back(std::move(c));
  return conns_.back().get();
}

void Generator::Start(Conn* c, Request&& r) {
  c->busy = true;
  c->req = std::move(r);
  c->out_off = 0;
  c->in.clear();
  if (c->connected) Flush(c);
}

void Generator::Flush(Conn* c) {
  const std::string& w = c->req.wire;
  while (c->out_off < w.size()) {
    ssize_t n = send(c->fd, w.data() + c->out_off, w.size() - c->out_off, MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) return Fail(c, false);
    c->out_off += static_cast<size_t>(n);
  }
}

void Generator::Dispatch(int64_t now) {
  const int64_t deadline = int64_t{o_.deadline_ms} * 1'000'000;
  while (!pending_.empty()) {
    if (now - pending_.front().sched_ns > deadline) {
      ++stats_[pending_.front().cls].unsent;
      pending_.pop_front();
      continue;
    }
    Conn* c = IdleConn();
    if (c == nullptr) return;
    Request r = std::move(pending_.front());
    pending_.pop_front();
    Start(c, std::move(r));
  }
}

void Generator::CloseConn(Conn* c) {
  epoll_ctl(epoll_, EPOLL_CTL_DEL, c->fd, nullptr);
  close(c->fd);
  idle_.erase(std::remove(idle_.begin(), idle_.end(), c), idle_.end());
  live_.erase(c);
  conns_.erase(std::find_if(conns_.begin(), conns_.end(),
                            [c](const std::unique_ptr<Conn>& p) { return p.get() == c; }));
}

void Generator::Fail(Conn* c, bool timeout) {
  if (c->busy) ++(timeout ? stats_[c->req.cls].timeouts : stats_[c->req.cls].errors);
  CloseConn(c);
}

void Generator::Finish(Conn* c, int status) {
  const int64_t now = NowNs();
  const double ms = (now - c->req.sched_ns) / 1e6;
  ClassStats& s = stats_[c->req.cls];
  if (status >= 200 && status < 300) {
    s.latency_ms.push_back(static_cast<float>(ms));
    ++(ms <= o_.deadline_ms ? s.ok : s.late);
  } else if (status == 429 || status == 503) {
    ++s.shed;
  } else {
    ++s.errors;
  }
  c->busy = false;
  idle_.push_back(c);
}

void Generator::OnReadable(Conn* c) {
  char buf[65536];
  while (true) {
    ssize_t n = recv(c->fd, buf, sizeof(buf), 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n <= 0) return Fail(c, false);
    c->in.append(buf, static_cast<size_t>(n));
  }
  size_t header_end = c->in.find("\r\n\r\n");
  if (header_end == std::string::npos || !c->busy) return;
  size_t cl = c->in.find("Content-Length: ");
  size_t length = cl != std::string::npos && cl < header_end
                      ? std::strtoul(c->in.c_str() + cl + 16, nullptr, 10)
                      : 0;
  if (c->in.size() < header_end + 4 + length) return;
  const int status = std::atoi(c->in.c_str() + 9);
  const bool close_after = c->in.find("Connection: close") < header_end;
  Finish(c, status);
  if (close_after) CloseConn(c);
}

void Generator::SampleRss() {
  if (o_.pid <= 0) return;
  std::ifstream f("/proc/" + std::to_string(o_.pid) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      peak_rss_kb_ = std::max(peak_rss_kb_, std::atol(line.c_str() + 6));
    }
  }
}

std::string Generator::Run() {
  const int64_t start = NowNs();
  const int64_t end = start + static_cast<int64_t>(o_.seconds * 1e9);
  const int64_t deadline = int64_t{o_.deadline_ms} * 1'000'000;
  const double interval_ns = o_.rate > 0 ? 1e9 / o_.rate : 0;
  uint64_t scheduled = 0;
  int64_t next_rss = start;
  int64_t next_expiry_check = start;
  epoll_event events[256];
  while (true) {
    int64_t now = NowNs();
    if (o_.rate > 0) {
      while (now < end && start + static_cast<int64_t>(scheduled * interval_ns) <= now) {
        Request r;
        r.cls = PickClass();
        r.sched_ns = start + static_cast<int64_t>(scheduled * interval_ns);
        r.wire = MakeWire(r.cls);
        ++stats_[r.cls].sent;
        pending_.push_back(std::move(r));
        ++scheduled;
      }
    } else if (now < end) {
      const size_t busy = conns_.size() - idle_.size();
      while (pending_.size() + busy < static_cast<size_t>(o_.connections)) {
        Request r;
        r.cls = PickClass();
        r.sched_ns = now;
        r.wire = MakeWire(r.cls);
        ++stats_[r.cls].sent;
        pending_.push_back(std::move(r));
      }
    }
    Dispatch(now);
    // Requests unanswered at their deadline fail; their connection is
    // closed. Checked every millisecond, not on every event.
    if (now >= next_expiry_check) {
      std::vector<Conn*> expired;
      for (auto& c : conns_) {
        if (c->busy && now - c->req.sched_ns > deadline) expired.push_back(c.get());
      }
      for (Conn* c : expired) Fail(c, true);
      next_expiry_check = now + 1'000'000;
    }
    if (now >= end && pending_.empty() && idle_.size() == conns_.size()) break;
    if (now > end + deadline + 1'000'000'000) break;
    if (now >= next_rss) {
      SampleRss();
      next_rss = now + 200'000'000;
    }
    int n = epoll_wait(epoll_, events, 256, 1);
    for (int i = 0; i < n; ++i) {
      Conn* c = static_cast<Conn*>(events[i].data.ptr);
      if (!live_.count(c)) continue;  // closed earlier in this batch
      if (events[i].events & (EPOLLERR | EPOLLHUP)) {
        Fail(c, false);
        continue;
      }
      if (!c->connected && (events[i].events & EPOLLOUT)) {
        c->connected = true;
        if (c->busy) Flush(c);
        else idle_.push_back(c);
        continue;
      }
      if (events[i].events & EPOLLOUT && c->busy) Flush(c);
      if (events[i].events & EPOLLIN) OnReadable(c);
    }
  }
  SampleRss();
  const double secs = o_.seconds;
  std::string out = "{\"rate\":" + std::to_string(o_.rate) + ",\"seconds\":" + std::to_string(secs);
  uint64_t ok = 0, sent = 0;
  for (int k = 0; k < kClasses; ++k) {
    ClassStats& s = stats_[k];
    ok += s.ok;
    sent += s.sent;
    std::sort(s.latency_ms.begin(), s.latency_ms.end());
    auto q = [&](double p) -> double {
      if (s.latency_ms.empty()) return 0.0;
      size_t i = static_cast<size_t>(p * s.latency_ms.size());
      return s.latency_ms[std::min(s.latency_ms.size() - 1, i)];
    };
    char buf[512];
    std::snprintf(buf, sizeof(buf),
                  ",\"%s\":{\"sent\":%llu,\"ok\":%llu,\"success\":%.5f,\"shed\":%llu,\"late\":%llu,"
                  "\"timeouts\":%llu,\"unsent\":%llu,\"errors\":%llu,\"p50_ms\":%.2f,"
                  "\"p99_ms\":%.2f}",
                  kClassNames[k], (unsigned long long)s.sent, (unsigned long long)s.ok,
                  s.sent ? double(s.ok) / s.sent : 0.0, (unsigned long long)s.shed,
                  (unsigned long long)s.late, (unsigned long long)s.timeouts,
                  (unsigned long long)s.unsent, (unsigned long long)s.errors, q(0.5), q(0.99));
    out += buf;
  }
  char tail[256];
  std::snprintf(tail, sizeof(tail),
                ",\"offered_per_s\":%.1f,\"goodput_per_s\":%.1f,\"connections_opened\":%d,"
                "\"server_peak_rss_mb\":%.1f}",
                sent / secs, ok / secs, opened_, peak_rss_kb_ / 1024.0);
  return out + tail;
}

// Creates products p0..p(n-1) with blocking requests (before the load).
bool SeedProducts(const Options& o) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(o.port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) return false;
  for (int first = 0; first < o.seed_products; first += 500) {
    std::string body = "[";
    for (int i = first; i < std::min(o.seed_products, first + 500); ++i) {
      if (i > first) body += ",";
      body += "{\"id\":\"p" + std::to_string(i) + "\",\"title\":\"Product " + std::to_string(i) +
              "\",\"price\":19.99,\"category\":[\"Home\"],\"in_stock\":true}";
    }
    body += "]";
    std::string req = "POST /v1/shops/" + o.shop + "/products:batch HTTP/1.1\r\nHost: x\r\n" +
                      "Authorization: Bearer " + o.token +
                      "\r\nContent-Type: application/json\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\n\r\n" + body;
    if (write(fd, req.data(), req.size()) != static_cast<ssize_t>(req.size())) return false;
    std::string in;
    char buf[4096];
    // The answer is a small JSON object: complete once its closing brace is in.
    while (in.find("\r\n\r\n") == std::string::npos ||
           in.find('}', in.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = read(fd, buf, sizeof(buf));
      if (n <= 0) return false;
      in.append(buf, static_cast<size_t>(n));
    }
    if (in.compare(9, 3, "200") != 0) {
      std::fprintf(stderr, "seeding failed: %s\n", in.c_str());
      return false;
    }
  }
  close(fd);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"storepilot_overload_gen: open-loop mixed-priority load"};
  app.add_option("--port", o.port)->required();
  app.add_option("--token", o.token)->required();
  app.add_option("--shop", o.shop);
  app.add_option("--rate", o.rate, "requests/s, open loop; 0: closed loop");
  app.add_option("--connections", o.connections, "closed-loop connections");
  app.add_option("--max-connections", o.max_connections, "open-loop connection pool");
  app.add_option("--seconds", o.seconds);
  app.add_option("--deadline-ms", o.deadline_ms);
  app.add_option("--pid", o.pid, "server pid, for its peak RSS");
  app.add_option("--seed-products", o.seed_products, "create this many products first");
  app.add_option("--products", o.products, "product ids used by the load");
  app.add_option("--id-prefix", o.id_prefix);
  CLI11_PARSE(app, argc, argv);
  if (o.seed_products > 0 && !SeedProducts(o)) return 1;
  if (o.seconds <= 0) return 0;
  Generator g(o);
  std::printf("%s\n", g.Run().c_str());
  return 0;
}
