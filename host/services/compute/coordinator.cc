#include "host/services/compute/coordinator.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <random>
#include <set>

#include "host/base/log/log.h"
#include "host/services/compute/channel.h"
#include "host/services/compute/internal/bytes.h"
#include "host/swarm/swarm.h"
#include "transports/core/notifier.h"

namespace prowl::compute {
namespace asio = boost::asio;
using internal::as_bytes;
using internal::as_string;
using internal::same_bytes;
using job::Action;

// One running job: its dispatcher, its workers' channels, the results.
class Coordinator::Job : public std::enable_shared_from_this<Coordinator::Job> {
 public:
  Job(Coordinator& owner, JobSpec spec, ProgressFn progress)
      : owner_(owner), spec_(std::move(spec)), progress_(std::move(progress)), wake_(owner.executor_),
        local_id_(owner.swarm_.local_peer()) {}

  asio::awaitable<JobReport> run() {
    const auto start = std::chrono::steady_clock::now();
    report_.status = co_await prepare();
    if (report_.status.ok()) report_.status = co_await drive();
    if (report_.status.ok()) report_.status = co_await merge();
    finish_journal();
    close_all();
    report_.stats = dispatcher_ ? dispatcher_->stats() : job::Stats{};
    for (const auto& [worker, n] : report_.stats.results_per_worker)
      report_.tasks_per_worker[worker == local_id_ ? "local" : worker.to_string()] = n;
    report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    co_return std::move(report_);
  }

  void cancel() {
    cancelled_ = true;
    wake_.notify();
  }

 private:
  struct Remote {
    std::shared_ptr<Channel> channel;
    std::map<uint64_t, job::TaskIndex> offers;  // wire id -> task
  };
  struct Incoming {
    task::pb::Result result;
    task::Assembler bytes;
  };

  // --- setup -----------------------------------------------------------------

  asio::awaitable<Status> prepare() {
    hunt_ = owner_.catalog_.find(spec_.hunt);
    if (!hunt_)
      co_return Status::NotFound("no hunt '" + spec_.hunt + "' is loaded here (`prowl hunt list` shows the loaded ones)");
    if (Status s = spec_.settings.validate(); !s.ok()) co_return s;
    if (hunt_->info().has_check) spec_.settings.checked = true;
    job::Digest input_digest{};
    if (Status s = task::digest_file(spec_.input, &input_digest); !s.ok()) co_return s.with_context("input file");
    report_.job_id = job::job_id(spec_.hunt, hunt_->info().version, spec_.params, input_digest);

    // Plan on the compute executor: plugin code never runs on the event loop.
    auto tasks = std::make_shared<std::vector<std::vector<uint8_t>>>();
    TaskOptions plan_options;
    plan_options.deadline = std::chrono::minutes(30);
    plan_options.priority = Priority::kHigh;
    // (Named, not built inside the co_await: GCC 12 mis-destroys temporaries there.)
    TaskFn plan = [hunt = hunt_, params = spec_.params, input = spec_.input, tasks](TaskContext&) {
      return hunt->plan(params, input, [&](std::vector<uint8_t> t) {
        tasks->push_back(std::move(t));
        return Status::Ok();
      });
    };
    const TaskResult planned = co_await owner_.compute_.run(std::move(plan), plan_options);
    if (!planned.status.ok()) co_return planned.status.with_context("planning " + spec_.hunt);
    if (tasks->empty()) co_return Status::InvalidInput(spec_.hunt + " planned no task for these params");
    tasks_ = std::move(*tasks);
    results_.resize(tasks_.size());

    std::mt19937_64 rng(std::random_device{}());
    dispatcher_ = std::make_unique<job::Dispatcher>(
        tasks_.size(), spec_.settings, [this](const job::WorkerId& w) { return standing(w); },
        [rng]() mutable { return std::uniform_real_distribution<double>(0, 1)(rng); });

    if (owner_.journal_ != nullptr) {
      job::JobRecord record;
      record.id = report_.job_id;
      record.hunt = spec_.hunt;
      record.version = hunt_->info().version;
      record.params = spec_.params;
      record.input = spec_.input.string();
      record.tasks = static_cast<uint32_t>(tasks_.size());
      record.replicas = spec_.settings.replicas;
      record.quorum = spec_.settings.quorum;
      owner_.journal_->begin(record);
      for (job::AcceptedTask& done : owner_.journal_->accepted(report_.job_id)) {
        if (done.task >= tasks_.size()) continue;
        dispatcher_->restore_accepted(done.task, done.digest, local_id_);
        results_[done.task] = std::move(done.result);
        ++report_.restored;
      }
    }
    if (spec_.local) {
      const size_t slots = spec_.local_slots > 0 ? spec_.local_slots : owner_.compute_.threads();
      dispatcher_->add_worker(local_id_, static_cast<uint32_t>(slots));
    }
    co_return Status::Ok();
  }

