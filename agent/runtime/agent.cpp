#include "agent/runtime/agent.h"

#include <spdlog/logger.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <fstream>
#include <sstream>

#include "agent/diagnose/diagnoser.h"
#include "agent/http/server.h"
#include "agent/pipeline/ingest.h"
#include "agent/pipeline/tail_pipeline.h"
#include "agent/runtime/logging.h"
#include "agent/runtime/metrics.h"
#include "agent/runtime/reload_signal.h"
#include "agent/sources/tail/dir_watcher.h"
#include "agent/store/wal_checkpointer.h"

namespace negoheal::runtime {
namespace asio = boost::asio;

namespace {

constexpr auto k_tick_interval = std::chrono::seconds(10);
constexpr auto k_wal_checkpoint_interval = std::chrono::seconds(1);

Result<settings::Settings> load(const RunOptions& options) {
  auto s = options.config ? settings::load_settings(*options.config) : settings::default_settings();
  if (!s) return s;
  if (options.dry_run) s->remediation_mode = "dry-run";
  return s;
}

Result<std::vector<pipeline::TailSource>> tail_sources(const settings::Settings& s) {
  std::vector<pipeline::TailSource> out;
  for (const auto& f : s.file_sources) {
    pipeline::TailSource t;
    for (const auto& p : f.paths) {
      auto g = sources::parse_glob(s.resolve(p));
      if (!g) return g.error();
      t.globs.push_back(std::move(*g));
    }
    t.format = f.format;
    auto patterns = parsers::LinePatterns::compile(f.line_formats, f.context_patterns);
    if (!patterns) return patterns.error();
    t.patterns = std::move(*patterns);
    t.local_offset = f.local_time_offset;
    t.tail.max_line = f.max_line_bytes;
    t.rotate_wait = f.rotate_wait;
    out.push_back(std::move(t));
  }
  return out;
}

Duration poll_interval(const settings::Settings& s) {
  Duration d = std::chrono::seconds(1);
  for (std::size_t i = 0; i < s.file_sources.size(); ++i)
    d = i == 0 ? s.file_sources[i].poll_interval : std::min(d, s.file_sources[i].poll_interval);
  return d;
}

diagnose::DiagnoseOptions diagnose_options(const settings::Settings& s, spdlog::logger& log) {
  diagnose::DiagnoseOptions o;
  o.enabled = s.probe.enabled;
  o.default_port = s.probe.port;
  o.timeout = s.probe.timeout;
  o.min_interval = s.probe.min_interval;
  o.max_concurrent = s.probe.max_concurrent;
  o.max_per_hour = s.probe.max_per_hour;
  // The proxy's OverridePort list says which port it uses per target (DOMAIN §3).
  const auto& proxy = s.document["remediation"]["proxy"];
  if (proxy.contains("config_path")) {
    const auto path = s.resolve(proxy["config_path"].get<std::string>());
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::stringstream ss;
      ss << in.rdbuf();
      auto overrides = diagnose::parse_override_ports(ss.str());
      if (overrides) {
        o.overrides = std::move(*overrides);
      } else {
        log.warn("{}: OverridePort not read: {}", path.string(), overrides.error().message);
      }
    }
  }
  return o;
}

}  // namespace

struct Agent::Impl {
  Impl(asio::io_context& io_, const Clock& clock_, spdlog::logger& log_, RunOptions options_)
      : io(io_),
        clock(clock_),
        log(log_),
        options(std::move(options_)),
        signals(io_),
        poll_timer(io_),
        tick_timer(io_),
        stop_timer(io_) {}

