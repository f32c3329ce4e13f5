#include "host/wire/job/dispatcher.h"

#include <gtest/gtest.h>

#include <array>
#include <set>

#include "host/base/identity/key_pair.h"

namespace prowl::job {
namespace {
using namespace std::chrono_literals;

WorkerId worker(uint8_t fill) {
  std::array<uint8_t, 32> seed;
  seed.fill(fill);
  return identity::PeerId::from_public_key(identity::KeyPair::from_seed(seed).public_key());
}

Digest truth(TaskIndex task) {
  Digest d{};
  d[0] = static_cast<uint8_t>(task);
  d[1] = static_cast<uint8_t>(task >> 8);
  return d;
}

Digest lie(TaskIndex task) {
  Digest d = truth(task);
  d[31] = 0xee;
  return d;
}

// Drives a dispatcher with scripted workers: each answers every offer at the
// next poll, honestly unless it is in `liars`; `silent` workers never answer.
struct Harness {
  explicit Harness(size_t tasks, Settings s = {}) : dispatcher(tasks, s, [this](const WorkerId& w) { return standing[w]; },
                                                               [this] { return draw; }) {}

  void run(int rounds = 100) {
    for (int i = 0; i < rounds && !dispatcher.done(); ++i) {
      for (const Action& action : dispatcher.poll(now)) handle(action);
      for (auto& [w, offer_list] : inbox) {
        for (TaskIndex t : offer_list) {
          if (silent.contains(w)) continue;
          dispatcher.result(w, t, liars.contains(w) ? lie(t) : truth(t), 1ms, now);
        }
        offer_list.clear();
      }
      now += 10ms;
    }
    for (const Action& action : dispatcher.poll(now)) handle(action);
  }

  void handle(const Action& a) {
    switch (a.kind) {
      case Action::Kind::kOffer:
        inbox[*a.worker].push_back(a.task);
        ran[a.task].insert(*a.worker);
        break;
      case Action::Kind::kAccept:
        outcome[a.task] = a.digest;
        break;
      case Action::Kind::kReopen:
        outcome.erase(a.task);
        ++reopened;
        break;
      case Action::Kind::kFail:
        failures.push_back(a.why.message());
        break;
      case Action::Kind::kVerdict:
        if (a.verdict == Action::Verdict::kInvalid) ++invalid[*a.worker];
        if (a.verdict == Action::Verdict::kLost) ++lost[*a.worker];
        break;
      case Action::Kind::kCancel:
        ++cancels[*a.worker];
        break;
    }
  }

  void expect_all_true(size_t tasks) const {
    ASSERT_EQ(outcome.size(), tasks);
    for (const auto& [t, d] : outcome) EXPECT_EQ(d, truth(t)) << "task " << t;
  }

