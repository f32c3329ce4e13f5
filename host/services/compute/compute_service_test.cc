// Swarm compute end to end on in-memory swarms (the real upgrade path,
// task protocol and executors): a coordinator farms a job out to workers,
// verifies by redundancy, survives a liar and a worker that leaves, and
// resumes from its journal.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <atomic>
#include <charconv>
#include <filesystem>
#include <string>
#include <thread>

#include "host/base/identity/key_pair.h"
#include "host/services/compute/coordinator.h"
#include "host/services/compute/worker_service.h"
#include "host/testing/memory_swarms.h"

namespace prowl::compute {
namespace {
using namespace std::chrono_literals;

// Sums the integers of [0, n) in tasks of 1000: plan emits "from,to", run
// returns the sum as text, merge adds them. A liar adds 1 to every result
// whose task starts at a multiple of `lie_every` x 1000.
class SumHunt : public Hunt {
 public:
  explicit SumHunt(int lie_every = 0, std::string version = "1.0.0") : lie_every_(lie_every) {
    info_.name = "sum";
    info_.version = std::move(version);
  }
  const HuntInfo& info() const override { return info_; }

  Status plan(std::string_view params, const std::filesystem::path&, const EmitTask& emit) override {
    uint64_t n = 0;
    if (std::from_chars(params.data(), params.data() + params.size(), n).ec != std::errc())
      return Status::InvalidInput("sum: params must be a count");
    for (uint64_t from = 0; from < n; from += 1000) {
      const std::string t = std::to_string(from) + "," + std::to_string(std::min(n, from + 1000));
      if (Status s = emit(std::vector<uint8_t>(t.begin(), t.end())); !s.ok()) return s;
    }
    return Status::Ok();
  }

  Status run(std::string_view, std::span<const uint8_t> task, TaskContext& ctx) override {
    const std::string text(task.begin(), task.end());
    const uint64_t from = std::stoull(text.substr(0, text.find(',')));
    const uint64_t to = std::stoull(text.substr(text.find(',') + 1));
    uint64_t sum = 0;
    for (uint64_t i = from; i < to; ++i) sum += i;
    // Long enough that every worker joins before the job ends.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    if (lie_every_ > 0 && (from / 1000) % static_cast<uint64_t>(lie_every_) == 0) sum += 1;
    ++runs;
    const std::string out = std::to_string(sum);
    ctx.write(std::span(reinterpret_cast<const uint8_t*>(out.data()), out.size()));
    return Status::Ok();
  }

  Status check(std::string_view, std::span<const uint8_t>, std::span<const uint8_t>) override {
    return Status::Unsupported("sum has no check");
  }

  Status merge(std::string_view, const std::vector<std::vector<uint8_t>>& results, TaskContext& ctx) override {
    uint64_t total = 0;
    for (const auto& r : results) total += std::stoull(std::string(r.begin(), r.end()));
    const std::string out = std::to_string(total);
    ctx.write(std::span(reinterpret_cast<const uint8_t*>(out.data()), out.size()));
    return Status::Ok();
  }

  std::atomic<int> runs{0};

 private:
  HuntInfo info_;
  int lie_every_;
};

identity::KeyPair key(uint8_t fill) {
  std::array<uint8_t, 32> seed;
  seed.fill(fill);
  return identity::KeyPair::from_seed(seed);
}

// A host: a swarm, a compute executor, a catalog with one hunt, a worker service.
struct Host {
  Host(test_support::MemorySwarms& net, uint8_t fill, std::shared_ptr<Hunt> hunt)
      : swarm(net.make_swarm(key(fill))), compute(net.io().get_executor(), {.threads = 1}) {
    EXPECT_TRUE(catalog.add(std::move(hunt)).ok());
    address = net.listen(*swarm);
    worker = std::make_unique<WorkerService>(*swarm, net.io().get_executor(), compute, catalog, WorkerSettings{});
    worker->install();
  }
  ~Host() {
    worker.reset();
    compute.close();
  }
  std::unique_ptr<swarm::Swarm> swarm;
  Executor compute;
  HuntCatalog catalog;
  multiaddr::Multiaddr address;
  std::unique_ptr<WorkerService> worker;
};

class ComputeServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("prowl_compute_test_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    for (auto& h : hosts_) net_.shutdown(*h->swarm);
    hosts_.clear();
    std::filesystem::remove_all(dir_);
  }

  Host& add_host(uint8_t fill, std::shared_ptr<Hunt> hunt) {
    hosts_.push_back(std::make_unique<Host>(net_, fill, std::move(hunt)));
    return *hosts_.back();
  }

  JobReport run_job(Host& coordinator, JobSpec spec, reputation::Book* book = nullptr, job::Journal* journal = nullptr) {
    Coordinator c(*coordinator.swarm, net_.io().get_executor(), coordinator.compute, coordinator.catalog, book,
                  journal);
    return net_.run(c.run(std::move(spec)), 60s);
  }

