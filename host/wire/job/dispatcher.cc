#include "host/wire/job/dispatcher.h"

#include <algorithm>
#include <cassert>

namespace prowl::job {

Action Action::offer(const WorkerId& w, TaskIndex t, bool backup_copy) {
  Action a;
  a.kind = Kind::kOffer;
  a.worker = w;
  a.task = t;
  a.backup = backup_copy;
  return a;
}

Action Action::cancel(const WorkerId& w, TaskIndex t) {
  Action a;
  a.kind = Kind::kCancel;
  a.worker = w;
  a.task = t;
  return a;
}

Action Action::accept(TaskIndex t, const Digest& d, const WorkerId& from, bool provisional_outcome) {
  Action a;
  a.kind = Kind::kAccept;
  a.task = t;
  a.digest = d;
  a.worker = from;
  a.provisional = provisional_outcome;
  return a;
}

Action Action::reopen(TaskIndex t) {
  Action a;
  a.kind = Kind::kReopen;
  a.task = t;
  return a;
}

Action Action::fail(TaskIndex t, Status reason) {
  Action a;
  a.kind = Kind::kFail;
  a.task = t;
  a.why = std::move(reason);
  return a;
}

Action Action::judge(const WorkerId& w, TaskIndex t, Verdict v, std::chrono::nanoseconds run) {
  Action a;
  a.kind = Kind::kVerdict;
  a.worker = w;
  a.task = t;
  a.verdict = v;
  a.run_time = run;
  return a;
}

Status Settings::validate() const {
  if (replicas == 0) return Status::InvalidInput("replicas must be at least 1");
  if (quorum == 0) return Status::InvalidInput("quorum must be at least 1");
  if (quorum > replicas)
    return Status::InvalidInput("quorum (" + std::to_string(quorum) + ") is above replicas (" +
                                std::to_string(replicas) + ")");
  if (replicas > max_replicas)
    return Status::InvalidInput("replicas (" + std::to_string(replicas) + ") is above the cap of " +
                                std::to_string(max_replicas));
  if (trust_run == 0) return Status::InvalidInput("trust run must be at least 1");
  if (!(min_spot_check >= 0 && min_spot_check <= 1)) return Status::InvalidInput("spot-check rate must be within [0, 1]");
  if (max_attempts == 0) return Status::InvalidInput("max attempts must be at least 1");
  if (task_timeout.count() <= 0) return Status::InvalidInput("task timeout must be positive");
  if (throttle_after == 0) return Status::InvalidInput("throttle threshold must be at least 1");
  return Status::Ok();
}

Dispatcher::Dispatcher(size_t task_count, Settings settings, StandingFn standing, RandomFn random)
    : settings_(settings), standing_(std::move(standing)), random_(std::move(random)), tasks_(task_count) {
  assert(settings_.validate().ok());
  stats_.tasks = task_count;
}

void Dispatcher::restore_accepted(TaskIndex index, const Digest& digest, const WorkerId&) {
  if (index >= tasks_.size() || tasks_[index].accepted) return;
  Task& task = tasks_[index];
  task.accepted = true;
  task.digest = digest;
  ++stats_.accepted;
}

void Dispatcher::add_worker(const WorkerId& worker, uint32_t credits) {
  Worker& w = workers_[worker];
  w.active = true;
  w.credits += credits;
}

void Dispatcher::add_credit(const WorkerId& worker, uint32_t slots) {
  auto it = workers_.find(worker);
  if (it != workers_.end() && it->second.active) it->second.credits += slots;
}

void Dispatcher::remove_worker(const WorkerId& worker, Time now) {
  (void)now;
  auto it = workers_.find(worker);
  if (it == workers_.end()) return;
  it->second.active = false;
  it->second.credits = 0;
  for (TaskIndex i = 0; i < tasks_.size(); ++i) {
    Task& task = tasks_[i];
    if (task.running.empty()) continue;
    if (!drop_running(i, worker)) continue;
    out_.push_back(Action::judge(worker, i, Action::Verdict::kLost, {}));
    retry(i, "worker " + worker.to_string() + " left");
  }
}

void Dispatcher::accepted(const WorkerId&, TaskIndex) {}

void Dispatcher::declined(const WorkerId& worker, TaskIndex index, bool permanent, Time now) {
  if (index >= tasks_.size() || !drop_running(index, worker)) return;
  Worker& w = workers_[worker];
  w.credits = 0;
  if (permanent) w.active = false;
  count_error(worker, now);
  if (!tasks_[index].accepted) ++stats_.reassigned;
  next_open_ = std::min<size_t>(next_open_, index);
}

void Dispatcher::failed(const WorkerId& worker, TaskIndex index, const std::string& error, Time now) {
  if (index >= tasks_.size() || !drop_running(index, worker)) return;
  ++workers_[worker].credits;
  count_error(worker, now);
  tasks_[index].last_error = error;
  retry(index, error);
}

void Dispatcher::rejected_by_check(const WorkerId& worker, TaskIndex index, Time now) {
  if (index >= tasks_.size() || !drop_running(index, worker)) return;
  ++workers_[worker].credits;
  count_error(worker, now);
  convict(worker, index, {});
  retry(index, "a result failed the hunt's check");
}

void Dispatcher::result(const WorkerId& worker, TaskIndex index, const Digest& digest,
                        std::chrono::nanoseconds run_time, Time now) {
  (void)now;
  if (index >= tasks_.size() || !drop_running(index, worker)) return;
  Worker& w = workers_[worker];
  ++w.credits;
  ++w.good;
  ++stats_.results;
  ++stats_.results_per_worker[worker];
  Task& task = tasks_[index];
  if (task.accepted) {
    if (digest == task.digest) {
      out_.push_back(Action::judge(worker, index, Action::Verdict::kValid, run_time));
    } else if (task.provisional) {
      // A single trusted vote against a later one: nobody knows who lied.
      // Withdraw the outcome and let more replicas decide.
      task.accepted = false;
      task.provisional = false;
      --stats_.accepted;
      task.needed = std::max<uint32_t>(settings_.replicas, 3);
      task.quorum = std::max<uint32_t>(settings_.quorum, 2);
      task.results[worker] = digest;
      out_.push_back(Action::reopen(index));
      next_open_ = std::min<size_t>(next_open_, index);
    } else {
      convict(worker, index, run_time);
    }
    return;
  }
  task.results[worker] = digest;
  evaluate(index);
}

std::vector<Action> Dispatcher::poll(Time now) {
  // Replicas past their deadline.
  while (!timeouts_.empty() && timeouts_.begin()->first <= now) {
    const auto [index, worker] = timeouts_.begin()->second;
    drop_running(index, worker);  // erases the timeout entry
    out_.push_back(Action::cancel(worker, index));
    out_.push_back(Action::judge(worker, index, Action::Verdict::kLost, {}));
    count_error(worker, now);
    retry(index, "timed out on " + worker.to_string() + " after " +
                     std::to_string(settings_.task_timeout.count()) + " ms");
  }
  assign(now);
  std::vector<Action> out;
  out.swap(out_);
  return out;
}

std::optional<Time> Dispatcher::next_deadline() const {
  if (timeouts_.empty()) return std::nullopt;
  return timeouts_.begin()->first;
}

void Dispatcher::decide_replication(Task& task, const WorkerId& first) {
  if (task.needed != 0) return;
  task.needed = settings_.replicas;
  task.quorum = settings_.quorum;
  if (settings_.checked) {
    task.needed = task.quorum = 1;
    return;
  }
  if (!settings_.adaptive) return;
  const Standing s = standing_(first);
  if (s.quarantined || !s.trusted || s.consecutive_valid < settings_.trust_run) return;
  const double spot = std::max(settings_.min_spot_check,
                               static_cast<double>(settings_.trust_run) / static_cast<double>(s.consecutive_valid));
  if (random_() < spot) return;  // a spot check: full replication
  task.needed = task.quorum = 1;
}

bool Dispatcher::wants_replica(const Task& task) const {
  if (task.accepted || task.failed) return false;
  if (task.needed == 0) return true;
  return task.results.size() + task.running.size() < task.needed;
}

bool Dispatcher::has_tried(const Task& task, const WorkerId& worker) const {
  if (task.results.contains(worker)) return true;
  if (std::find(task.excluded.begin(), task.excluded.end(), worker) != task.excluded.end()) return true;
  return std::any_of(task.running.begin(), task.running.end(), [&](const Assignment& a) { return a.worker == worker; });
}

bool Dispatcher::drop_running(TaskIndex index, const WorkerId& worker) {
  Task& task = tasks_[index];
  auto it = std::find_if(task.running.begin(), task.running.end(),
                         [&](const Assignment& a) { return a.worker == worker; });
  if (it == task.running.end()) return false;
  auto [first, last] = timeouts_.equal_range(it->started + settings_.task_timeout);
  for (auto t = first; t != last; ++t) {
    if (t->second.first == index && t->second.second == worker) {
      timeouts_.erase(t);
      break;
    }
  }
  task.running.erase(it);
  return true;
}

void Dispatcher::retry(TaskIndex index, const std::string& why) {
  Task& task = tasks_[index];
  if (task.accepted || task.failed) return;
  ++task.attempts;
  if (task.attempts > settings_.max_attempts) {
    task.failed = true;
    ++stats_.failed;
    out_.push_back(Action::fail(index, Status::Unreachable("task " + std::to_string(index) + " failed " +
                                                         std::to_string(task.attempts) + " times; last: " + why)));
    return;
  }
  ++stats_.reassigned;
  next_open_ = std::min<size_t>(next_open_, index);
}

void Dispatcher::count_error(const WorkerId& worker, Time now) {
  Worker& w = workers_[worker];
  ++w.errors;
  if (w.errors >= settings_.throttle_after && w.errors > w.good) {
    w.throttled_until = now + settings_.throttle_time;
    w.errors = 0;
    w.good = 0;
  }
}

void Dispatcher::accept(TaskIndex index, const Digest& digest, const WorkerId& from) {
  Task& task = tasks_[index];
  task.accepted = true;
  task.digest = digest;
  task.provisional = task.needed == 1 && !settings_.checked;
  ++stats_.accepted;
  if (task.provisional) workers_[from].vouched.push_back(index);
  out_.push_back(Action::accept(index, digest, from, task.provisional));
  for (const Assignment& a : task.running) {
    out_.push_back(Action::cancel(a.worker, index));
    ++workers_[a.worker].credits;
  }
  while (!task.running.empty()) drop_running(index, task.running.front().worker);
}

void Dispatcher::evaluate(TaskIndex index) {
  Task& task = tasks_[index];
  std::map<Digest, std::vector<WorkerId>> votes;
  for (const auto& [worker, digest] : task.results) votes[digest].push_back(worker);
  for (const auto& [digest, voters] : votes) {
    if (voters.size() < task.quorum) continue;
    const std::map<WorkerId, Digest> results = task.results;
    accept(index, digest, voters.front());
    for (const auto& [worker, vote] : results) {
      if (vote == digest) {
        out_.push_back(Action::judge(worker, index, Action::Verdict::kValid, {}));
      } else {
        convict(worker, index, {});
      }
    }
    return;
  }
  if (!task.running.empty() || task.results.size() < task.needed) return;
  // Every replica answered and no digest has a quorum: one more replica.
  if (task.needed >= settings_.max_replicas) {
    task.failed = true;
    ++stats_.failed;
    out_.push_back(Action::fail(index, Status::Internal("task " + std::to_string(index) + ": no " +
                                                      std::to_string(task.quorum) + " of " +
                                                      std::to_string(task.results.size()) + " results agreed")));
    return;
  }
  ++task.needed;
  next_open_ = std::min<size_t>(next_open_, index);
}

void Dispatcher::convict(const WorkerId& worker, TaskIndex caught_on, std::chrono::nanoseconds run_time) {
  ++stats_.rejected;
  out_.push_back(Action::judge(worker, caught_on, Action::Verdict::kInvalid, run_time));
  tasks_[caught_on].excluded.push_back(worker);
  Worker& w = workers_[worker];
  // Its other votes are suspect: outcomes it alone vouched for are
  // withdrawn, and its votes on open tasks no longer count.
  for (TaskIndex t : w.vouched) {
    Task& task = tasks_[t];
    if (!task.accepted || !task.provisional) continue;
    task.accepted = false;
    task.provisional = false;
    --stats_.accepted;
    task.needed = settings_.replicas;
    task.quorum = settings_.quorum;
    task.excluded.push_back(worker);
    out_.push_back(Action::reopen(t));
    next_open_ = std::min<size_t>(next_open_, t);
  }
  w.vouched.clear();
  for (TaskIndex i = 0; i < tasks_.size(); ++i) {
    Task& task = tasks_[i];
    if (task.accepted) continue;
    // find + erase(iterator): erase(key) trips a GCC 12 -Wstringop-overread false positive.
    auto vote = task.results.find(worker);
    if (vote == task.results.end()) continue;
    task.results.erase(vote);
    next_open_ = std::min<size_t>(next_open_, i);
  }
}

void Dispatcher::offer(TaskIndex index, const WorkerId& worker, bool backup, Time now) {
  Task& task = tasks_[index];
  decide_replication(task, worker);
  task.running.push_back({worker, now, backup});
  timeouts_.emplace(now + settings_.task_timeout, std::make_pair(index, worker));
  --workers_[worker].credits;
  ++stats_.offers;
  if (backup) ++stats_.backups;
  out_.push_back(Action::offer(worker, index, backup));
}

void Dispatcher::assign(Time now) {
  if (done()) return;
  bool someone_idle = false;
  for (auto& [id, w] : workers_) {
    if (!w.active || w.credits == 0 || now < w.throttled_until) continue;
    if (standing_(id).quarantined) continue;
    // The lowest-numbered tasks that still need a replica this worker has not run.
    for (size_t i = next_open_; i < tasks_.size() && w.credits > 0; ++i) {
      const Task& task = tasks_[i];
      if (!wants_replica(task) || has_tried(task, id)) continue;
      offer(static_cast<TaskIndex>(i), id, false, now);
    }
    if (w.credits > 0) someone_idle = true;
  }
  // Advance the scan hint past the prefix that needs nothing.
  while (next_open_ < tasks_.size() && !wants_replica(tasks_[next_open_])) ++next_open_;
  if (!someone_idle || !settings_.backups) return;
  // Idle workers and nothing to hand out: back up the longest-running replicas.
  for (auto& [id, w] : workers_) {
    if (!w.active || w.credits == 0 || now < w.throttled_until || standing_(id).quarantined) continue;
    std::optional<TaskIndex> oldest;
    Time oldest_start = Time::max();
    for (const auto& [deadline, entry] : timeouts_) {
      const TaskIndex i = entry.first;
      const Task& task = tasks_[i];
      if (task.accepted || has_tried(task, id)) continue;
      if (std::any_of(task.running.begin(), task.running.end(), [](const Assignment& a) { return a.backup; })) continue;
      const Time started = deadline - settings_.task_timeout;
      if (started < oldest_start) {
        oldest_start = started;
        oldest = i;
      }
      break;  // deadlines are ordered by start: the first eligible is the oldest
    }
    if (oldest) offer(*oldest, id, true, now);
  }
}

}  // namespace prowl::job