  job::Standing standing(const job::WorkerId& worker) const {
    if (worker == local_id_) return {.quarantined = false, .consecutive_valid = UINT32_MAX, .trusted = true};
    if (owner_.reputation_ == nullptr) return {};
    const auto now = std::chrono::system_clock::now();
    const reputation::Ledger& ledger = owner_.reputation_->ledger();
    const reputation::Record r = ledger.view(worker, now);
    return {.quarantined = r.quarantined(now),
            .consecutive_valid = r.consecutive_valid,
            .trusted = r.trust(ledger.settings()) >= ledger.settings().trust_threshold};
  }

  // --- the job loop -----------------------------------------------------------

  asio::awaitable<Status> drive() {
    auto self = shared_from_this();
    auto last_scan = std::chrono::steady_clock::time_point{};
    auto last_progress = std::chrono::steady_clock::time_point{};
    asio::steady_timer timer(owner_.executor_);
    // Events (results, declines, leaves) reach the dispatcher between polls;
    // the actions they cause come out of the next poll, so the loop ends
    // only after a poll once the job is done.
    for (;;) {
      if (cancelled_) co_return Status::Closed("job cancelled");
      const auto now = std::chrono::steady_clock::now();
      if (now - last_scan >= owner_.settings_.rescan) {
        last_scan = now;
        find_workers();
      }
      for (const Action& action : dispatcher_->poll(now)) {
        if (Status s = act(action); !s.ok()) co_return s;
      }
      if (dispatcher_->done()) break;
      if (progress_ && now - last_progress >= owner_.settings_.progress_every) {
        last_progress = now;
        progress_(dispatcher_->stats());
      }
      // Sleep until something happens, a replica times out, or the next rescan.
      auto until = now + std::min(owner_.settings_.rescan, owner_.settings_.progress_every);
      if (auto deadline = dispatcher_->next_deadline()) until = std::min(until, *deadline);
      timer.expires_at(until);
      timer.async_wait([self](const boost::system::error_code& ec) {
        if (!ec) self->wake_.notify();
      });
      co_await wake_.wait();
      timer.cancel();
    }
    if (progress_) progress_(dispatcher_->stats());
    if (dispatcher_->stats().failed > 0) co_return failure_;
    co_return Status::Ok();
  }

  Status act(const Action& a) {
    switch (a.kind) {
      case Action::Kind::kOffer:
        offer(*a.worker, a.task);
        return Status::Ok();
      case Action::Kind::kCancel:
        cancel_replica(*a.worker, a.task);
        return Status::Ok();
      case Action::Kind::kAccept: {
        auto it = pending_.find({a.task, *a.worker});
        if (it == pending_.end()) return Status::Internal("accepted task " + std::to_string(a.task) + " has no result");
        results_[a.task] = std::move(it->second);
        drop_pending(a.task);
        const std::string who = *a.worker == local_id_ ? "local" : a.worker->to_string();
        if (owner_.journal_ != nullptr) {
          job::AcceptedTask done;
          done.task = a.task;
          done.digest = a.digest;
          done.worker = who;
          done.result = results_[a.task];
          owner_.journal_->accept(report_.job_id, done);
        }
        return Status::Ok();
      }
      case Action::Kind::kReopen:
        results_[a.task].clear();
        if (owner_.journal_ != nullptr) owner_.journal_->reopen(report_.job_id, a.task);
        return Status::Ok();
      case Action::Kind::kFail:
        failure_ = a.why;
        return Status::Ok();
      case Action::Kind::kVerdict:
        judge(a);
        return Status::Ok();
    }
    return Status::Ok();
  }