  // Every host here is one process's worth of threads: let each executor
  // have its own, as separate processes would (oneTBB caps all arenas of a
  // process at the core count by default).
  tbb::global_control threads_{tbb::global_control::max_allowed_parallelism, 16};
  test_support::MemorySwarms net_;
  std::vector<std::unique_ptr<Host>> hosts_;
  std::filesystem::path dir_;
};

constexpr uint64_t kSum100k = 100000ull * 99999ull / 2;

TEST_F(ComputeServiceTest, AJobRunsAcrossEveryWorkerAndGetsTheRightAnswer) {
  Host& coordinator = add_host(1, std::make_shared<SumHunt>());
  std::vector<std::shared_ptr<SumHunt>> hunts;
  for (uint8_t i = 2; i <= 4; ++i) {
    hunts.push_back(std::make_shared<SumHunt>());
    Host& w = add_host(i, hunts.back());
    net_.connect(*coordinator.swarm, *w.swarm, w.address);
  }
  JobSpec spec;
  spec.hunt = "sum";
  spec.params = "100000";
  const JobReport report = run_job(coordinator, spec);
  ASSERT_TRUE(report.status.ok()) << report.status.to_string();
  EXPECT_EQ(std::string(report.outcome.begin(), report.outcome.end()), std::to_string(kSum100k));
  EXPECT_EQ(report.stats.tasks, 100u);
  EXPECT_EQ(report.stats.rejected, 0u);
  for (const auto& h : hunts) EXPECT_GT(h->runs.load(), 0) << "a worker ran nothing";
}

TEST_F(ComputeServiceTest, ALiarChangesNothingAndLosesItsReputation) {
  Host& coordinator = add_host(1, std::make_shared<SumHunt>());
  for (uint8_t i = 2; i <= 3; ++i) {
    Host& w = add_host(i, std::make_shared<SumHunt>());
    net_.connect(*coordinator.swarm, *w.swarm, w.address);
  }
  Host& liar = add_host(9, std::make_shared<SumHunt>(/*lie_every=*/2));
  net_.connect(*coordinator.swarm, *liar.swarm, liar.address);
  std::string error;
  reputation::Book book({}, reputation::Store::open(dir_ / "reputation.sqlite", &error));
  JobSpec spec;
  spec.hunt = "sum";
  spec.params = "100000";
  spec.local = false;
  const JobReport report = run_job(coordinator, spec, &book);
  ASSERT_TRUE(report.status.ok()) << report.status.to_string();
  EXPECT_EQ(std::string(report.outcome.begin(), report.outcome.end()), std::to_string(kSum100k));
  EXPECT_GT(report.stats.rejected, 0u);
  const auto now = std::chrono::system_clock::now();
  const identity::PeerId liar_id = liar.swarm->local_peer();
  EXPECT_LT(book.ledger().trust(liar_id, now), book.ledger().settings().trust_threshold);
  EXPECT_TRUE(book.ledger().quarantined(liar_id, now));
  EXPECT_FALSE(book.ledger().quarantined(hosts_[1]->swarm->local_peer(), now));
}

TEST_F(ComputeServiceTest, WorkersDeclineAnotherVersionAndTheJobRunsElsewhere) {
  Host& coordinator = add_host(1, std::make_shared<SumHunt>());
  Host& other = add_host(2, std::make_shared<SumHunt>(0, "2.0.0"));
  net_.connect(*coordinator.swarm, *other.swarm, other.address);
  JobSpec spec;
  spec.hunt = "sum";
  spec.params = "5000";
  spec.settings.replicas = 1;
  spec.settings.quorum = 1;
  const JobReport report = run_job(coordinator, spec);
  ASSERT_TRUE(report.status.ok()) << report.status.to_string();
  EXPECT_EQ(report.tasks_per_worker.size(), 1u);
  EXPECT_TRUE(report.tasks_per_worker.contains("local"));
}

TEST_F(ComputeServiceTest, AnUnknownHuntFailsWithAClearError) {
  Host& coordinator = add_host(1, std::make_shared<SumHunt>());
  JobSpec spec;
  spec.hunt = "primes";
  const JobReport report = run_job(coordinator, spec);
  EXPECT_EQ(report.status.code(), StatusCode::kNotFound);
  EXPECT_EQ(report.status.message(), "no hunt 'primes' is loaded here (`prowl hunt list` shows the loaded ones)");
}

TEST_F(ComputeServiceTest, AResumedJobRunsOnlyWhatWasNotAccepted) {
  Host& coordinator = add_host(1, std::make_shared<SumHunt>());
  std::string error;
  auto journal = job::Journal::open(dir_ / "jobs.sqlite", &error);
  ASSERT_NE(journal, nullptr) << error;
  JobSpec spec;
  spec.hunt = "sum";
  spec.params = "50000";
  spec.settings.replicas = 1;
  spec.settings.quorum = 1;
  const JobReport first = run_job(coordinator, spec, nullptr, journal.get());
  ASSERT_TRUE(first.status.ok()) << first.status.to_string();
  // Forget half the outcomes, as if the coordinator had died halfway.
  for (job::TaskIndex t = 25; t < 50; ++t) journal->reopen(first.job_id, t);
  auto& hunt = static_cast<SumHunt&>(*coordinator.catalog.find("sum"));
  const int runs_before = hunt.runs.load();
  const JobReport second = run_job(coordinator, spec, nullptr, journal.get());
  ASSERT_TRUE(second.status.ok()) << second.status.to_string();
  EXPECT_EQ(second.job_id, first.job_id);
  EXPECT_EQ(second.restored, 25u);
  EXPECT_EQ(hunt.runs.load() - runs_before, 25);
  EXPECT_EQ(second.outcome, first.outcome);
}

}  // namespace
}  // namespace prowl::compute