  asio::io_context& io;
  const Clock& clock;
  spdlog::logger& log;
  RunOptions options;
  settings::Settings settings;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::WalCheckpointer> wal;
  std::unique_ptr<correlate::Correlator> correlator;
  std::unique_ptr<pipeline::Recorder> recorder;
  std::unique_ptr<pipeline::TailPipeline> tail;
  std::unique_ptr<sources::DirWatcher> watcher;
  std::unique_ptr<diagnose::Diagnoser> diagnoser;
  // Replaced by a reload, finishing their running probes. The new one resumes after they are done,
  // so no incident is probed twice.
  std::vector<std::unique_ptr<diagnose::Diagnoser>> retiring;
  bool resume_pending = false;
  std::unique_ptr<http::HttpServer> http;
  asio::signal_set signals;
  asio::steady_timer poll_timer, tick_timer, stop_timer;
  Duration poll_every = std::chrono::seconds(1);
  TimePoint started_at{};
  bool pump_scheduled = false;
  bool rescan = false;
  bool stopping = false;
  std::uint64_t reloads_ok = 0;
  std::uint64_t reloads_failed = 0;

  Status start_sources();
  Status start_diagnoser(bool resume_now);
  void retire_idle_diagnosers();
  Status start_http();
  void schedule_pump(bool with_scan);
  void pump();
  void arm_poll();
  void arm_tick();
  void arm_signals();
  void finish_stop();
  void wait_until_idle(std::chrono::steady_clock::time_point deadline);
  void rebuild_correlator();
  Status reload();
};

void Agent::Impl::rebuild_correlator() {
  // In place: the recorder and the diagnoser hold references to this correlator.
  auto fresh = pipeline::resume_correlator(*store, settings.correlation);
  if (!fresh) {
    log.error("store: cannot reload incidents: {}", fresh.error().message);
    return;
  }
  *correlator = std::move(**fresh);
}

Status Agent::Impl::start_sources() {
  auto sources = tail_sources(settings);
  if (!sources) return sources.error();
  poll_every = poll_interval(settings);
  tail = std::make_unique<pipeline::TailPipeline>(*store, *recorder, clock, log, std::move(*sources));
  tail->on_change([this](const correlate::Change& c) {
    using Kind = correlate::Change::Kind;
    if (!c.incident) return;
    if (c.kind == Kind::opened || c.kind == Kind::reopened) {
      log.info("incident {} {} for {} ({} failure{})", c.incident->id, c.kind == Kind::opened ? "opened" : "reopened",
               c.incident->target_label(), c.incident->failures, c.incident->failures == 1 ? "" : "s");
      if (diagnoser) diagnoser->on_incident(*c.incident, c.kind);
    }
  });
  tail->on_rollback([this] { rebuild_correlator(); });
  if (auto st = tail->start(); !st) return st;
  watcher = sources::DirWatcher::create(io, [this](const std::filesystem::path&) { schedule_pump(true); });
  if (!watcher)
    log.info("no change notifications on this platform: polling every {} ms",
             std::chrono::duration_cast<std::chrono::milliseconds>(poll_every).count());
  for (const auto& dir : tail->folders()) {
    if (watcher) {
      if (auto st = watcher->watch(dir); !st) log.warn("{} (polling it until it exists)", st.error().message);
    }
    log.info("following {}", dir.string());
  }
  return {};
}

void Agent::Impl::retire_idle_diagnosers() {
  std::erase_if(retiring, [](const auto& d) { return d->idle(); });
  if (resume_pending && retiring.empty() && diagnoser) {
    resume_pending = false;
    if (auto st = diagnoser->resume(); !st) log.error("probe: {}", st.error().message);
  }
}

Status Agent::Impl::start_diagnoser(bool resume_now) {
  auto opts = diagnose_options(settings, log);
  if (!opts.enabled) {
    log.info("probe disabled: incidents stay detected");
    return {};
  }
  if (auto st = diagnose::validate(opts); !st) return st;
  diagnoser = std::make_unique<diagnose::Diagnoser>(io, *store, *correlator, clock, std::move(opts));
  if (!resume_now) {
    resume_pending = true;
    return {};
  }
  return diagnoser->resume();
}