  void judge(const Action& a) {
    if (owner_.reputation_ == nullptr || *a.worker == local_id_) return;
    const auto now = std::chrono::system_clock::now();
    switch (a.verdict) {
      case Action::Verdict::kValid: {
        // Speed against the job's mean run time so far, at most 1.
        double speed = 1.0;
        if (a.run_time.count() > 0 && mean_run_ns_ > 0)
          speed = std::min(1.0, mean_run_ns_ / static_cast<double>(a.run_time.count()));
        owner_.reputation_->valid_result(*a.worker, speed, now);
        break;
      }
      case Action::Verdict::kInvalid:
        owner_.reputation_->invalid_result(*a.worker, now);
        log::get_logger("compute")->warn("job {}: {} returned a result that did not verify (task {})", report_.job_id,
                                         a.worker->to_string(), a.task);
        break;
      case Action::Verdict::kLost:
        owner_.reputation_->lost_task(*a.worker, now);
        break;
    }
  }

  void note_run_time(std::chrono::nanoseconds run) {
    ++runs_;
    mean_run_ns_ += (static_cast<double>(run.count()) - mean_run_ns_) / static_cast<double>(runs_);
  }

  // --- local replicas ---------------------------------------------------------

  void offer(const job::WorkerId& worker, job::TaskIndex task) {
    if (worker == local_id_) return offer_local(task);
    auto it = remotes_.find(worker);
    if (it == remotes_.end()) {
      dispatcher_->remove_worker(worker, std::chrono::steady_clock::now());
      return;
    }
    Remote& remote = it->second;
    const uint64_t wire_id = ++next_wire_id_;
    remote.offers.emplace(wire_id, task);
    task::pb::Frame frame;
    task::pb::Offer* o = frame.mutable_offer();
    o->set_task_id(wire_id);
    task::pb::HuntRef* ref = o->mutable_hunt();
    ref->set_name(hunt_->info().name);
    ref->set_version(hunt_->info().version);
    // The library hash is announced, not required: builds of one version by
    // different compilers must work together; results are verified anyway.
    o->set_params(spec_.params);
    o->set_input_size(tasks_[task].size());
    o->set_priority(1);
    o->set_deadline_ms(static_cast<uint32_t>(spec_.task_deadline.count()));
    o->set_max_result_bytes(spec_.max_result_bytes);
    remote.channel->send_with_payload(std::move(frame), wire_id, tasks_[task],
                                      [](task::pb::Frame& f, std::span<const uint8_t> head) {
                                        f.mutable_offer()->set_input(as_string(head));
                                      });
  }

  void offer_local(job::TaskIndex task) {
    TaskOptions options;
    options.deadline = spec_.task_deadline;
    options.max_output_bytes = static_cast<size_t>(spec_.max_result_bytes);
    std::weak_ptr<Job> weak = shared_from_this();
    TaskId id = 0;
    const Status s = owner_.compute_.submit(
        [hunt = hunt_, params = spec_.params, input = tasks_[task]](TaskContext& ctx) {
          return hunt->run(params, input, ctx);
        },
        options,
        [weak, task](TaskResult result) {
          if (auto self = weak.lock()) self->local_done(task, std::move(result));
        },
        &id);
    if (!s.ok()) {
      dispatcher_->failed(local_id_, task, s.message(), std::chrono::steady_clock::now());
      return;
    }
    local_running_[task] = id;
  }

  void local_done(job::TaskIndex task, TaskResult result) {
    local_running_.erase(task);
    const auto now = std::chrono::steady_clock::now();
    if (!result.status.ok()) {
      dispatcher_->failed(local_id_, task, result.status.to_string(), now);
    } else {
      note_run_time(result.run_time);
      const job::Digest digest = task::digest_of(result.output);
      pending_[{task, local_id_}] = std::move(result.output);
      dispatcher_->result(local_id_, task, digest, result.run_time, now);
    }
    wake_.notify();
  }

