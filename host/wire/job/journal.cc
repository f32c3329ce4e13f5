#include "host/wire/job/journal.h"

#include <sodium.h>
#include <sqlite3.h>

#include <chrono>

#include "host/base/encoding/hex.h"
#include "host/base/identity/sodium_init.h"
#include "host/base/sqlite/sqlite.h"

namespace prowl::job {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS jobs(
  id TEXT PRIMARY KEY, hunt TEXT NOT NULL, version TEXT NOT NULL, params TEXT NOT NULL,
  input TEXT NOT NULL, tasks INTEGER NOT NULL, replicas INTEGER NOT NULL, quorum INTEGER NOT NULL,
  state INTEGER NOT NULL, outcome TEXT NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS accepted(
  job TEXT NOT NULL, task INTEGER NOT NULL, digest BLOB NOT NULL, worker TEXT NOT NULL, result BLOB NOT NULL,
  PRIMARY KEY(job, task));
)sql";

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

const char* job_state_name(JobState state) {
  switch (state) {
    case JobState::kRunning: return "running";
    case JobState::kDone: return "done";
    case JobState::kFailed: return "failed";
    case JobState::kCancelled: return "cancelled";
  }
  return "unknown";
}

std::string job_id(const std::string& hunt, const std::string& version, const std::string& params,
                   const Digest& input_digest) {
  identity::ensure_sodium_initialized();
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  for (const std::string* part : {&hunt, &version, &params}) {
    const uint64_t n = part->size();
    crypto_hash_sha256_update(&state, reinterpret_cast<const uint8_t*>(&n), sizeof n);
    crypto_hash_sha256_update(&state, reinterpret_cast<const uint8_t*>(part->data()), part->size());
  }
  crypto_hash_sha256_update(&state, input_digest.data(), input_digest.size());
  Digest out;
  crypto_hash_sha256_final(&state, out.data());
  return encoding::hex_encode(std::span(out.data(), 16));
}

struct Journal::Statements {
  explicit Statements(sqlite3* db)
      : insert_job(db, "INSERT INTO jobs VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"),
        find_job(db, "SELECT id, hunt, version, params, input, tasks, replicas, quorum, state, outcome, created_ms, "
                     "updated_ms FROM jobs WHERE id = ?1"),
        all_jobs(db, "SELECT id, hunt, version, params, input, tasks, replicas, quorum, state, outcome, created_ms, "
                     "updated_ms FROM jobs ORDER BY created_ms DESC, id"),
        finish_job(db, "UPDATE jobs SET state = ?2, outcome = ?3, updated_ms = ?4 WHERE id = ?1"),
        accept(db, "INSERT OR REPLACE INTO accepted VALUES(?1, ?2, ?3, ?4, ?5)"),
        reopen(db, "DELETE FROM accepted WHERE job = ?1 AND task = ?2"),
        accepted(db, "SELECT task, digest, worker, result FROM accepted WHERE job = ?1 ORDER BY task") {}
  // Each statement runs in its own (automatic) transaction.
  sqlite::Statement insert_job, find_job, all_jobs, finish_job, accept, reopen, accepted;
};

namespace {

JobRecord read_job(const sqlite::Statement& s) {
  JobRecord j;
  j.id = s.text(0);
  j.hunt = s.text(1);
  j.version = s.text(2);
  j.params = s.text(3);
  j.input = s.text(4);
  j.tasks = static_cast<uint32_t>(s.integer(5));
  j.replicas = static_cast<uint32_t>(s.integer(6));
  j.quorum = static_cast<uint32_t>(s.integer(7));
  const int64_t state = s.integer(8);
  j.state = state >= 0 && state <= 3 ? static_cast<JobState>(state) : JobState::kFailed;
  j.outcome = s.text(9);
  j.created_ms = s.integer(10);
  j.updated_ms = s.integer(11);
  return j;
}

}  // namespace

std::unique_ptr<Journal> Journal::open(const std::filesystem::path& file, std::string* error) {
  sqlite3* db = sqlite::open(file, "job journal", kSchemaVersion, kSchema, error);
  if (db == nullptr) return nullptr;
  return std::unique_ptr<Journal>(new Journal(db));
}

Journal::Journal(sqlite3* db) : db_(db), statements_(std::make_unique<Statements>(db)) {}

Journal::~Journal() {
  statements_.reset();  // finalize every statement before closing
  sqlite3_close(db_);
}

JobRecord Journal::begin(const JobRecord& job) {
  if (auto existing = find(job.id)) return *existing;
  JobRecord stored = job;
  stored.created_ms = stored.updated_ms = now_ms();
  statements_->insert_job.bind_text(1, stored.id)
      .bind_text(2, stored.hunt)
      .bind_text(3, stored.version)
      .bind_text(4, stored.params)
      .bind_text(5, stored.input)
      .bind(6, static_cast<int64_t>(stored.tasks))
      .bind(7, static_cast<int64_t>(stored.replicas))
      .bind(8, static_cast<int64_t>(stored.quorum))
      .bind(9, static_cast<int64_t>(stored.state))
      .bind_text(10, stored.outcome)
      .bind(11, stored.created_ms)
      .bind(12, stored.updated_ms)
      .run();
  return stored;
}

std::optional<JobRecord> Journal::find(const std::string& id) {
  sqlite::Statement& s = statements_->find_job;
  s.bind_text(1, id);
  std::optional<JobRecord> out;
  while (s.step()) out = read_job(s);
  return out;
}

std::vector<JobRecord> Journal::jobs() {
  std::vector<JobRecord> out;
  sqlite::Statement& s = statements_->all_jobs;
  while (s.step()) out.push_back(read_job(s));
  return out;
}

void Journal::accept(const std::string& id, const AcceptedTask& outcome) {
  statements_->accept.bind_text(1, id)
      .bind(2, static_cast<int64_t>(outcome.task))
      .bind(3, outcome.digest)
      .bind_text(4, outcome.worker)
      .bind(5, outcome.result)
      .run();
}

void Journal::reopen(const std::string& id, TaskIndex task) {
  statements_->reopen.bind_text(1, id).bind(2, static_cast<int64_t>(task)).run();
}

std::vector<AcceptedTask> Journal::accepted(const std::string& id) {
  std::vector<AcceptedTask> out;
  sqlite::Statement& s = statements_->accepted;
  s.bind_text(1, id);
  while (s.step()) {
    AcceptedTask a;
    a.task = static_cast<TaskIndex>(s.integer(0));
    const std::vector<uint8_t> digest = s.blob(1);
    if (digest.size() == a.digest.size()) std::copy(digest.begin(), digest.end(), a.digest.begin());
    a.worker = s.text(2);
    a.result = s.blob(3);
    out.push_back(std::move(a));
  }
  return out;
}

void Journal::finish(const std::string& id, JobState state, const std::string& outcome) {
  statements_->finish_job.bind_text(1, id)
      .bind(2, static_cast<int64_t>(state))
      .bind_text(3, outcome)
      .bind(4, now_ms())
      .run();
}

}  // namespace prowl::job
