// storepilot_overload_gen: an open-loop, mixed-priority HTTP load generator
// for the overload-control benchmark (BENCHMARKS.md, "Overload control").
//
//   storepilot_overload_gen --port P --token T --shop S --rate R --seconds N
//       [--threads 2] [--pool 64] [--deadline-ms 1000] [--pid SERVER_PID]
//       [--normal-urls FILE]... [--products 1000] [--product-offset 0]
//       [--seed-products 1000] [--id-prefix run1] [--mix 5,15,50,30]
//       [--rate 0 --connections 64]
//
// The mix (per request, seeded random; --mix changes the shares): 5% critical (a purchase event POSTed
// with X-Storepilot-Priority: critical: a durable write), 15% high (an
// add_to_cart event with X-Storepilot-Priority: high), 50% normal (what
// shoppers hit: the GET paths of the --normal-urls files, e.g. the
// recommendation and search requests of storepilot_serve_data, taken in
// turn; a product page GET for a customer when no file is given), 30% low
// (half a 20-event analytics batch POST, half a stats GET: their routes'
// default class).
//
// --rate R > 0: open loop. Request i is scheduled at i/R s whatever the
// server does; the schedule is split across --threads threads (request i
// goes to thread i mod T), each with its own epoll loop and, per class, its
// own pool of up to --pool keep-alive connections (as separate client
// services would have: a checkout never waits behind a blocked analytics
// connection). Connections are reused after any complete answer, 429 and
// 503 included. Each request has a deadline (--deadline-ms from its
// scheduled time): one still waiting for a free connection then is
// "unsent" (the generator's limit, not the server's); one unanswered then
// is a "timeout" and its connection is closed, as a client with a timeout
// does. Latency is measured from the scheduled time (no coordinated
// omission).
// --rate 0: closed loop on --connections connections (split across the
// threads, any class on any connection): the capacity.
// Prints one JSON line: per class sent, ok (2xx within the deadline),
// success, shed (429/503), late, timeouts, unsent, errors, p50 and p99 of
// the served; offered rate, goodput, connections opened; with --pid the
// server's peak RSS and the CPU time it used during the run.
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
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
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
  int connections = 64;  // closed loop, in all
  int pool = 64;         // open loop, per class and thread
  int threads = 2;
  double seconds = 10;
  int deadline_ms = 1000;
  int pid = 0;
  int seed_products = 0;
  int products = 1000;
  int product_offset = 0;
  std::vector<std::string> normal_url_files;
  std::string id_prefix = "ov";
  std::vector<double> mix = {5, 15, 50, 30};  // percent critical, high, normal, low
};

struct Request {
  int cls = 0;
  int64_t sched_ns = 0;
  std::string wire;
};

struct Conn {
  int fd = -1;
  int pool = 0;
  bool connected = false;
  bool busy = false;
  bool closed = false;
  Request req;
  size_t out_off = 0;
  std::string in;
};

struct ClassStats {
  // timeouts: unanswered at the deadline; unsent: no free connection before
  // the deadline (the generator's pool, not the server, is then the limit).
  uint64_t sent = 0, ok = 0, late = 0, shed = 0, timeouts = 0, unsent = 0, errors = 0;
  std::vector<float> latency_ms;  // of 2xx answers

  void Merge(const ClassStats& o) {
    sent += o.sent, ok += o.ok, late += o.late, shed += o.shed;
    timeouts += o.timeouts, unsent += o.unsent, errors += o.errors;
    latency_ms.insert(latency_ms.end(), o.latency_ms.begin(), o.latency_ms.end());
  }
};

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