  Time now{};
  double draw = 0.5;
  std::map<WorkerId, Standing> standing;
  std::set<WorkerId> liars, silent;
  std::map<WorkerId, std::vector<TaskIndex>> inbox;
  std::map<TaskIndex, std::set<WorkerId>> ran;
  std::map<TaskIndex, Digest> outcome;
  std::map<WorkerId, int> invalid, lost, cancels;
  std::vector<std::string> failures;
  int reopened = 0;
  Dispatcher dispatcher;
};

TEST(DispatcherTest, SettingsThatContradictAreRefused) {
  Settings s;
  s.quorum = 3;
  EXPECT_EQ(s.validate().message(), "quorum (3) is above replicas (2)");
  s = {};
  s.replicas = 9;
  EXPECT_EQ(s.validate().message(), "replicas (9) is above the cap of 5");
}

TEST(DispatcherTest, HonestWorkersRunEachTaskOnTwoDistinctHosts) {
  Settings s;
  s.backups = false;
  Harness h(30, s);
  for (uint8_t i = 1; i <= 3; ++i) h.dispatcher.add_worker(worker(i), 4);
  h.run();
  ASSERT_TRUE(h.dispatcher.done());
  h.expect_all_true(30);
  for (const auto& [t, hosts] : h.ran) EXPECT_EQ(hosts.size(), 2u) << "task " << t;
  EXPECT_EQ(h.dispatcher.stats().offers - h.dispatcher.stats().backups, 60u);
  EXPECT_EQ(h.dispatcher.stats().rejected, 0u);
  EXPECT_EQ(h.dispatcher.stats().results_per_worker.size(), 3u);
}

TEST(DispatcherTest, ALiarChangesNoOutcomeAndIsNamedForEveryLie) {
  Harness h(40);
  for (uint8_t i = 1; i <= 4; ++i) h.dispatcher.add_worker(worker(i), 4);
  h.liars.insert(worker(4));
  h.run();
  ASSERT_TRUE(h.dispatcher.done());
  ASSERT_TRUE(h.failures.empty());
  h.expect_all_true(40);
  EXPECT_GT(h.invalid[worker(4)], 0);
  EXPECT_EQ(h.invalid[worker(4)], static_cast<int>(h.dispatcher.stats().rejected));
  EXPECT_EQ(h.invalid.count(worker(1)), 0u);
}

TEST(DispatcherTest, ASilentWorkersTasksTimeOutAndMoveOn) {
  Settings s;
  s.task_timeout = 100ms;
  s.backups = false;  // (backups would overtake the silent worker before its timeout)
  Harness h(10, s);
  for (uint8_t i = 1; i <= 3; ++i) h.dispatcher.add_worker(worker(i), 4);
  h.silent.insert(worker(3));
  h.run();
  ASSERT_TRUE(h.dispatcher.done());
  h.expect_all_true(10);
  EXPECT_GT(h.lost[worker(3)], 0);
  EXPECT_GT(h.cancels[worker(3)], 0);
  EXPECT_GT(h.dispatcher.stats().reassigned, 0u);
}

TEST(DispatcherTest, AWorkerThatLeavesHasItsReplicasReassigned) {
  Harness h(10);
  for (uint8_t i = 1; i <= 3; ++i) h.dispatcher.add_worker(worker(i), 10);
  for (const Action& a : h.dispatcher.poll(h.now)) h.handle(a);
  h.inbox[worker(3)].clear();  // it never answers: it is gone
  h.dispatcher.remove_worker(worker(3), h.now);
  h.run();
  ASSERT_TRUE(h.dispatcher.done());
  h.expect_all_true(10);
  EXPECT_GT(h.lost[worker(3)], 0);
}

TEST(DispatcherTest, ATaskThatFailsEverywhereFailsTheJobWithItsError) {
  Settings s;
  s.max_attempts = 2;
  Harness h(1, s);
  for (uint8_t i = 1; i <= 4; ++i) h.dispatcher.add_worker(worker(i), 1);
  for (int round = 0; round < 10 && !h.dispatcher.done(); ++round) {
    for (const Action& a : h.dispatcher.poll(h.now)) {
      if (a.kind == Action::Kind::kOffer) h.dispatcher.failed(*a.worker, a.task, "task threw: bad input", h.now);
      h.handle(a);
    }
  }
  for (const Action& a : h.dispatcher.poll(h.now)) h.handle(a);
  ASSERT_EQ(h.failures.size(), 1u);
  EXPECT_EQ(h.failures[0], "task 0 failed 3 times; last: task threw: bad input");
}

TEST(DispatcherTest, ATrustedWorkerRunsAloneAndACaughtLieReopensWhatItVouchedFor) {
  Harness h(10);
  const WorkerId trusted = worker(1);
  h.standing[trusted] = {.quarantined = false, .consecutive_valid = 1000, .trusted = true};
  h.draw = 0.99;  // no spot check
  h.dispatcher.add_worker(trusted, 5);
  for (const Action& a : h.dispatcher.poll(h.now)) h.handle(a);
  ASSERT_EQ(h.inbox[trusted].size(), 5u);
  for (TaskIndex t : h.inbox[trusted]) h.dispatcher.result(trusted, t, lie(t), 1ms, h.now);
  h.inbox[trusted].clear();
  // Its false results for tasks 0-4 stand, provisionally: the risk adaptive
  // replication takes until a spot check catches the worker.
  h.draw = 0.0;  // from now on every task is spot-checked
  for (const Action& a : h.dispatcher.poll(h.now)) h.handle(a);
  ASSERT_EQ(h.outcome.size(), 5u);
  EXPECT_EQ(h.outcome[0], lie(0));
  ASSERT_EQ(h.inbox[trusted].size(), 5u);  // tasks 5-9, each to be replicated
  h.liars.insert(trusted);
  h.dispatcher.add_worker(worker(2), 10);
  h.dispatcher.add_worker(worker(3), 10);
  h.run();
  ASSERT_TRUE(h.dispatcher.done());
  ASSERT_TRUE(h.failures.empty());
  h.expect_all_true(10);
  EXPECT_EQ(h.reopened, 5);
  EXPECT_GT(h.invalid[trusted], 0);
}

TEST(DispatcherTest, CheckedHuntsNeedOneReplica) {
  Settings s;
  s.checked = true;
  Harness h(10, s);
  for (uint8_t i = 1; i <= 2; ++i) h.dispatcher.add_worker(worker(i), 10);
  h.run();
  h.expect_all_true(10);
  EXPECT_EQ(h.dispatcher.stats().offers - h.dispatcher.stats().backups, 10u);
}

TEST(DispatcherTest, AResultThatFailsTheHuntsCheckConvictsItsWorkerAndRunsElsewhere) {
  Settings s;
  s.checked = true;
  Harness h(1, s);
  h.dispatcher.add_worker(worker(1), 1);
  for (const Action& a : h.dispatcher.poll(h.now)) h.handle(a);
  ASSERT_EQ(h.inbox[worker(1)], std::vector<TaskIndex>{0});
  h.inbox[worker(1)].clear();
  h.dispatcher.rejected_by_check(worker(1), 0, h.now);
  h.dispatcher.add_worker(worker(2), 1);
  h.run();
  h.expect_all_true(1);
  EXPECT_EQ(h.invalid[worker(1)], 1);
  EXPECT_EQ(h.ran[0], (std::set<WorkerId>{worker(1), worker(2)}));
}

TEST(DispatcherTest, AWorkerThatKeepsFailingIsThrottled) {
  Settings s;
  s.throttle_after = 2;
  s.throttle_time = 1s;
  s.max_attempts = 10;
  Harness h(1, s);
  h.dispatcher.add_worker(worker(1), 1);
  auto offers = [&] {
    size_t n = 0;
    for (const Action& a : h.dispatcher.poll(h.now)) {
      if (a.kind == Action::Kind::kOffer) {
        ++n;
        h.dispatcher.failed(*a.worker, a.task, "task threw", h.now);
      }
    }
    return n;
  };
  EXPECT_EQ(offers(), 1u);
  EXPECT_EQ(offers(), 1u);
  EXPECT_EQ(offers(), 0u);  // two failures, no result: throttled
  h.now += 1s;
  EXPECT_EQ(offers(), 1u);
}

TEST(DispatcherTest, IdleWorkersBackUpTheOldestRunningReplicaAndTheFirstResultWins) {
  Settings s;
  s.replicas = 1;
  s.quorum = 1;
  s.adaptive = false;
  Harness h(1, s);
  h.dispatcher.add_worker(worker(1), 1);
  for (const Action& a : h.dispatcher.poll(h.now)) h.handle(a);
  h.inbox.clear();  // worker 1 is a straggler
  h.now += 5s;
  h.dispatcher.add_worker(worker(2), 1);
  bool backup = false;
  for (const Action& a : h.dispatcher.poll(h.now)) {
    if (a.kind == Action::Kind::kOffer) backup = a.backup && *a.worker == worker(2);
    h.handle(a);
  }
  EXPECT_TRUE(backup);
  h.dispatcher.result(worker(2), 0, truth(0), 1ms, h.now);
  for (const Action& a : h.dispatcher.poll(h.now)) h.handle(a);
  h.expect_all_true(1);
  EXPECT_EQ(h.cancels[worker(1)], 1);
  EXPECT_EQ(h.dispatcher.stats().backups, 1u);
}

TEST(DispatcherTest, RestoredTasksAreNotRunAgain) {
  Harness h(10);
  for (TaskIndex t = 0; t < 5; ++t) h.dispatcher.restore_accepted(t, truth(t), worker(9));
  for (uint8_t i = 1; i <= 2; ++i) h.dispatcher.add_worker(worker(i), 10);
  h.run();
  ASSERT_TRUE(h.dispatcher.done());
  for (TaskIndex t = 0; t < 5; ++t) EXPECT_FALSE(h.ran.contains(t));
  EXPECT_EQ(h.dispatcher.stats().offers - h.dispatcher.stats().backups, 10u);
}

}  // namespace
}  // namespace prowl::job