  void cancel_replica(const job::WorkerId& worker, job::TaskIndex task) {
    pending_.erase({task, worker});
    if (worker == local_id_) {
      auto it = local_running_.find(task);
      if (it != local_running_.end()) owner_.compute_.cancel(it->second);
      return;
    }
    auto it = remotes_.find(worker);
    if (it == remotes_.end()) return;
    for (auto o = it->second.offers.begin(); o != it->second.offers.end(); ++o) {
      if (o->second != task) continue;
      task::pb::Frame frame;
      frame.mutable_cancel()->set_task_id(o->first);
      it->second.channel->send(frame);
      it->second.offers.erase(o);
      return;
    }
  }

  void drop_pending(job::TaskIndex task) {
    for (auto it = pending_.begin(); it != pending_.end();) {
      it = it->first.first == task ? pending_.erase(it) : std::next(it);
    }
  }

  // --- remote workers ----------------------------------------------------------

  void find_workers() {
    std::vector<identity::PeerId> peers;
    if (owner_.settings_.candidates) {
      peers = owner_.settings_.candidates();
    } else {
      for (const auto& c : owner_.swarm_.connections()) peers.push_back(c.peer);
    }
    for (const auto& peer : peers) {
      if (peer == local_id_ || tried_.contains(peer)) continue;
      tried_.insert(peer);
      asio::co_spawn(owner_.executor_, [self = shared_from_this(), peer]() { return self->work_with(peer); },
                     asio::detached);
    }
  }

  asio::awaitable<void> work_with(identity::PeerId peer) {
    std::shared_ptr<Channel> channel;
    try {
      const std::vector<std::string> protocols{std::string(task::kProtocol)};
      auto stream = co_await owner_.swarm_.open_stream(peer, protocols);
      channel = std::make_shared<Channel>(stream, owner_.executor_, owner_.settings_.limits);
      channel->start();
      auto first = co_await channel->read();
      if (!first || !first->has_announce()) throw StatusError(StatusCode::kInvalidInput, "the worker did not announce");
      if (!serves_our_hunt(first->announce())) {
        channel->close();
        co_return;
      }
      if (finished_) {
        channel->close();
        co_return;
      }
      remotes_[peer] = Remote{channel, {}};
      dispatcher_->add_worker(peer, std::max<uint32_t>(1, first->announce().free_slots()));
      wake_.notify();
      std::map<uint64_t, Incoming> incoming;
      while (!finished_) {
        auto frame = co_await channel->read();
        if (!frame) break;
        on_frame(peer, *frame, incoming);
        wake_.notify();
      }
    } catch (const std::exception& e) {
      log::get_logger("compute")->debug("job {}: worker {}: {}", report_.job_id, peer.to_string(), e.what());
    }
    if (channel) channel->close();
    // find + erase(iterator): erase(key) trips a GCC 12 -Wstringop-overread false positive.
    if (auto it = remotes_.find(peer); !finished_ && it != remotes_.end()) {
      remotes_.erase(it);
      dispatcher_->remove_worker(peer, std::chrono::steady_clock::now());
      wake_.notify();
    }
  }

  bool serves_our_hunt(const task::pb::Announce& announce) const {
    const HuntInfo& info = hunt_->info();
    for (const task::pb::HuntRef& ref : announce.hunts()) {
      if (ref.name() == info.name && ref.version() == info.version) return true;
    }
    return false;
  }