int OpenConnection(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
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

// The request bodies and paths of the mix; shared read-only by the threads.
struct Workload {
  const Options* o;
  std::vector<std::string> normal_urls;

  std::string Http(const char* method, const std::string& path, const char* extra,
                   const std::string& body) const {
    std::string s;
    s.reserve(160 + path.size() + body.size());
    s.append(method).append(" ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    s.append("Authorization: Bearer ").append(o->token).append("\r\n").append(extra);
    if (!body.empty()) {
      s.append("Content-Type: application/json\r\nContent-Length: ")
          .append(std::to_string(body.size()))
          .append("\r\n");
    }
    return s.append("\r\n").append(body);
  }

  // Request number `n` of class `cls`; `rng` picks users and products.
  std::string Make(int cls, uint64_t n, std::mt19937_64& rng) const {
    const std::string shop_path = "/v1/shops/" + o->shop;
    const unsigned long long user = rng() % 2000;
    const unsigned long long product = o->product_offset + rng() % o->products;
    const char* prefix = o->id_prefix.c_str();
    char event[512];
    switch (cls) {
      case 0:
        std::snprintf(event, sizeof(event),
                      R"([{"event_id":"%s-c-%llu","type":"purchase","ts":1795773600000,)"
                      R"("user_id":"u%llu","session_id":"s%llu","order_id":"o%s%llu",)"
                      R"("product_id":"p%llu","quantity":1,"price":%llu.5}])",
                      prefix, (unsigned long long)n, user, user, prefix, (unsigned long long)n,
                      product, 5 + user % 200);
        return Http("POST", shop_path + "/events", "X-Storepilot-Priority: critical\r\n", event);
      case 1:
        std::snprintf(event, sizeof(event),
                      R"([{"event_id":"%s-h-%llu","type":"add_to_cart","ts":1795773600000,)"
                      R"("session_id":"s%llu","product_id":"p%llu","quantity":1}])",
                      prefix, (unsigned long long)n, user, product);
        return Http("POST", shop_path + "/events", "X-Storepilot-Priority: high\r\n", event);
      case 2: {
        if (!normal_urls.empty()) {
          return Http("GET", normal_urls[rng() % normal_urls.size()], "", "");
        }
        std::snprintf(event, sizeof(event), "X-Storepilot-Customer: u%llu\r\n", user);
        return Http("GET", shop_path + "/products/p" + std::to_string(product), event, "");
      }
      default: {
        if (n % 2 == 0) return Http("GET", shop_path + "/stats", "", "");
        std::string batch = "[";
        for (int i = 0; i < 20; ++i) {
          std::snprintf(event, sizeof(event),
                        R"(%s{"event_id":"%s-l-%llu-%d","type":"view","ts":1795773600000,)"
                        R"("session_id":"s%llu","product_id":"p%llu",)"
                        R"("context":{"device":"mobile","country":"US"}})",
                        i ? "," : "", prefix, (unsigned long long)n, i,
                        (unsigned long long)(rng() % 5000),
                        (unsigned long long)(o->product_offset + rng() % o->products));
          batch += event;
        }
        return Http("POST", shop_path + "/events", "", batch + "]");
      }
    }
  }
};

// One thread's share of the load: its own epoll loop and connection pools.
class Worker {
 public:
  Worker(const Options& o, const Workload& w, int index, int64_t start_ns)
      : o_(o), w_(w), index_(index), start_ns_(start_ns), rng_(42 + index) {
    epoll_ = epoll_create1(0);
    closed_loop_ = o.rate <= 0;
    const int threads = std::max(1, o.threads);
    // Closed loop: one pool of this thread's share of --connections.
    pool_cap_ = closed_loop_ ? std::max(1, (o.connections + index) / threads) : o.pool;
    for (double share : o.mix) mix_total_ += share;
  }
  ~Worker() { close(epoll_); }

  void Run();
  ClassStats stats[kClasses];
  int opened = 0;

 private:
  int PickClass() {
    double u = uniform_(rng_) * mix_total_;
    for (int k = 0; k < kClasses - 1; ++k) {
      if (u < o_.mix[k]) return k;
      u -= o_.mix[k];
    }
    return kClasses - 1;
  }
  int PoolOf(int cls) const { return closed_loop_ ? 0 : cls; }
  void Schedule(int64_t now);
  void Dispatch(int64_t now);
  Conn* IdleConn(int pool);
  void Start(Conn* c, Request&& r);
  void Flush(Conn* c);
  void OnReadable(Conn* c);
  void Finish(Conn* c, int status);
  void Fail(Conn* c, bool timeout);
  void CloseConn(Conn* c);
  void ExpireLate(int64_t now);
  bool Drained() const;

  const Options& o_;
  const Workload& w_;
  int index_;
  int64_t start_ns_;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
  int epoll_;
  bool closed_loop_;
  int pool_cap_;
  double mix_total_ = 0;
  uint64_t next_index_ = 0;  // next request number of the global schedule
  std::vector<std::unique_ptr<Conn>> conns_[kClasses];
  std::vector<Conn*> idle_[kClasses];
  std::deque<Request> pending_[kClasses];
  std::vector<Conn*> graveyard_;  // closed this epoll round, freed after it
};

void Worker::Schedule(int64_t now) {
  const int64_t end = start_ns_ + static_cast<int64_t>(o_.seconds * 1e9);
  if (now >= end) return;
  if (closed_loop_) {
    size_t outstanding = pending_[0].size();
    for (auto& c : conns_[0]) outstanding += c->busy ? 1 : 0;
    while (outstanding++ < static_cast<size_t>(pool_cap_)) {
      Request r;
      r.cls = PickClass();
      r.sched_ns = now;
      r.wire = w_.Make(r.cls, next_index_++ * o_.threads + index_, rng_);
      ++stats[r.cls].sent;
      pending_[0].push_back(std::move(r));
    }
    return;
  }
  const double interval_ns = 1e9 / o_.rate;
  const uint64_t threads = std::max(1, o_.threads);
  while (true) {
    const uint64_t i = next_index_ * threads + index_;
    const int64_t at = start_ns_ + static_cast<int64_t>(i * interval_ns);
    if (at > now || at >= end) return;
    Request r;
    r.cls = PickClass();
    r.sched_ns = at;
    r.wire = w_.Make(r.cls, i, rng_);
    ++stats[r.cls].sent;
    pending_[PoolOf(r.cls)].push_back(std::move(r));
    ++next_index_;
  }
}

Conn* Worker::IdleConn(int pool) {
  if (!idle_[pool].empty()) {
    Conn* c = idle_[pool].back();
    idle_[pool].pop_back();
    return c;
  }
  if (static_cast<int>(conns_[pool].size()) >= pool_cap_) return nullptr;
  int fd = OpenConnection(o_.port);
  if (fd < 0) return nullptr;
  ++opened;
  auto c = std::make_unique<Conn>();
  c->fd = fd;
  c->pool = pool;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
  ev.data.ptr = c.get();
  epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
  conns_[pool].push_back(std::move(c));
  return conns_[pool].back().get();
}

void Worker::Dispatch(int64_t now) {
  const int64_t deadline = int64_t{o_.deadline_ms} * 1'000'000;
  for (int p = 0; p < kClasses; ++p) {
    auto& q = pending_[p];
    while (!q.empty()) {
      if (now - q.front().sched_ns > deadline) {
        ++stats[q.front().cls].unsent;
        q.pop_front();
        continue;
      }
      Conn* c = IdleConn(p);
      if (c == nullptr) break;
      Request r = std::move(q.front());
      q.pop_front();
      Start(c, std::move(r));
    }
  }
}

void Worker::Start(Conn* c, Request&& r) {
  c->busy = true;
  c->req = std::move(r);
  c->out_off = 0;
  c->in.clear();
  if (c->connected) Flush(c);
}

void Worker::Flush(Conn* c) {
  const std::string& w = c->req.wire;
  while (c->out_off < w.size()) {
    ssize_t n = send(c->fd, w.data() + c->out_off, w.size() - c->out_off, MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) return Fail(c, false);
    c->out_off += static_cast<size_t>(n);
  }
}

void Worker::CloseConn(Conn* c) {
  if (c->closed) return;
  c->closed = true;
  epoll_ctl(epoll_, EPOLL_CTL_DEL, c->fd, nullptr);
  close(c->fd);
  auto& idle = idle_[c->pool];
  idle.erase(std::remove(idle.begin(), idle.end(), c), idle.end());
  auto& conns = conns_[c->pool];
  auto it = std::find_if(conns.begin(), conns.end(),
                         [c](const std::unique_ptr<Conn>& p) { return p.get() == c; });
  graveyard_.push_back(it->release());
  conns.erase(it);
}

void Worker::Fail(Conn* c, bool timeout) {
  if (c->busy) ++(timeout ? stats[c->req.cls].timeouts : stats[c->req.cls].errors);
  c->busy = false;
  CloseConn(c);
}

void Worker::Finish(Conn* c, int status) {
  const double ms = (NowNs() - c->req.sched_ns) / 1e6;
  ClassStats& s = stats[c->req.cls];
  if (status >= 200 && status < 300) {
    s.latency_ms.push_back(static_cast<float>(ms));
    ++(ms <= o_.deadline_ms ? s.ok : s.late);
  } else if (status == 429 || status == 503) {
    ++s.shed;
  } else {
    ++s.errors;
  }
  c->busy = false;
  c->req.wire.clear();
  idle_[c->pool].push_back(c);
}

void Worker::OnReadable(Conn* c) {
  char buf[65536];
  while (true) {
    ssize_t n = recv(c->fd, buf, sizeof(buf), 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n <= 0) return Fail(c, false);
    c->in.append(buf, static_cast<size_t>(n));
  }
  const size_t header_end = c->in.find("\r\n\r\n");
  if (header_end == std::string::npos || !c->busy) return;
  const size_t cl = c->in.find("Content-Length: ");
  const size_t length = cl != std::string::npos && cl < header_end
                            ? std::strtoul(c->in.c_str() + cl + 16, nullptr, 10)
                            : 0;
  if (c->in.size() < header_end + 4 + length) return;
  const int status = std::atoi(c->in.c_str() + 9);
  const bool close_after = c->in.find("Connection: close") < header_end;
  Finish(c, status);
  if (close_after) CloseConn(c);
}

// Requests unanswered at their deadline fail; their connection is closed.
void Worker::ExpireLate(int64_t now) {
  const int64_t deadline = int64_t{o_.deadline_ms} * 1'000'000;
  std::vector<Conn*> expired;
  for (auto& pool : conns_) {
    for (auto& c : pool) {
      if (c->busy && now - c->req.sched_ns > deadline) expired.push_back(c.get());
    }
  }
  for (Conn* c : expired) Fail(c, true);
}

bool Worker::Drained() const {
  for (int p = 0; p < kClasses; ++p) {
    if (!pending_[p].empty() || idle_[p].size() != conns_[p].size()) return false;
  }
  return true;
}

void Worker::Run() {
  const int64_t end = start_ns_ + static_cast<int64_t>(o_.seconds * 1e9);
  const int64_t deadline = int64_t{o_.deadline_ms} * 1'000'000;
  int64_t next_expiry_check = start_ns_;
  epoll_event events[256];
  while (true) {
    const int64_t now = NowNs();
    Schedule(now);
    Dispatch(now);
    if (now >= next_expiry_check) {  // every millisecond, not on every event
      ExpireLate(now);
      next_expiry_check = now + 1'000'000;
    }
    if (now >= end && Drained()) break;
    if (now > end + deadline + 1'000'000'000) break;
    const int n = epoll_wait(epoll_, events, 256, 1);
    for (int i = 0; i < n; ++i) {
      Conn* c = static_cast<Conn*>(events[i].data.ptr);
      if (c->closed) continue;  // closed earlier in this batch
      if (events[i].events & (EPOLLERR | EPOLLHUP)) {
        Fail(c, false);
        continue;
      }
      if (!c->connected && (events[i].events & EPOLLOUT)) {
        c->connected = true;
        if (c->busy) {
          Flush(c);
        } else {
          idle_[c->pool].push_back(c);
        }
        if (!(events[i].events & EPOLLIN)) continue;
      }
      if ((events[i].events & EPOLLOUT) && c->busy) Flush(c);
      if ((events[i].events & EPOLLIN) && !c->closed) OnReadable(c);
    }
    for (Conn* c : graveyard_) delete c;
    graveyard_.clear();
  }
  for (auto& pool : conns_) {
    for (auto& c : pool) close(c->fd);
  }
}

// The server's resident memory (kB) and CPU time (clock ticks: user+system).
long ReadRssKb(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

long ReadCpuTicks(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return 0;
  // Fields after the command: state is field 3; utime and stime are 14 and 15.
  const char* p = stat.c_str() + paren + 2;
  long utime = 0, stime = 0;
  for (int field = 3; field <= 15 && *p; ++field) {
    if (field == 14) utime = std::atol(p);
    if (field == 15) stime = std::atol(p);
    while (*p && *p != ' ') ++p;
    while (*p == ' ') ++p;
  }
  return utime + stime;
}

std::string Report(const Options& o, ClassStats* stats, int opened, long peak_rss_kb,
                   double server_cpu_s) {
  const double secs = o.seconds;
  std::string out = "{\"rate\":" + std::to_string(o.rate) + ",\"seconds\":" + std::to_string(secs) +
                    ",\"threads\":" + std::to_string(o.threads);
  uint64_t ok = 0, sent = 0, shed = 0, unsent = 0;
  for (int k = 0; k < kClasses; ++k) {
    ClassStats& s = stats[k];
    ok += s.ok, sent += s.sent, shed += s.shed, unsent += s.unsent;
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
  char tail[384];
  std::snprintf(tail, sizeof(tail),
                ",\"offered_per_s\":%.1f,\"goodput_per_s\":%.1f,\"shed_per_s\":%.1f,"
                "\"unsent\":%llu,\"connections_opened\":%d,\"server_peak_rss_mb\":%.1f,"
                "\"server_cpu_s\":%.2f}",
                sent / secs, ok / secs, shed / secs, (unsigned long long)unsent, opened,
                peak_rss_kb / 1024.0, server_cpu_s);
  return out + tail;
}

std::string Run(const Options& o, const Workload& w) {
  const int threads = std::max(1, o.threads);
  const int64_t start = NowNs() + 10'000'000;  // every thread ready first
  std::vector<std::unique_ptr<Worker>> workers;
  for (int t = 0; t < threads; ++t) workers.push_back(std::make_unique<Worker>(o, w, t, start));
  const long ticks0 = o.pid > 0 ? ReadCpuTicks(o.pid) : 0;
  std::atomic<int> running{threads};
  std::vector<std::thread> pool;
  for (auto& worker : workers) {
    pool.emplace_back([&running, wk = worker.get()] {
      wk->Run();
      running.fetch_sub(1);
    });
  }
  long peak_rss_kb = 0;
  while (running.load() > 0) {  // the server's RSS, sampled every 200 ms
    if (o.pid > 0) peak_rss_kb = std::max(peak_rss_kb, ReadRssKb(o.pid));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  for (auto& t : pool) t.join();
  double cpu_s = 0;
  if (o.pid > 0) {
    peak_rss_kb = std::max(peak_rss_kb, ReadRssKb(o.pid));
    cpu_s = double(ReadCpuTicks(o.pid) - ticks0) / sysconf(_SC_CLK_TCK);
  }
  ClassStats total[kClasses];
  int opened = 0;
  for (auto& worker : workers) {
    for (int k = 0; k < kClasses; ++k) total[k].Merge(worker->stats[k]);
    opened += worker->opened;
  }
  return Report(o, total, opened, peak_rss_kb, cpu_s);
}

// Creates products p(offset)..p(offset+n-1) with blocking requests (before the load).
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
      const std::string id = std::to_string(o.product_offset + i);
      body += "{\"id\":\"p" + id + "\",\"title\":\"Product " + id +
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
  app.add_option("--threads", o.threads, "generator threads, each its own epoll loop")
      ->check(CLI::Range(1, 64));
  app.add_option("--connections", o.connections, "closed-loop connections, in all");
  app.add_option("--pool", o.pool, "open loop: keep-alive connections per class and thread")
      ->check(CLI::Range(1, 4096));
  app.add_option("--seconds", o.seconds);
  app.add_option("--deadline-ms", o.deadline_ms);
  app.add_option("--pid", o.pid, "server pid, for its peak RSS and CPU time");
  app.add_option("--seed-products", o.seed_products, "create this many products first");
  app.add_option("--products", o.products, "product ids used by the events")
      ->check(CLI::Range(1, 1 << 30));
  app.add_option("--product-offset", o.product_offset, "first product number (p<offset>)");
  app.add_option("--normal-urls", o.normal_url_files,
                 "files of GET paths (one a line) for the normal class");
  app.add_option("--id-prefix", o.id_prefix);
  app.add_option("--mix", o.mix, "percent critical,high,normal,low (default 5,15,50,30)")
      ->delimiter(',')
      ->expected(kClasses)
      ->check(CLI::NonNegativeNumber);
  CLI11_PARSE(app, argc, argv);
  if (o.mix.size() != kClasses || o.mix[0] + o.mix[1] + o.mix[2] + o.mix[3] <= 0) {
    std::fprintf(stderr, "--mix needs four shares, not all zero\n");
    return 2;
  }
  Workload w{&o, {}};
  for (const std::string& file : o.normal_url_files) {
    std::ifstream f(file);
    if (!f) {
      std::fprintf(stderr, "cannot read %s\n", file.c_str());
      return 2;
    }
    for (std::string line; std::getline(f, line);) {
      if (!line.empty() && line[0] == '/') w.normal_urls.push_back(line);
    }
  }
  if (o.seed_products > 0 && !SeedProducts(o)) return 1;
  if (o.seconds <= 0) return 0;
  std::printf("%s\n", Run(o, w).c_str());
  return 0;
}
