// The coordinator's job journal in SQLite (<data>/jobs.sqlite): every job
// it runs and every task outcome it accepted, each written in its own
// transaction before the outcome counts. A coordinator killed with SIGKILL
// and started again on the same data directory finds its unfinished jobs,
// restores their accepted tasks (Dispatcher::restore_accepted) and runs
// only the rest: no accepted task runs twice and no accepted result is lost.
//
// Thread safety: none; use a Journal from one thread or executor.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "host/wire/job/dispatcher.h"

struct sqlite3;

namespace prowl::job {

enum class JobState { kRunning, kDone, kFailed, kCancelled };

/// "running", "done", "failed", "cancelled".
const char* job_state_name(JobState state);

struct JobRecord {
  std::string id;           ///< stable for the same hunt, params and input (see job_id)
  std::string hunt;
  std::string version;
  std::string params;       ///< as given (JSON text)
  std::string input;        ///< the input file's path, or empty
  uint32_t tasks = 0;
  uint32_t replicas = 0;
  uint32_t quorum = 0;
  JobState state = JobState::kRunning;
  std::string outcome;      ///< the merged outcome's summary, or why it failed
  int64_t created_ms = 0;   ///< wall clock, milliseconds since the epoch
  int64_t updated_ms = 0;
};

struct AcceptedTask {
  TaskIndex task = 0;
  Digest digest{};
  std::string worker;           ///< peer id text
  std::vector<uint8_t> result;  ///< the result bytes
};

/// A job's id: hex of SHA-256 over hunt, version, params and the input's
/// digest (each length-prefixed), so the same command finds the same job.
std::string job_id(const std::string& hunt, const std::string& version, const std::string& params,
                   const Digest& input_digest);

class Journal {
 public:
  static constexpr int kSchemaVersion = 1;

  /// Opens or creates `file`; null with *error naming the file and cause.
  static std::unique_ptr<Journal> open(const std::filesystem::path& file, std::string* error);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  /// Records a new job, or returns the stored one with the same id (then
  /// `job` is not written). Throws std::runtime_error on a write failure.
  JobRecord begin(const JobRecord& job);
  std::optional<JobRecord> find(const std::string& id);
  /// Every job, newest first.
  std::vector<JobRecord> jobs();

  /// Stores an accepted outcome of task `task` (replacing an earlier one).
  void accept(const std::string& id, const AcceptedTask& outcome);
  /// Forgets the outcome of `task` (it was reopened).
  void reopen(const std::string& id, TaskIndex task);
  /// Every accepted outcome of the job, in task order.
  std::vector<AcceptedTask> accepted(const std::string& id);
  /// Sets the job's final state and outcome text.
  void finish(const std::string& id, JobState state, const std::string& outcome);

 private:
  struct Statements;
  explicit Journal(sqlite3* db);
  sqlite3* db_;
  std::unique_ptr<Statements> statements_;
};

}  // namespace prowl::job