Status Agent::Impl::start_http() {
  if (settings.http_listen.empty()) return {};
  auto server = http::HttpServer::start(io, settings.http_listen, [this](std::string_view path) {
    http::Response r;
    if (path == "/metrics") {
      MetricsView v;
      v.started_at = started_at;
      v.tail = tail ? &tail->stats() : nullptr;
      v.records = recorder ? &recorder->stats() : nullptr;
      if (tail) v.files = tail->lag();
      v.diagnose = diagnoser ? &diagnoser->stats() : nullptr;
      v.correlator_targets = correlator ? correlator->tracked_targets() : 0;
      v.reloads_ok = reloads_ok;
      v.reloads_failed = reloads_failed;
      r.body = render_metrics(v);
    } else if (path == "/healthz") {
      const bool failing = stopping || (tail && tail->stats().failing);
      r.status = failing ? 503 : 200;
      r.content_type = "text/plain; charset=utf-8";
      r.body = stopping ? "stopping\n" : failing ? "failing: " + tail->stats().last_error + "\n" : "ok\n";
    } else {
      r.status = 404;
      r.content_type = "text/plain; charset=utf-8";
      r.body = "not found: try /metrics or /healthz\n";
    }
    return r;
  });
  if (!server) return server.error();
  http = std::move(*server);
  const auto colon = settings.http_listen.rfind(':');
  log.info("metrics on http://{}:{}/metrics", settings.http_listen.substr(0, colon), http->port());
  return {};
}

void Agent::Impl::schedule_pump(bool with_scan) {
  rescan = rescan || with_scan;
  if (pump_scheduled || stopping) return;
  pump_scheduled = true;
  asio::post(io, [this] { pump(); });
}

void Agent::Impl::pump() {
  pump_scheduled = false;
  if (stopping || !tail) return;
  if (rescan) {
    rescan = false;
    tail->scan();
  }
  // One chunk per file, then back to the io_context: HTTP and probes stay served during a burst.
  if (tail->pump()) schedule_pump(false);
}

void Agent::Impl::arm_poll() {
  poll_timer.expires_after(poll_every);
  poll_timer.async_wait([this](boost::system::error_code ec) {
    if (ec || stopping) return;
    retire_idle_diagnosers();
    if (watcher) {
      for (const auto& dir : tail->folders())
        (void)watcher->watch(dir);  // folders created since start
    }
    schedule_pump(true);
    arm_poll();
  });
}

void Agent::Impl::arm_tick() {
  tick_timer.expires_after(k_tick_interval);
  tick_timer.async_wait([this](boost::system::error_code ec) {
    if (ec || stopping) return;
    correlator->tick(clock.now());
    arm_tick();
  });
}

void Agent::Impl::arm_signals() {
  signals.async_wait([this](boost::system::error_code ec, int sig) {
    if (ec) return;
    if (is_reload_signal(sig)) {
      log.info("reload requested");
      (void)reload();
      arm_signals();
      return;
    }
    log.info("signal {}: stopping", sig);
    arm_signals();
    // A second TERM/INT while stopping gives up waiting.
    if (stopping) {
      log.warn("second stop request: exiting now");
      io.stop();
      return;
    }
    stopping = true;
    finish_stop();
  });
}

void Agent::Impl::finish_stop() {
  stopping = true;
  poll_timer.cancel();
  tick_timer.cancel();
  if (watcher) watcher->stop();
  if (tail) tail->stop();  // every chunk read so far is committed; nothing is half done
  if (diagnoser) diagnoser->stop();
  const auto deadline = std::chrono::steady_clock::now() + options.shutdown_deadline;
  // Probes already running finish and are stored (bounded by their own timeout) unless the
  // deadline comes first.
  wait_until_idle(deadline);
}

void Agent::Impl::wait_until_idle(std::chrono::steady_clock::time_point deadline) {
  std::erase_if(retiring, [](const auto& d) { return d->idle(); });
  const bool idle = (!diagnoser || diagnoser->idle()) && retiring.empty();
  if (idle || std::chrono::steady_clock::now() >= deadline) {
    if (!idle) log.warn("shutdown deadline reached with probes still running; they are re-run at the next start");
    if (http) http->stop();
    wal.reset();
    signals.cancel();
    log.info("stopped");
    io.stop();
    return;
  }
  stop_timer.expires_after(std::chrono::milliseconds(20));
  stop_timer.async_wait([this, deadline](boost::system::error_code) { wait_until_idle(deadline); });
}