  void on_frame(const identity::PeerId& peer, const task::pb::Frame& frame, std::map<uint64_t, Incoming>& incoming) {
    auto it = remotes_.find(peer);
    if (it == remotes_.end()) return;
    Remote& remote = it->second;
    const auto now = std::chrono::steady_clock::now();
    auto task_of = [&](uint64_t wire_id) -> std::optional<job::TaskIndex> {
      auto o = remote.offers.find(wire_id);
      if (o == remote.offers.end()) return std::nullopt;
      return o->second;
    };
    switch (frame.body_case()) {
      case task::pb::Frame::kAccept:
        if (auto t = task_of(frame.accept().task_id())) dispatcher_->accepted(peer, *t);
        return;
      case task::pb::Frame::kDecline: {
        const task::pb::Decline& d = frame.decline();
        auto t = task_of(d.task_id());
        if (!t) return;
        remote.offers.erase(d.task_id());
        const bool permanent = d.reason() != task::pb::DECLINE_FULL;
        log::get_logger("compute")->debug("job {}: {} declined task {}: {}", report_.job_id, peer.to_string(), *t,
                                          d.detail());
        dispatcher_->declined(peer, *t, permanent, now);
        return;
      }
      case task::pb::Frame::kCredit:
        dispatcher_->add_credit(peer, frame.credit().slots());
        return;
      case task::pb::Frame::kResult: {
        const task::pb::Result& r = frame.result();
        if (!task_of(r.task_id())) return;
        if (!r.ok()) {
          const job::TaskIndex t = *task_of(r.task_id());
          remote.offers.erase(r.task_id());
          dispatcher_->failed(peer, t, r.error(), now);
          return;
        }
        Incoming in{r, task::Assembler(as_bytes(r.output()), r.result_size())};
        if (in.bytes.complete()) return complete_result(peer, remote, std::move(in), now);
        incoming.emplace(r.task_id(), std::move(in));
        return;
      }
      case task::pb::Frame::kChunk: {
        const task::pb::Chunk& c = frame.chunk();
        auto in = incoming.find(c.task_id());
        if (in == incoming.end())
          throw StatusError(StatusCode::kInvalidInput, "task frame: chunk of unknown result " + std::to_string(c.task_id()));
        if (Status s = in->second.bytes.add(c.offset(), as_bytes(c.data())); !s.ok()) throw StatusError(std::move(s));
        if (!in->second.bytes.complete()) return;
        Incoming done = std::move(in->second);
        incoming.erase(in);
        return complete_result(peer, remote, std::move(done), now);
      }
      default:
        throw StatusError(StatusCode::kInvalidInput, "task frame: a coordinator takes no offers");
    }
  }

  void complete_result(const identity::PeerId& peer, Remote& remote, Incoming in, std::chrono::steady_clock::time_point now) {
    const uint64_t wire_id = in.result.task_id();
    const job::TaskIndex task = remote.offers.at(wire_id);
    remote.offers.erase(wire_id);
    std::vector<uint8_t> bytes = in.bytes.take();
    const job::Digest digest = task::digest_of(bytes);
    const auto run_time = std::chrono::microseconds(in.result.run_us());
    if (!same_bytes(as_bytes(in.result.digest()), digest)) {
      // The bytes are not what the worker said they were.
      dispatcher_->rejected_by_check(peer, task, now);
      return;
    }
    if (hunt_->info().has_check) return check_then_count(peer, task, std::move(bytes), digest, run_time);
    note_run_time(run_time);
    pending_[{task, peer}] = std::move(bytes);
    dispatcher_->result(peer, task, digest, run_time, now);
  }

  // The hunt's own check runs on the compute executor, never on the loop.
  void check_then_count(const identity::PeerId& peer, job::TaskIndex task, std::vector<uint8_t> bytes,
                        job::Digest digest, std::chrono::nanoseconds run_time) {
    auto shared = std::make_shared<std::vector<uint8_t>>(std::move(bytes));
    std::weak_ptr<Job> weak = shared_from_this();
    const Status s = owner_.compute_.submit(
        [hunt = hunt_, params = spec_.params, input = tasks_[task], shared](TaskContext&) {
          return hunt->check(params, input, *shared);
        },
        {.priority = Priority::kHigh},
        [weak, peer, task, shared, digest, run_time](TaskResult checked) {
          auto self = weak.lock();
          if (!self) return;
          const auto now = std::chrono::steady_clock::now();
          if (!checked.status.ok()) {
            self->dispatcher_->rejected_by_check(peer, task, now);
          } else {
            self->note_run_time(run_time);
            self->pending_[{task, peer}] = std::move(*shared);
            self->dispatcher_->result(peer, task, digest, run_time, now);
          }
          self->wake_.notify();
        });
    if (!s.ok()) dispatcher_->failed(peer, task, s.message(), std::chrono::steady_clock::now());
  }

