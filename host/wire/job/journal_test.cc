#include "host/wire/job/journal.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>

namespace prowl::job {
namespace {

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("prowl_journal_test_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Journal> open() {
    std::string error;
    auto journal = Journal::open(dir_ / "jobs.sqlite", &error);
    EXPECT_NE(journal, nullptr) << error;
    return journal;
  }

  static JobRecord primes_job() {
    JobRecord j;
    j.id = job_id("primes", "1.0.0", R"({"from":0,"to":100000000})", Digest{});
    j.hunt = "primes";
    j.version = "1.0.0";
    j.params = R"({"from":0,"to":100000000})";
    j.tasks = 100;
    j.replicas = 2;
    j.quorum = 2;
    return j;
  }

  static AcceptedTask outcome(TaskIndex task) {
    AcceptedTask a;
    a.task = task;
    a.digest[0] = static_cast<uint8_t>(task);
    a.worker = "12D3KooWworker";
    a.result = {static_cast<uint8_t>(task), 1, 2, 3};
    return a;
  }

  std::filesystem::path dir_;
};

TEST_F(JournalTest, TheSameCommandFindsTheSameJob) {
  EXPECT_EQ(job_id("primes", "1.0.0", "{}", Digest{}), job_id("primes", "1.0.0", "{}", Digest{}));
  EXPECT_NE(job_id("primes", "1.0.0", "{}", Digest{}), job_id("primes", "1.0.1", "{}", Digest{}));
  // Length prefixes keep field boundaries: ("ab","c") is not ("a","bc").
  EXPECT_NE(job_id("ab", "c", "", Digest{}), job_id("a", "bc", "", Digest{}));
  auto journal = open();
  const JobRecord first = journal->begin(primes_job());
  JobRecord again = primes_job();
  again.tasks = 7;  // ignored: the stored job wins
  EXPECT_EQ(journal->begin(again).tasks, 100u);
  EXPECT_EQ(journal->jobs().size(), 1u);
  EXPECT_EQ(first.state, JobState::kRunning);
}

TEST_F(JournalTest, AcceptedOutcomesComeBackInTaskOrderAndReopenForgetsOne) {
  auto journal = open();
  const std::string id = journal->begin(primes_job()).id;
  for (TaskIndex t : {5u, 1u, 3u}) journal->accept(id, outcome(t));
  journal->reopen(id, 3);
  const auto accepted = journal->accepted(id);
  ASSERT_EQ(accepted.size(), 2u);
  EXPECT_EQ(accepted[0].task, 1u);
  EXPECT_EQ(accepted[1].task, 5u);
  EXPECT_EQ(accepted[1].result, outcome(5).result);
  EXPECT_EQ(accepted[1].digest, outcome(5).digest);
  journal->finish(id, JobState::kDone, "5761455");
  EXPECT_EQ(journal->find(id)->state, JobState::kDone);
  EXPECT_EQ(journal->find(id)->outcome, "5761455");
}

TEST_F(JournalTest, OutcomesSurviveAKill9) {
  const std::string id = primes_job().id;
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::string error;
    auto journal = Journal::open(dir_ / "jobs.sqlite", &error);
    if (!journal) ::_exit(2);
    journal->begin(primes_job());
    for (TaskIndex t = 0; t < 10; ++t) journal->accept(id, outcome(t));
    ::raise(SIGKILL);  // no destructor, no close
    ::_exit(3);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_EQ(WTERMSIG(status), SIGKILL);
  auto journal = open();
  ASSERT_TRUE(journal->find(id).has_value());
  EXPECT_EQ(journal->find(id)->state, JobState::kRunning);
  EXPECT_EQ(journal->accepted(id).size(), 10u);
}

}  // namespace
}  // namespace prowl::job