Agent::Agent(asio::io_context& io, const Clock& clock, spdlog::logger& log, RunOptions options)
    : impl_(std::make_unique<Impl>(io, clock, log, std::move(options))) {}

Agent::~Agent() = default;

Status Agent::start() {
  Impl& m = *impl_;
  auto s = load(m.options);
  if (!s) return s.error();
  m.settings = std::move(*s);
  if (auto st = configure_logger(m.log, m.settings.log.format, m.settings.log.level); !st) return st;
  m.started_at = m.clock.now();
  m.log.info("negoheal run: config {}, remediation {}", m.settings.origin, m.settings.remediation_mode);
  const auto db_path = m.settings.resolve(m.settings.store_path);
  auto store = store::Store::open(db_path);
  if (!store) return store.error();
  m.store = std::move(*store);
  m.log.info("store {}", db_path.string());
  auto wal = store::WalCheckpointer::start(m.io, m.store->db(), db_path, k_wal_checkpoint_interval);
  if (!wal) return wal.error();
  m.wal = std::move(*wal);
  auto correlator = pipeline::resume_correlator(*m.store, m.settings.correlation);
  if (!correlator) return correlator.error();
  m.correlator = std::move(*correlator);
  m.recorder = std::make_unique<pipeline::Recorder>(*m.store, *m.correlator, m.clock);
  if (auto st = m.start_diagnoser(true); !st) return st;
  if (auto st = m.start_sources(); !st) return st;
  if (auto st = m.start_http(); !st) return st;
  m.signals.add(SIGINT);
  m.signals.add(SIGTERM);
  add_reload_signal(m.signals);
  m.arm_signals();
  m.arm_poll();
  m.arm_tick();
  m.schedule_pump(false);  // the backlog written while the agent was down
  return {};
}

void Agent::request_stop() {
  if (impl_->stopping) {
    impl_->io.stop();
    return;
  }
  impl_->finish_stop();
}

Status Agent::reload() {
  return impl_->reload();
}

Status Agent::Impl::reload() {
  auto fail = [this](const Error& e) -> Status {
    ++reloads_failed;
    log.error("reload: keeping the running config: {}", e.message);
    return e;
  };
  auto s = load(options);
  if (!s) return fail(s.error());
  if (settings.resolve(settings.store_path) != s->resolve(s->store_path))
    return fail(Error{"store.path changed; that needs a restart"});
  auto sources = tail_sources(*s);
  if (!sources) return fail(sources.error());
  if (auto st = configure_logger(log, s->log.format, s->log.level); !st) return fail(st.error());
  const bool probe_changed = s->document["probe"] != settings.document["probe"] ||
                             s->document["remediation"]["proxy"] != settings.document["remediation"]["proxy"];
  const bool http_changed = s->http_listen != settings.http_listen;
  // Readers are dropped (everything read is committed) and resume from their checkpoints.
  tail->stop();
  settings = std::move(*s);
  rebuild_correlator();
  if (auto st = start_sources(); !st) return fail(st.error());
  if (probe_changed) {
    if (diagnoser) {
      diagnoser->stop();  // running probes finish and are stored; the new one resumes after them
      retiring.push_back(std::move(diagnoser));
    }
    if (auto st = start_diagnoser(false); !st) return fail(st.error());
    retire_idle_diagnosers();
  }
  if (http_changed) {
    if (http) http->stop();
    http.reset();
    if (auto st = start_http(); !st) return fail(st.error());
  }
  ++reloads_ok;
  log.info("reloaded {}", settings.origin);
  schedule_pump(true);
  return {};
}

std::uint16_t Agent::http_port() const {
  return impl_->http ? impl_->http->port() : 0;
}

int run_agent(const RunOptions& options, spdlog::logger& log) {
  asio::io_context io;
  SystemClock clock;
  Agent agent(io, clock, log, options);
  if (auto st = agent.start(); !st) {
    log.error("{}", st.error().message);
    return 1;
  }
  io.run();
  return 0;
}

}  // namespace negoheal::runtime