  // --- the end ---------------------------------------------------------------

  asio::awaitable<Status> merge() {
    TaskOptions options;
    options.deadline = std::chrono::minutes(30);
    options.priority = Priority::kHigh;
    options.max_output_bytes = static_cast<size_t>(std::max<uint64_t>(spec_.max_result_bytes, 1u << 30));
    auto results = std::make_shared<std::vector<std::vector<uint8_t>>>(std::move(results_));
    TaskFn merge_fn = [hunt = hunt_, params = spec_.params, results](TaskContext& ctx) {
      return hunt->merge(params, *results, ctx);
    };
    TaskResult merged = co_await owner_.compute_.run(std::move(merge_fn), options);
    if (!merged.status.ok()) co_return merged.status.with_context("merging " + spec_.hunt);
    report_.outcome = std::move(merged.output);
    co_return Status::Ok();
  }

  void finish_journal() {
    if (owner_.journal_ == nullptr || report_.job_id.empty() || !dispatcher_) return;
    if (report_.status.ok()) {
      std::string summary = as_string(std::span(report_.outcome.data(), std::min<size_t>(report_.outcome.size(), 200)));
      owner_.journal_->finish(report_.job_id, job::JobState::kDone, summary);
    } else if (report_.status.code() == StatusCode::kClosed) {
      owner_.journal_->finish(report_.job_id, job::JobState::kCancelled, report_.status.message());
    } else {
      owner_.journal_->finish(report_.job_id, job::JobState::kFailed, report_.status.message());
    }
  }

  void close_all() {
    finished_ = true;
    for (auto& [peer, remote] : remotes_) remote.channel->close();
    remotes_.clear();
    for (const auto& [task, id] : local_running_) owner_.compute_.cancel(id);
    local_running_.clear();
  }

  Coordinator& owner_;
  JobSpec spec_;
  ProgressFn progress_;
  transport::Notifier wake_;
  const identity::PeerId local_id_;
  std::shared_ptr<Hunt> hunt_;
  std::vector<std::vector<uint8_t>> tasks_;
  std::vector<std::vector<uint8_t>> results_;
  std::map<std::pair<job::TaskIndex, job::WorkerId>, std::vector<uint8_t>> pending_;  // results awaiting a verdict
  std::unique_ptr<job::Dispatcher> dispatcher_;
  std::map<identity::PeerId, Remote> remotes_;
  std::map<job::TaskIndex, TaskId> local_running_;
  std::set<identity::PeerId> tried_;
  uint64_t next_wire_id_ = 0;
  double mean_run_ns_ = 0;
  uint64_t runs_ = 0;
  Status failure_;
  bool cancelled_ = false;
  bool finished_ = false;
  JobReport report_;
};

Coordinator::Coordinator(swarm::Swarm& swarm, asio::any_io_executor executor, Executor& compute,
                         const HuntCatalog& catalog, reputation::Book* reputation, job::Journal* journal,
                         CoordinatorSettings settings)
    : swarm_(swarm), executor_(executor), compute_(compute), catalog_(catalog), reputation_(reputation),
      journal_(journal), settings_(std::move(settings)) {}

Coordinator::~Coordinator() {
  if (running_) running_->cancel();
}

asio::awaitable<JobReport> Coordinator::run(JobSpec spec, ProgressFn progress) {
  if (running_) {
    JobReport busy;
    busy.status = Status::Unsupported("this coordinator is already running a job");
    co_return busy;
  }
  running_ = std::make_shared<Job>(*this, std::move(spec), std::move(progress));
  auto job = running_;
  JobReport report = co_await job->run();
  running_.reset();
  co_return report;
}

void Coordinator::cancel() {
  if (running_) running_->cancel();
}

}  // namespace prowl::compute
